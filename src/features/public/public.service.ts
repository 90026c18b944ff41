import { Types, trusted } from 'mongoose';
import type { Language, LocalizedText, ProgressStatus } from '../../domain/reference-data.js';
import { localize } from '../../domain/reference-data.js';
import { NotFoundError } from '../../errors.js';
import { ProgressItemModel, ProgressReportModel } from '../progress/progress.model.js';
import { ResolutionModel } from '../resolutions/resolution.model.js';
import {
  getLatestPublishedRanking,
  listPublishedRankings,
  type PublishedRanking,
  type PublishedRankingSummary,
} from '../rankings/rankings.query.js';
import type { Aggregates } from './public-read.js';
import {
  isObjectId,
  loadActiveInstitutions,
  loadActiveResolutions,
  loadInstitutionByCode,
  loadMeeting,
  loadMeetingResolutions,
  loadMeetingVerified,
  loadMeetings,
  loadResolution,
  type MeetingLite,
} from './public.data.js';
import { pairKey } from '../../domain/pair-key.js';
import {
  STATUS_KEYS,
  appliesTo,
  publicStatusOf,
  summarizeMeeting,
  type InstitutionLite,
  type MeetingSummary,
  type PublicStatus,
  type ResolutionLite,
  type StatusCounts,
} from './public.stats.js';

/**
 * Read models of the public pages (verified progress only). Every function answers from a
 * handful of queries whatever the number of institutions (no per-row queries).
 */


export interface ArchiveRow {
  meeting: MeetingLite;
  resolutionCount: number;
  completion: number | null;
  counts: StatusCounts;
}

/** Meetings archive: every meeting with resolution count and overall completion. */
export async function getMeetingsArchive(aggregates: Aggregates, now: Date): Promise<ArchiveRow[]> {
  const meetings = await loadMeetings(aggregates);
  const rows: ArchiveRow[] = [];
  for (const meeting of meetings) {
    const summary = await getMeetingSummary(aggregates, meeting.id, now);
    rows.push({
      meeting,
      resolutionCount: summary.resolutions.length,
      completion: summary.totals.completion,
      counts: summary.totals.counts,
    });
  }
  return rows;
}

/** The verified-progress summary of one meeting (memoised). */
export function getMeetingSummary(aggregates: Aggregates, meetingId: string, now: Date): Promise<MeetingSummary> {
  return aggregates(`summary:${meetingId}`, async () => {
    const [resolutions, institutions, verified] = await Promise.all([
      loadMeetingResolutions(aggregates, meetingId),
      loadActiveInstitutions(aggregates),
      loadMeetingVerified(aggregates, meetingId),
    ]);
    return summarizeMeeting(resolutions, institutions, verified, now);
  });
}

/** The newest published ranking of a meeting (memoised; null when none). */
export function getLatestRanking(aggregates: Aggregates, meetingId: string): Promise<PublishedRanking | null> {
  return aggregates(`ranking:${meetingId}`, () => getLatestPublishedRanking(meetingId));
}

export interface MeetingPage {
  meeting: MeetingLite;
  summary: MeetingSummary;
  ranking: PublishedRanking | null;
  /** The ranking's winners with their names. */
  winners: Array<{ code: string; name: LocalizedText; type: string; score: number; rankInType: number | null }>;
}

export async function getMeetingPage(aggregates: Aggregates, meetingId: string, now: Date): Promise<MeetingPage> {
  const meeting = await loadMeeting(aggregates, meetingId);
  if (!meeting) throw new NotFoundError('public:meetingNotFound');
  const [summary, ranking] = await Promise.all([getMeetingSummary(aggregates, meeting.id, now), getLatestRanking(aggregates, meeting.id)]);
  return { meeting, summary, ranking, winners: ranking ? namedAwards(ranking, 'winners') : [] };
}

/** Awards of a ranking with the institution names taken from its entries. */
export function namedAwards(ranking: PublishedRanking, kind: 'winners' | 'mostImproved' | 'needsImprovement') {
  const byCode = new Map(ranking.entries.map((e) => [e.code, e]));
  return ranking.awards[kind].map((a) => ({
    code: a.code,
    name: byCode.get(a.code)?.name ?? { sw: a.code },
    type: a.type,
    score: a.score,
    grade: a.grade,
    rankInType: a.rankInType,
    gain: a.gain,
    nothingReported: a.nothingReported,
  }));
}

