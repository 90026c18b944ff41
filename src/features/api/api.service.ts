import type { Aggregates } from '../public/public-read.js';
import { Types, trusted } from 'mongoose';
import { NotFoundError } from '../../errors.js';
import type { LocalizedText } from '../../domain/reference-data.js';
import { ProgressItemModel } from '../progress/progress.model.js';
import {
  loadActiveInstitutions,
  loadActiveResolutions,
  loadInstitutionByCode,
  loadMeeting,
  loadMeetings,
} from '../public/public.data.js';
import { getMeetingSummary } from '../public/public.service.js';
import { appliesTo } from '../public/public.stats.js';
import type { StatusCounts, PublicStatus } from '../public/public.stats.js';

/**
 * Open data: the public tables as plain JSON-ready rows (verified progress only). Pagination and
 * formats are applied by the router; these functions return whole tables, built from the same
 * memoised reads as the public pages.
 */

const text = (t: LocalizedText) => ({ sw: t.sw, en: t.en ? t.en : null });

export interface ApiMeeting {
  id: string;
  number: number;
  title: { sw: string; en: string | null };
  venue: string;
  startDate: Date;
  endDate: Date;
}

export async function apiMeetings(aggregates: Aggregates): Promise<ApiMeeting[]> {
  const meetings = await loadMeetings(aggregates);
  return [...meetings]
    .sort((a, b) => a.number - b.number)
    .map((m) => ({ id: m.id, number: m.number, title: text(m.title), venue: m.venue, startDate: m.startDate, endDate: m.endDate }));
}

export interface ApiResolution {
  id: string;
  number: number;
  title: { sw: string; en: string | null };
  category: string;
  dueDate: Date;
  weight: number;
  appliesTo: string[];
  progress: StatusCounts;
}

export async function apiMeetingResolutions(aggregates: Aggregates, meetingId: string, now: Date): Promise<ApiResolution[]> {
  const meeting = await loadMeeting(aggregates, meetingId);
  if (!meeting) throw new NotFoundError('api:meetingNotFound');
  const summary = await getMeetingSummary(aggregates, meeting.id, now);
  return summary.resolutions.map((r) => ({
    id: r.resolution.id,
    number: r.resolution.number,
    title: text(r.resolution.title),
    category: r.resolution.category,
    dueDate: r.resolution.dueDate,
    weight: r.resolution.weight,
    appliesTo: [...r.resolution.appliesTo],
    progress: { ...r.counts },
  }));
}

export interface ApiInstitution {
  code: string;
  name: { sw: string; en: string | null };
  type: string;
  region: string;
}

export async function apiInstitutions(aggregates: Aggregates, filter: { type?: string; region?: string }): Promise<ApiInstitution[]> {
  const all = await loadActiveInstitutions(aggregates);
  return all
    .filter((i) => (!filter.type || i.type === filter.type) && (!filter.region || i.region === filter.region))
    .map((i) => ({ code: i.code, name: text(i.name), type: i.type, region: i.region }));
}

export interface ApiProgressRow {
  resolutionId: string;
  number: number;
  status: PublicStatus;
  percent: number | null;
  verifiedAt: Date | null;
}

/**
 * The verified progress of one institution on each applicable resolution of a meeting (the
 * latest meeting when none is given). "not_reported" with null percent and date when nothing
 * is verified.
 */
export async function apiInstitutionProgress(aggregates: Aggregates, code: string, meetingId: string | undefined): Promise<{ meetingId: string | null; rows: ApiProgressRow[] }> {
  const institution = await loadInstitutionByCode(code);
  if (!institution) throw new NotFoundError('api:institutionNotFound');
  let meeting;
  if (meetingId) {
    meeting = await loadMeeting(aggregates, meetingId);
    if (!meeting) throw new NotFoundError('api:meetingNotFound');
  } else {
    meeting = (await loadMeetings(aggregates))[0];
    if (!meeting) return { meetingId: null, rows: [] };
  }
  const resolutions = (await loadActiveResolutions(aggregates)).filter((r) => r.meetingId === meeting.id && appliesTo(r, institution));
  // Equality on both keys of the unique (institution, resolution) index: direct look-ups.
  const items = await ProgressItemModel.find({ institution: new Types.ObjectId(institution.id), resolution: trusted({ $in: resolutions.map((r) => new Types.ObjectId(r.id)) }) })
    .select({ resolution: 1, verified: 1, _id: 0 })
    .lean<Array<{ resolution: Types.ObjectId; verified?: { status: PublicStatus; percent: number; at: Date } | null }>>();
  const byRes = new Map(items.map((i) => [String(i.resolution), i.verified]));
  const rows = resolutions
    .sort((a, b) => a.number - b.number)
    .map((r) => {
      const v = byRes.get(r.id);
      return v && v.status
        ? { resolutionId: r.id, number: r.number, status: v.status, percent: v.percent, verifiedAt: v.at }
        : { resolutionId: r.id, number: r.number, status: 'not_reported' as const, percent: null, verifiedAt: null };
    });
  return { meetingId: meeting.id, rows };
}
