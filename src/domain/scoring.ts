/**
 * The ranking method (issue 5), as a pure function of plain data.
 *
 * - Institutions that joined (were registered) after the cutoff are not ranked: they are listed
 *   as unranked with the reason "joined_after_cutoff", never scored as having reported nothing.
 * - For each active institution and each active resolution whose `appliesTo` includes the
 *   institution's type, take the latest verified value at or before the cutoff
 *   (claims and returns are ignored). points = percent (completed = 100).
 * - A verified `not_applicable` removes the pair from the denominator.
 * - No verified value = 0 points, status "not_reported".
 * - score = Σ(weight × points) ÷ Σ(weight) over the counted pairs, an exact fraction in 0..100.
 *   Institutions with no applicable resolution (or only verified not-applicable ones) are not ranked.
 * - Order: score desc, completed count desc, latest counted verification asc (institutions with
 *   none come after those with one), institution code asc. Entries equal on the first three keys
 *   share a rank (competition ranking: 1, 2, 2, 4); the code only fixes the display order.
 * - Ranks are computed overall and within each peer group (institution type).
 * - Grade from the exact score: A ≥ bands.A, B ≥ bands.B, C ≥ bands.C, else D.
 * - Awards: winners = entries with rankInType ≤ winnersPerPeerGroup and a winning grade; with
 *   shared ranks every institution sharing a qualifying rank wins (so a group may have more than
 *   three winners, never fewer because of a tie). Most improved = per peer group, the largest
 *   positive gain of the exact score over the previous published ranking of the same meeting
 *   (all institutions sharing the largest gain are named). Needs improvement = a listed grade
 *   (default D) or nothing reported at all (no verified value on any applicable resolution).
 *
 * Rounding rule (published with every ranking): `score` = the exact fraction rounded to 2
 * decimals, half-up. The exact fraction is published as `scoreExact` ("numerator/denominator").
 * Weights and percents are read as the decimals they are written as (1.5 = 3/2).
 */
import type { ProgressStatus } from './reference-data.js';
import {
  type Rational,
  compare,
  fromNumber,
  gcd as gcdBig,
  parseFraction,
  rational,
  roundHalfUp,
  sub,
  toFractionString,
} from './scoring-rational.js';

export const GRADES = ['A', 'B', 'C', 'D'] as const;
export type Grade = (typeof GRADES)[number];

export const SCORE_DECIMALS = 2;
export const ROUNDING_RULE = 'score = scoreExact rounded to 2 decimals, half-up';

export interface GradeBands {
  A: number;
  B: number;
  C: number;
}

export interface AwardRules {
  /** Ranks within the peer group that win (with a winning grade). */
  winnersPerPeerGroup: number;
  winnerGrades: Grade[];
  mostImproved: boolean;
  needsImprovementGrades: Grade[];
  needsImprovementIfNothingReported: boolean;
}

export interface ScoringParameters {
  gradeBands: GradeBands;
  awards: AwardRules;
  /** Per-resolution weight overrides (resolution id → weight); otherwise the resolution's weight. */
  weights?: Record<string, number>;
  /** Per-resolution applicability overrides (resolution id → institution types). */
  appliesTo?: Record<string, string[]>;
}

export const DEFAULT_GRADE_BANDS: GradeBands = Object.freeze({ A: 75, B: 50, C: 25 });
export const DEFAULT_AWARD_RULES: AwardRules = Object.freeze({
  winnersPerPeerGroup: 3,
  winnerGrades: ['A'] as Grade[],
  mostImproved: true,
  needsImprovementGrades: ['D'] as Grade[],
  needsImprovementIfNothingReported: true,
});

export function defaultScoringParameters(): ScoringParameters {
  return {
    gradeBands: { ...DEFAULT_GRADE_BANDS },
    awards: { ...DEFAULT_AWARD_RULES, winnerGrades: ['A'], needsImprovementGrades: ['D'] },
  };
}

export interface ScoringInstitution {
  id: string;
  code: string;
  type: string;
  region: string;
  active: boolean;
  /** When the institution was registered; after the cutoff it is not ranked. Absent = always a member. */
  joinedAt?: Date | null;
}