/* ---------- resolution page ---------- */

export const RESOLUTION_SORTS = ['name', 'code', 'type', 'region', 'status', 'percent', 'date'] as const;
export type ResolutionSort = (typeof RESOLUTION_SORTS)[number];

export interface ResolutionTableQuery {
  q?: string;
  type?: string;
  region?: string;
  status?: PublicStatus;
  sort: ResolutionSort;
  dir: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

export interface InstitutionStatusRow {
  code: string;
  name: LocalizedText;
  acronym: string;
  type: string;
  region: string;
  status: PublicStatus;
  percent: number | null;
  verifiedAt: Date | null;
}

export interface ResolutionPage {
  resolution: ResolutionLite & { active: boolean };
  meeting: MeetingLite | null;
  origin: { resolution: ResolutionLite; meeting: MeetingLite | null } | null;
  carriedTo: Array<{ resolution: ResolutionLite; meeting: MeetingLite | null }>;
  counts: StatusCounts;
  applicable: number;
  completion: number | null;
  overdue: boolean;
  rows: InstitutionStatusRow[];
  total: number;
  page: number;
  pages: number;
  /** Types and regions present among applicable institutions (filter options). */
  types: string[];
  regions: string[];
}

const STATUS_ORDER = new Map(STATUS_KEYS.map((k, i) => [k, i]));

function compareRows(sort: ResolutionSort, lang: Language) {
  const byName = (a: InstitutionStatusRow, b: InstitutionStatusRow) => localize(a.name, lang).localeCompare(localize(b.name, lang), lang);
  switch (sort) {
    case 'code':
      return (a: InstitutionStatusRow, b: InstitutionStatusRow) => a.code.localeCompare(b.code);
    case 'type':
      return (a: InstitutionStatusRow, b: InstitutionStatusRow) => a.type.localeCompare(b.type) || byName(a, b);
    case 'region':
      return (a: InstitutionStatusRow, b: InstitutionStatusRow) => a.region.localeCompare(b.region) || byName(a, b);
    case 'status':
      return (a: InstitutionStatusRow, b: InstitutionStatusRow) =>
        (STATUS_ORDER.get(a.status) ?? 9) - (STATUS_ORDER.get(b.status) ?? 9) || byName(a, b);
    case 'percent':
      return (a: InstitutionStatusRow, b: InstitutionStatusRow) => (a.percent ?? -1) - (b.percent ?? -1) || byName(a, b);
    case 'date':
      return (a: InstitutionStatusRow, b: InstitutionStatusRow) =>
        (a.verifiedAt?.getTime() ?? 0) - (b.verifiedAt?.getTime() ?? 0) || byName(a, b);
    case 'name':
    default:
      return byName;
  }
}

/** Lower-case, accent-insensitive text for substring matching (no regular expression involved). */
export function foldText(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

async function loadResolutionBase(aggregates: Aggregates, resolutionId: string, now: Date) {
  return aggregates(`resolution:${resolutionId}`, async () => {
    const resolution = await loadResolution(resolutionId);
    if (!resolution) return null;
    const [meeting, institutions, verified, origin, carried] = await Promise.all([
      loadMeeting(aggregates, resolution.meetingId),
      loadActiveInstitutions(aggregates),
      loadMeetingVerified(aggregates, resolution.meetingId),
      resolution.carriedOverFrom ? loadResolution(resolution.carriedOverFrom) : Promise.resolve(null),
      ResolutionModel.find({ carriedOverFrom: new Types.ObjectId(resolution.id) }).select({ _id: 1 }).lean(),
    ]);
    const rows: InstitutionStatusRow[] = [];
    const counts: StatusCounts = { completed: 0, in_progress: 0, not_started: 0, not_applicable: 0, not_reported: 0 };
    let percentSum = 0;
    let percentPairs = 0;
    if (resolution.active) {
      for (const inst of institutions) {
        if (!appliesTo(resolution, inst)) continue;
        const s = publicStatusOf(verified.get(pairKey(inst.id, resolution.id)));
        counts[s.status] += 1;
        if (s.status !== 'not_applicable') {
          percentPairs += 1;
          percentSum += s.percent ?? 0;
        }
        rows.push({ code: inst.code, name: inst.name, acronym: inst.acronym, type: inst.type, region: inst.region, ...s });
      }
    }
    const carriedTo = await Promise.all(
      carried.map(async (c) => {
        const r = await loadResolution(String(c._id));
        return r ? { resolution: r, meeting: await loadMeeting(aggregates, r.meetingId) } : null;
      }),
    );
    const applicable = rows.length;
    const allDone = applicable > 0 && counts.completed + counts.not_applicable === applicable;
    return {
      resolution,
      meeting,
      origin: origin ? { resolution: origin, meeting: await loadMeeting(aggregates, origin.meetingId) } : null,
      carriedTo: carriedTo.filter((c): c is NonNullable<typeof c> => c !== null),
      counts,
      applicable,
      completion: percentPairs === 0 ? null : Math.round((percentSum / percentPairs) * 10) / 10,
      overdue: resolution.dueDate.getTime() < now.getTime() && !allDone,
      rows,
      types: [...new Set(rows.map((r) => r.type))].sort(),
      regions: [...new Set(rows.map((r) => r.region))].sort(),
    };
  });
}

/** Resolution page: text, origin, and the filtered, sorted, paginated table of applicable institutions. */
export async function getResolutionPage(aggregates: Aggregates, resolutionId: string, query: ResolutionTableQuery, lang: Language, now: Date): Promise<ResolutionPage> {
  const base = await loadResolutionBase(aggregates, resolutionId, now);
  if (!base) throw new NotFoundError('public:resolutionNotFound');
  const needle = query.q ? foldText(query.q.trim()) : '';
  let rows = base.rows.filter(
    (r) =>
      (!query.type || r.type === query.type) &&
      (!query.region || r.region === query.region) &&
      (!query.status || r.status === query.status) &&
      (!needle || foldText(`${r.code} ${r.acronym} ${r.name.sw} ${r.name.en ?? ''}`).includes(needle)),
  );
  const cmp = compareRows(query.sort, lang);
  rows = [...rows].sort(query.dir === 'desc' ? (a, b) => cmp(b, a) : cmp);
  const total = rows.length;
  const pages = Math.max(1, Math.ceil(total / query.pageSize));
  const page = Math.min(Math.max(1, query.page), pages);
  return {
    ...base,
    rows: rows.slice((page - 1) * query.pageSize, page * query.pageSize),
    total,
    page,
    pages,
  };
}

/* ---------- institution scorecard ---------- */

export interface VerifiedHistoryEntry {
  status: ProgressStatus;
  percent: number;
  at: Date;
  kind: string;
}

export interface ScorecardResolution {
  resolution: ResolutionLite;
  status: PublicStatus;
  percent: number | null;
  verifiedAt: Date | null;
  claimed: { status: ProgressStatus; percent: number; at: Date } | null;
  /** Claimed percent minus verified percent (null when either is missing). */
  gap: number | null;
  history: VerifiedHistoryEntry[];
}

export interface ScorecardMeeting {
  meeting: MeetingLite;
  resolutions: ScorecardResolution[];
  counts: StatusCounts;
}

export interface ScorecardRanking {
  id: string;
  meetingId: string;
  meetingNumber: number | null;
  version: number;
  publishedAt: Date;
  rank: number | null;
  rankInType: number | null;
  grade: string | null;
  score: number | null;
}

export interface Scorecard {
  institution: InstitutionLite & { active: boolean };
  meetings: ScorecardMeeting[];
  rankings: ScorecardRanking[];
  totals: { counts: StatusCounts; claimedAhead: number };
}

interface ScoreItemRow {
  resolution: Types.ObjectId;
  claimed?: { status: ProgressStatus; percent: number; at: Date } | null;
  verified?: { status: ProgressStatus; percent: number; at: Date } | null;
}

interface HistoryRow {
  resolution: Types.ObjectId;
  kind: string;
  status: ProgressStatus | null;
  percent: number | null;
  at: Date;
  version: number;
}

export async function getScorecard(aggregates: Aggregates, code: string): Promise<Scorecard> {
  const institution = await loadInstitutionByCode(code);
  if (!institution) throw new NotFoundError('public:institutionNotFound');
  return aggregates(`scorecard:${institution.id}`, async () => {
    const instId = new Types.ObjectId(institution.id);
    const [meetings, resolutions, items, history, rankings] = await Promise.all([
      loadMeetings(aggregates),
      loadActiveResolutions(aggregates),
      // Equality on both keys of the unique (institution, resolution) index: direct look-ups.
      loadActiveResolutions(aggregates).then((all) =>
        ProgressItemModel.find({ institution: instId, resolution: trusted({ $in: all.filter((r) => appliesTo(r, institution)).map((r) => new Types.ObjectId(r.id)) }) })
          .select({ resolution: 1, claimed: 1, verified: 1, _id: 0 })
          .lean<ScoreItemRow[]>(),
      ),
      ProgressReportModel.find({ institution: instId, kind: trusted({ $in: ['verification', 'assessment'] }) })
        .select({ resolution: 1, kind: 1, status: 1, percent: 1, at: 1, version: 1, _id: 0 })
        .sort({ at: 1, version: 1 })
        .lean<HistoryRow[]>(),
      listPublishedRankings({ institutionId: institution.id }),
    ]);
    const itemByRes = new Map(items.map((i) => [String(i.resolution), i]));
    const historyByRes = new Map<string, VerifiedHistoryEntry[]>();
    for (const h of history) {
      if (!h.status) continue;
      const key = String(h.resolution);
      const list = historyByRes.get(key) ?? [];
      list.push({ status: h.status, percent: h.percent ?? 0, at: h.at, kind: h.kind });
      historyByRes.set(key, list);
    }
    const totals: StatusCounts = { completed: 0, in_progress: 0, not_started: 0, not_applicable: 0, not_reported: 0 };
    let claimedAhead = 0;
    const out: ScorecardMeeting[] = [];
    for (const meeting of meetings) {
      const counts: StatusCounts = { completed: 0, in_progress: 0, not_started: 0, not_applicable: 0, not_reported: 0 };
      const rows: ScorecardResolution[] = [];
      for (const r of resolutions) {
        if (r.meetingId !== meeting.id || !appliesTo(r, institution)) continue;
        const item = itemByRes.get(r.id);
        const verified = item?.verified && item.verified.status ? item.verified : null;
        const s = publicStatusOf(verified ? { status: verified.status, percent: verified.percent, at: verified.at } : undefined);
        const claimed = item?.claimed && item.claimed.status ? { status: item.claimed.status, percent: item.claimed.percent, at: item.claimed.at } : null;
        const gap = claimed && s.percent !== null ? claimed.percent - s.percent : null;
        if (claimed && (s.percent === null || claimed.percent > s.percent)) claimedAhead += 1;
        counts[s.status] += 1;
        totals[s.status] += 1;
        rows.push({ resolution: r, ...s, claimed, gap, history: historyByRes.get(r.id) ?? [] });
      }
      if (rows.length > 0) out.push({ meeting, resolutions: rows.sort((a, b) => a.resolution.number - b.resolution.number), counts });
    }
    const meetingNumber = new Map(meetings.map((m) => [m.id, m.number]));
    return {
      institution,
      meetings: out,
      rankings: rankings.map((r: PublishedRankingSummary) => ({
        id: r.id,
        meetingId: r.meetingId,
        meetingNumber: meetingNumber.get(r.meetingId) ?? null,
        version: r.version,
        publishedAt: r.publishedAt,
        rank: r.entry?.rank ?? null,
        rankInType: r.entry?.rankInType ?? null,
        grade: r.entry?.grade ?? null,
        score: r.entry?.score ?? null,
      })),
      totals: { counts: totals, claimedAhead },
    };
  });
}

export { isObjectId };
