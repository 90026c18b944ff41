import type { InstitutionType, LocalizedText, ProgressStatus } from '../../domain/reference-data.js';
import { STATUS_KEYS, type StatusKey } from '../../views/charts/status-colors.js';
import { pairKey } from '../../domain/pair-key.js';

/**
 * Pure aggregation of verified progress for the public pages (no I/O; unit-tested).
 *
 * Applicability: a pair (institution, resolution) counts when the resolution is active, the
 * institution is active and its type is in the resolution's `appliesTo`. Its public status is
 * the verified status, or "not_reported" when nothing is verified. Completion is the mean
 * verified percent over applicable pairs, leaving out verified "not applicable" ones (a pair
 * not reported counts as 0 %).
 */

export type PublicStatus = StatusKey;
export type StatusCounts = Record<PublicStatus, number>;
export { STATUS_KEYS };

export interface InstitutionLite {
  id: string;
  code: string;
  name: LocalizedText;
  acronym: string;
  type: InstitutionType;
  region: string;
}

export interface ResolutionLite {
  id: string;
  meetingId: string;
  number: number;
  title: LocalizedText;
  text: LocalizedText;
  category: string;
  dueDate: Date;
  weight: number;
  appliesTo: InstitutionType[];
  carriedOverFrom: string | null;
  sampleWording: boolean;
}

export interface VerifiedLite {
  status: ProgressStatus;
  percent: number;
  at: Date;
}

/** Verified values keyed by `${institutionId}|${resolutionId}`. */
export type VerifiedMap = Map<string, VerifiedLite>;


export function emptyCounts(): StatusCounts {
  return { completed: 0, in_progress: 0, not_started: 0, not_applicable: 0, not_reported: 0 };
}

/** Running totals: status counts plus the sum of percents of the pairs that count for completion. */
export interface Tally {
  counts: StatusCounts;
  applicable: number;
  percentSum: number;
  percentPairs: number;
}

export function emptyTally(): Tally {
  return { counts: emptyCounts(), applicable: 0, percentSum: 0, percentPairs: 0 };
}

export function addToTally(t: Tally, status: PublicStatus, percent: number): void {
  t.counts[status] += 1;
  t.applicable += 1;
  if (status === 'not_applicable') return;
  t.percentPairs += 1;
  t.percentSum += status === 'not_reported' ? 0 : percent;
}

/** Mean percent (0..100, one decimal) or null when no pair counts. */
export function completionOf(t: Tally): number | null {
  return t.percentPairs === 0 ? null : Math.round((t.percentSum / t.percentPairs) * 10) / 10;
}

export function appliesTo(resolution: ResolutionLite, institution: InstitutionLite): boolean {
  return resolution.appliesTo.includes(institution.type);
}

export function publicStatusOf(v: VerifiedLite | undefined): { status: PublicStatus; percent: number | null; verifiedAt: Date | null } {
  if (!v) return { status: 'not_reported', percent: null, verifiedAt: null };
  return { status: v.status, percent: v.percent, verifiedAt: v.at };
}

export interface GroupSummary {
  key: string;
  counts: StatusCounts;
  applicable: number;
  completion: number | null;
}

export interface NotableInstitution {
  code: string;
  name: LocalizedText;
  verifiedAt: Date;
}

export interface ResolutionSummary {
  resolution: ResolutionLite;
  counts: StatusCounts;
  applicable: number;
  completion: number | null;
  overdue: boolean;
  /** Up to five institutions that completed it first (verified). */
  firstCompleted: NotableInstitution[];
}

export interface MeetingSummary {
  resolutions: ResolutionSummary[];
  totals: { counts: StatusCounts; applicable: number; completion: number | null };
  byType: GroupSummary[];
  byRegion: GroupSummary[];
  /** Institutions with at least one applicable resolution. */
  institutions: number;
}

const summaryOf = (key: string, t: Tally): GroupSummary => ({ key, counts: t.counts, applicable: t.applicable, completion: completionOf(t) });

/**
 * Summarises a meeting in one pass over resolutions × institutions (20 × 1,000 is 20,000 map
 * look-ups). `resolutions` and `institutions` must already be the active ones.
 */
export function summarizeMeeting(
  resolutions: ResolutionLite[],
  institutions: InstitutionLite[],
  verified: VerifiedMap,
  now: Date,
  notableLimit = 5,
): MeetingSummary {
  const totals = emptyTally();
  const byType = new Map<string, Tally>();
  const byRegion = new Map<string, Tally>();
  const involved = new Set<string>();
  const out: ResolutionSummary[] = [];
  for (const r of resolutions) {
    const tally = emptyTally();
    const completed: NotableInstitution[] = [];
    for (const inst of institutions) {
      if (!appliesTo(r, inst)) continue;
      involved.add(inst.id);
      const v = verified.get(pairKey(inst.id, r.id));
      const status: PublicStatus = v ? v.status : 'not_reported';
      const percent = v ? v.percent : 0;
      addToTally(tally, status, percent);
      addToTally(totals, status, percent);
      let tt = byType.get(inst.type);
      if (!tt) byType.set(inst.type, (tt = emptyTally()));
      addToTally(tt, status, percent);
      let rt = byRegion.get(inst.region);
      if (!rt) byRegion.set(inst.region, (rt = emptyTally()));
      addToTally(rt, status, percent);
      if (v && v.status === 'completed') completed.push({ code: inst.code, name: inst.name, verifiedAt: v.at });
    }
    completed.sort((a, b) => a.verifiedAt.getTime() - b.verifiedAt.getTime() || a.code.localeCompare(b.code));
    const allDone = tally.applicable > 0 && tally.counts.completed + tally.counts.not_applicable === tally.applicable;
    out.push({
      resolution: r,
      counts: tally.counts,
      applicable: tally.applicable,
      completion: completionOf(tally),
      overdue: r.dueDate.getTime() < now.getTime() && !allDone,
      firstCompleted: completed.slice(0, notableLimit),
    });
  }
  const sortGroups = (m: Map<string, Tally>) =>
    [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, t]) => summaryOf(k, t));
  return {
    resolutions: out,
    totals: { counts: totals.counts, applicable: totals.applicable, completion: completionOf(totals) },
    byType: sortGroups(byType),
    byRegion: sortGroups(byRegion),
    institutions: involved.size,
  };
}