export interface ScoringResolution {
  id: string;
  number: number;
  weight: number;
  appliesTo: readonly string[];
  active: boolean;
}

export interface ScoringValue {
  institutionId: string;
  resolutionId: string;
  status: ProgressStatus;
  percent: number;
  verifiedAt: Date;
  /** Values of kind "claim" or "return" are not verified and are ignored. */
  kind?: 'claim' | 'return' | 'verification' | 'assessment';
  /** Report version, used only to order two values with the same timestamp. */
  version?: number;
}

export interface PreviousRanking {
  id: string;
  entries: { institutionId: string; scoreExact: string }[];
}

export interface ScoringInput {
  institutions: ScoringInstitution[];
  resolutions: ScoringResolution[];
  values: ScoringValue[];
  cutoff: Date;
  previous?: PreviousRanking | null;
}

export type BreakdownStatus = ProgressStatus | 'not_reported';

export interface BreakdownLine {
  resolutionId: string;
  number: number;
  weight: number;
  status: BreakdownStatus;
  /** Verified percent, null when not reported. */
  percent: number | null;
  /** Points counted (percent; 0 when not reported; null when not applicable). */
  points: number | null;
  verifiedAt: Date | null;
  /** False for a verified not_applicable pair (outside the denominator). */
  counted: boolean;
  /** Exact score gain if this resolution were verified completed ("n/d"), null when not counted. */
  gainIfCompletedExact: string | null;
  gainIfCompleted: number | null;
}

export interface RankedEntry {
  institutionId: string;
  code: string;
  type: string;
  region: string;
  scoreExact: string;
  score: number;
  rank: number;
  rankInType: number;
  grade: Grade;
  completed: number;
  /** Counted pairs with a verified value. */
  reported: number;
  notReported: number;
  notApplicable: number;
  /** Σ weights of the counted pairs (the denominator), as a decimal number. */
  weightTotal: number;
  latestVerifiedAt: Date | null;
  nothingReported: boolean;
  breakdown: BreakdownLine[];
}

export interface UnrankedInstitution {
  institutionId: string;
  code: string;
  type: string;
  region: string;
  reason: 'no_applicable_resolution' | 'all_not_applicable' | 'joined_after_cutoff';
}

export interface WinnerAward {
  institutionId: string;
  code: string;
  type: string;
  rankInType: number;
  score: number;
  grade: Grade;
}

export interface MostImprovedAward {
  institutionId: string;
  code: string;
  type: string;
  previousScoreExact: string;
  previousScore: number;
  score: number;
  gainExact: string;
  gain: number;
}

export interface NeedsImprovementAward {
  institutionId: string;
  code: string;
  type: string;
  score: number;
  grade: Grade;
  nothingReported: boolean;
}

export interface Awards {
  winners: WinnerAward[];
  mostImproved: MostImprovedAward[];
  needsImprovement: NeedsImprovementAward[];
}

export interface RankingResult {
  entries: RankedEntry[];
  unranked: UnrankedInstitution[];
  awards: Awards;
}

/** Throws a RangeError describing the first invalid parameter. */
export function validateScoringParameters(params: ScoringParameters): void {
  const { A, B, C } = params.gradeBands;
  for (const v of [A, B, C]) {
    if (!Number.isFinite(v) || v < 0 || v > 100) throw new RangeError('grade bands must be within 0..100');
  }
  if (!(A > B && B > C)) throw new RangeError('grade bands must satisfy A > B > C');
  const n = params.awards.winnersPerPeerGroup;
  if (!Number.isInteger(n) || n < 0) throw new RangeError('winnersPerPeerGroup must be a non-negative integer');
  for (const w of Object.values(params.weights ?? {})) {
    if (!Number.isFinite(w) || w <= 0) throw new RangeError('weights must be positive');
  }
}

export function gradeFor(score: Rational, bands: GradeBands): Grade {
  if (compare(score, fromNumber(bands.A)) >= 0) return 'A';
  if (compare(score, fromNumber(bands.B)) >= 0) return 'B';
  if (compare(score, fromNumber(bands.C)) >= 0) return 'C';
  return 'D';
}


