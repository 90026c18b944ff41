import { Types } from 'mongoose';
import type { InstitutionType, LocalizedText, MeetingStatus, ProgressStatus } from '../../domain/reference-data.js';
import { MeetingModel } from '../meetings/meeting.model.js';
import { ResolutionModel } from '../resolutions/resolution.model.js';
import { InstitutionModel } from '../institutions/institution.model.js';
import { ProgressItemModel } from '../progress/progress.model.js';
import type { Aggregates } from './public-read.js';
import { type InstitutionLite, type ResolutionLite, type VerifiedMap } from './public.stats.js';
import { pairKey } from '../../domain/pair-key.js';

/**
 * The few queries behind every public page. Each returns plain objects and reads only what the
 * pages show; the heavy ones are memoised in the aggregates memo the caller passes (see public-read.ts).
 */

export interface MeetingLite {
  id: string;
  number: number;
  title: LocalizedText;
  theme: LocalizedText;
  venue: string;
  startDate: Date;
  endDate: Date;
  status: MeetingStatus;
}

/** A meeting as the lean query returns it: the same fields under `_id`. */
type MeetingRow = Omit<MeetingLite, 'id'> & { _id: Types.ObjectId };

interface ResolutionRow {
  _id: Types.ObjectId;
  meeting: Types.ObjectId;
  number: number;
  title: LocalizedText;
  text: LocalizedText;
  category: string;
  dueDate: Date;
  weight?: number;
  appliesTo?: InstitutionType[];
  carriedOverFrom?: Types.ObjectId | null;
  sampleWording?: boolean;
  active?: boolean;
}

interface InstitutionRow {
  _id: Types.ObjectId;
  code: string;
  name: LocalizedText;
  acronym?: string;
  type: InstitutionType;
  region: string;
  active?: boolean;
}

interface ItemRow {
  institution: Types.ObjectId;
  resolution: Types.ObjectId;
  verified?: { status: ProgressStatus; percent: number; at: Date } | null;
}

export const isObjectId = (id: string): boolean => /^[0-9a-f]{24}$/i.test(id);

export function toMeetingLite(m: MeetingRow): MeetingLite {
  return {
    id: String(m._id),
    number: m.number,
    title: m.title,
    theme: m.theme,
    venue: m.venue,
    startDate: m.startDate,
    endDate: m.endDate,
    status: m.status,
  };
}

export function toResolutionLite(r: ResolutionRow): ResolutionLite {
  return {
    id: String(r._id),
    meetingId: String(r.meeting),
    number: r.number,
    title: r.title,
    text: r.text,
    category: r.category,
    dueDate: r.dueDate,
    weight: r.weight ?? 1,
    appliesTo: r.appliesTo ?? [],
    carriedOverFrom: r.carriedOverFrom ? String(r.carriedOverFrom) : null,
    sampleWording: Boolean(r.sampleWording),
  };
}

export function toInstitutionLite(i: InstitutionRow): InstitutionLite {
  return { id: String(i._id), code: i.code, name: i.name, acronym: i.acronym ?? '', type: i.type, region: i.region };
}

const MEETING_FIELDS = { number: 1, title: 1, theme: 1, venue: 1, startDate: 1, endDate: 1, status: 1 } as const;
const RESOLUTION_FIELDS = {
  meeting: 1, number: 1, title: 1, text: 1, category: 1, dueDate: 1, weight: 1, appliesTo: 1, carriedOverFrom: 1, sampleWording: 1, active: 1,
} as const;
const INSTITUTION_FIELDS = { code: 1, name: 1, acronym: 1, type: 1, region: 1, active: 1 } as const;

/** Every meeting, newest (highest number) first. */
export function loadMeetings(aggregates: Aggregates): Promise<MeetingLite[]> {
  return aggregates('meetings', async () => {
    const rows = await MeetingModel.find({}).select(MEETING_FIELDS).sort({ number: -1 }).lean<MeetingRow[]>();
    return rows.map(toMeetingLite);
  });
}

export async function loadMeeting(aggregates: Aggregates, id: string): Promise<MeetingLite | null> {
  if (!isObjectId(id)) return null;
  const meetings = await loadMeetings(aggregates);
  return meetings.find((m) => m.id === id) ?? null;
}

/** Active resolutions of every meeting, by meeting then number. */
export function loadActiveResolutions(aggregates: Aggregates): Promise<ResolutionLite[]> {
  return aggregates('resolutions', async () => {
    const rows = await ResolutionModel.find({ active: true }).select(RESOLUTION_FIELDS).lean<ResolutionRow[]>();
    return rows.map(toResolutionLite).sort((a, b) => a.meetingId.localeCompare(b.meetingId) || a.number - b.number);
  });
}

export async function loadMeetingResolutions(aggregates: Aggregates, meetingId: string): Promise<ResolutionLite[]> {
  const all = await loadActiveResolutions(aggregates);
  return all.filter((r) => r.meetingId === meetingId).sort((a, b) => a.number - b.number);
}

/** One resolution by id, active or not (the page of an inactive one still answers). */
export async function loadResolution(id: string): Promise<(ResolutionLite & { active: boolean }) | null> {
  if (!isObjectId(id)) return null;
  const row = await ResolutionModel.findById(id).select(RESOLUTION_FIELDS).lean<ResolutionRow>();
  return row ? { ...toResolutionLite(row), active: row.active !== false } : null;
}

/** Active institutions, by code. */
export function loadActiveInstitutions(aggregates: Aggregates): Promise<InstitutionLite[]> {
  return aggregates('institutions', async () => {
    const rows = await InstitutionModel.find({ active: true }).select(INSTITUTION_FIELDS).sort({ code: 1 }).lean<InstitutionRow[]>();
    return rows.map(toInstitutionLite);
  });
}

export async function loadInstitutionByCode(code: string): Promise<(InstitutionLite & { active: boolean }) | null> {
  const normalized = code.trim().toUpperCase();
  if (normalized === '' || normalized.length > 64) return null;
  const row = await InstitutionModel.findOne({ code: normalized }).select(INSTITUTION_FIELDS).lean<InstitutionRow>();
  return row ? { ...toInstitutionLite(row), active: row.active !== false } : null;
}

function toVerifiedMap(rows: ItemRow[]): VerifiedMap {
  const map: VerifiedMap = new Map();
  for (const row of rows) {
    const v = row.verified;
    if (!v || !v.status) continue;
    map.set(pairKey(String(row.institution), String(row.resolution)), { status: v.status, percent: v.percent ?? 0, at: v.at });
  }
  return map;
}

/**
 * Current verified values of every row of a meeting: one query through the driver with a large
 * batch (a few round trips, no Mongoose document overhead), memoised per meeting.
 */
export function loadMeetingVerified(aggregates: Aggregates, meetingId: string): Promise<VerifiedMap> {
  return aggregates(`verified:meeting:${meetingId}`, async () => {
    const rows = await ProgressItemModel.collection
      .find(
        { meeting: new Types.ObjectId(meetingId) },
        { projection: { _id: 0, institution: 1, resolution: 1, 'verified.status': 1, 'verified.percent': 1, 'verified.at': 1 }, batchSize: 50_000 },
      )
      .toArray();
    return toVerifiedMap(rows as unknown as ItemRow[]);
  });
}