interface Working {
  inst: ScoringInstitution;
  score: Rational;
  completed: number;
  latest: number | null;
  entry: Omit<RankedEntry, 'rank' | 'rankInType'>;
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares on the three ranking keys only (0 = shared rank). */
function compareKeys(a: Working, b: Working): number {
  const s = compare(b.score, a.score);
  if (s !== 0) return s;
  if (a.completed !== b.completed) return b.completed - a.completed;
  if (a.latest !== b.latest) {
    if (a.latest === null) return 1;
    if (b.latest === null) return -1;
    return a.latest - b.latest;
  }
  return 0;
}

function compareFull(a: Working, b: Working): number {
  return compareKeys(a, b) || cmpStr(a.inst.code, b.inst.code) || cmpStr(a.inst.id, b.inst.id);
}

/** Competition ranks (1, 2, 2, 4) over an already sorted list. */
function assignRanks(sorted: Working[]): number[] {
  const ranks: number[] = [];
  sorted.forEach((w, i) => {
    ranks.push(i > 0 && compareKeys(sorted[i - 1], w) === 0 ? ranks[i - 1] : i + 1);
  });
  return ranks;
}

/** True when `a` is a later verified value than `b` for the same pair. */
function isLater(a: ScoringValue, b: ScoringValue): boolean {
  const ta = a.verifiedAt.getTime();
  const tb = b.verifiedAt.getTime();
  if (ta !== tb) return ta > tb;
  const va = a.version ?? -1;
  const vb = b.version ?? -1;
  if (va !== vb) return va > vb;
  // Same time, no version: a fixed order so the result never depends on input order.
  if (a.percent !== b.percent) return a.percent > b.percent;
  return a.status > b.status;
}

/** "n/d" reduced and n/d rounded to 2 decimals half-up, for n ≥ 0, d > 0. */
function exactFraction(n: bigint, d: bigint): { exact: string; rounded: number } {
  const r = rational(n, d);
  return { exact: toFractionString(r), rounded: roundHalfUp(r, SCORE_DECIMALS) };
}

/** Computes a ranking. Pure: the same input always gives the same output, in any input order. */
export function computeRanking(input: ScoringInput, params: ScoringParameters): RankingResult {
  validateScoringParameters(params);
  const cutoff = input.cutoff.getTime();

  const resolutions = input.resolutions
    .filter((r) => r.active)
    .map((r) => ({
      id: r.id,
      number: r.number,
      weight: params.weights?.[r.id] ?? r.weight,
      appliesTo: new Set(params.appliesTo?.[r.id] ?? r.appliesTo),
    }))
    .sort((a, b) => a.number - b.number || cmpStr(a.id, b.id));

  // Pairs are addressed by position (institution × resolution) instead of by string keys: a
  // ranking of 1,000 institutions × 20 resolutions looks up 20,000 pairs.
  const R = resolutions.length;
  const resIndex = new Map<string, number>();
  resolutions.forEach((r, i) => resIndex.set(r.id, i));
  const instIndex = new Map<string, number>();
  for (const inst of input.institutions) if (inst.active && !instIndex.has(inst.id)) instIndex.set(inst.id, instIndex.size);

  // Latest verified value at or before the cutoff, per pair (values of institutions or
  // resolutions that are not ranked cannot count and are skipped).
  const latest: (ScoringValue | undefined)[] = new Array<ScoringValue | undefined>(instIndex.size * R);
  for (const v of input.values) {
    if (v.kind === 'claim' || v.kind === 'return') continue;
    if (v.verifiedAt.getTime() > cutoff) continue;
    const ii = instIndex.get(v.institutionId);
    const ri = resIndex.get(v.resolutionId);
    if (ii === undefined || ri === undefined) continue;
    const k = ii * R + ri;
    const prev = latest[k];
    if (!prev || isLater(v, prev)) latest[k] = v;
  }

  // Exact integer arithmetic on a common scale: every weight is an integer multiple of 1/W and
  // every percent of 1/P, so Σ(w × p) and Σw are integers and each score needs one reduction.
  const lcm = (a: bigint, b: bigint) => (a / gcdBig(a, b)) * b;
  const weightRat = resolutions.map((r) => fromNumber(r.weight));
  const W = weightRat.reduce((acc, w) => lcm(acc, w.d), 1n);
  const weightInt = weightRat.map((w) => w.n * (W / w.d));
  const percentRat = new Map<number, Rational>();
  for (const v of latest) if (v && !percentRat.has(v.percent)) percentRat.set(v.percent, fromNumber(v.percent));
  const P = [...percentRat.values()].reduce((acc, p) => lcm(acc, p.d), 1n);
  const hundredP = 100n * P;
  const pointsOfPercent = new Map<number, bigint>();
  for (const [x, p] of percentRat) pointsOfPercent.set(x, p.n * (P / p.d));
  const pointsInt = (v: ScoringValue): bigint => (v.status === 'completed' ? hundredP : (pointsOfPercent.get(v.percent) as bigint));
  // BigInt sums only (issue 14): a safe-integer twin of these sums saved 24 ms CPU per ranking
  // of 1,000 × 20 (76 vs 100 ms, bench/ranking-fastpaths.bench.ts), which no target needs.
  const bands = {
    A: fromNumber(params.gradeBands.A),
    B: fromNumber(params.gradeBands.B),
    C: fromNumber(params.gradeBands.C),
  };
  const grade = (score: Rational): Grade =>
    compare(score, bands.A) >= 0 ? 'A' : compare(score, bands.B) >= 0 ? 'B' : compare(score, bands.C) >= 0 ? 'C' : 'D';

  // The resolutions that apply to each institution type, in order.
  const applicableByType = new Map<string, number[]>();
  const applicableTo = (type: string): number[] => {
    let list = applicableByType.get(type);
    if (!list) {
      list = [];
      for (let i = 0; i < R; i++) if (resolutions[i].appliesTo.has(type)) list.push(i);
      applicableByType.set(type, list);
    }
    return list;
  };

  const working: Working[] = [];
  const unranked: UnrankedInstitution[] = [];
  for (const inst of input.institutions) {
    if (!inst.active) continue;
    const base = { institutionId: inst.id, code: inst.code, type: inst.type, region: inst.region };
    if (inst.joinedAt && inst.joinedAt.getTime() > cutoff) {
      unranked.push({ ...base, reason: 'joined_after_cutoff' });
      continue;
    }
    const applicable = applicableTo(inst.type);
    if (applicable.length === 0) {
      unranked.push({ ...base, reason: 'no_applicable_resolution' });
      continue;
    }
    const row = (instIndex.get(inst.id) as number) * R;
    let num = 0n;
    let den = 0n;
    let completed = 0;
    let reported = 0;
    let notApplicable = 0;
    let latestAt: number | null = null;
    for (const ri of applicable) {
      const v = latest[row + ri];
      if (v?.status === 'not_applicable') {
        notApplicable += 1;
        continue;
      }
      den += weightInt[ri];
      if (v) {
        num += weightInt[ri] * pointsInt(v);
        reported += 1;
        if (v.status === 'completed') completed += 1;
        const t = v.verifiedAt.getTime();
        if (latestAt === null || t > latestAt) latestAt = t;
      }
    }
    if (den === 0n) {
      unranked.push({ ...base, reason: 'all_not_applicable' });
      continue;
    }
    const score = rational(num, den * P);
    const denP = den * P;
    const breakdown: BreakdownLine[] = new Array<BreakdownLine>(applicable.length);
    for (let j = 0; j < applicable.length; j++) {
      const ri = applicable[j];
      const r = resolutions[ri];
      const v = latest[row + ri];
      const counted = v?.status !== 'not_applicable';
      const points = !counted ? null : v ? (v.status === 'completed' ? 100 : v.percent) : 0;
      // Gain if completed = w × (100 − points) ÷ Σw.
      const gain = counted ? exactFraction(weightInt[ri] * (hundredP - (v ? pointsInt(v) : 0n)), denP) : null;
      breakdown[j] = {
        resolutionId: r.id,
        number: r.number,
        weight: r.weight,
        status: v ? v.status : 'not_reported',
        percent: v ? v.percent : null,
        points,
        verifiedAt: v ? new Date(v.verifiedAt.getTime()) : null,
        counted,
        gainIfCompletedExact: gain ? gain.exact : null,
        gainIfCompleted: gain ? gain.rounded : null,
      };
    }
    const denRat = rational(den, W);
    working.push({
      inst,
      score,
      completed,
      latest: latestAt,
      entry: {
        ...base,
        scoreExact: toFractionString(score),
        score: roundHalfUp(score, SCORE_DECIMALS),
        grade: grade(score),
        completed,
        reported,
        notReported: applicable.length - notApplicable - reported,
        notApplicable,
        weightTotal: Number(denRat.n) / Number(denRat.d),
        latestVerifiedAt: latestAt === null ? null : new Date(latestAt),
        nothingReported: reported === 0,
        breakdown,
      },
    });
  }

  working.sort(compareFull);
  const ranks = assignRanks(working);
  const rankInType = new Map<Working, number>();
  const byType = new Map<string, Working[]>();
  for (const w of working) {
    const list = byType.get(w.inst.type) ?? [];
    list.push(w);
    byType.set(w.inst.type, list);
  }
  for (const list of byType.values()) {
    const r = assignRanks(list);
    list.forEach((w, i) => rankInType.set(w, r[i]));
  }
  const entries: RankedEntry[] = working.map((w, i) => ({
    ...w.entry,
    rank: ranks[i],
    rankInType: rankInType.get(w) ?? 0,
  }));

  unranked.sort((a, b) => cmpStr(a.code, b.code) || cmpStr(a.institutionId, b.institutionId));
  return { entries, unranked, awards: computeAwards(entries, working, params.awards, input.previous ?? null) };
}

function computeAwards(
  entries: RankedEntry[],
  working: Working[],
  rules: AwardRules,
  previous: PreviousRanking | null,
): Awards {
  const winners: WinnerAward[] = entries
    .filter((e) => e.rankInType <= rules.winnersPerPeerGroup && rules.winnerGrades.includes(e.grade))
    .map((e) => ({
      institutionId: e.institutionId,
      code: e.code,
      type: e.type,
      rankInType: e.rankInType,
      score: e.score,
      grade: e.grade,
    }))
    .sort((a, b) => cmpStr(a.type, b.type) || a.rankInType - b.rankInType || cmpStr(a.code, b.code));

  const mostImproved: MostImprovedAward[] = [];
  if (rules.mostImproved && previous) {
    const prevScores = new Map(previous.entries.map((e) => [e.institutionId, parseFraction(e.scoreExact)]));
    const bestByType = new Map<string, { gain: Rational; items: MostImprovedAward[] }>();
    working.forEach((w, i) => {
      const prev = prevScores.get(w.inst.id);
      if (!prev) return;
      const gain = sub(w.score, prev);
      if (gain.n <= 0n) return;
      const e = entries[i];
      const award: MostImprovedAward = {
        institutionId: e.institutionId,
        code: e.code,
        type: e.type,
        previousScoreExact: toFractionString(prev),
        previousScore: roundHalfUp(prev, SCORE_DECIMALS),
        score: e.score,
        gainExact: toFractionString(gain),
        gain: roundHalfUp(gain, SCORE_DECIMALS),
      };
      const best = bestByType.get(e.type);
      const c = best ? compare(gain, best.gain) : 1;
      if (!best || c > 0) bestByType.set(e.type, { gain, items: [award] });
      else if (c === 0) best.items.push(award);
    });
    for (const { items } of bestByType.values()) mostImproved.push(...items);
    mostImproved.sort((a, b) => cmpStr(a.type, b.type) || cmpStr(a.code, b.code));
  }

  const needsImprovement: NeedsImprovementAward[] = entries
    .filter(
      (e) =>
        rules.needsImprovementGrades.includes(e.grade) || (rules.needsImprovementIfNothingReported && e.nothingReported),
    )
    .map((e) => ({
      institutionId: e.institutionId,
      code: e.code,
      type: e.type,
      score: e.score,
      grade: e.grade,
      nothingReported: e.nothingReported,
    }))
    .sort((a, b) => cmpStr(a.type, b.type) || cmpStr(a.code, b.code));

  return { winners, mostImproved, needsImprovement };
}
