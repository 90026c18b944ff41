/**
 * Award categories (issue 15): named awards that e-GA judges within a ranking, each with its own
 * criteria, its own peer grouping and its own rule for winners. Pure functions of plain data.
 *
 * A category scores every ranked institution with the ranking method of scoring.ts restricted
 * to its criteria: the chosen resolutions/directives with the category's own weights (the same
 * latest verified value per pair, the same exact fraction, the same order and competition
 * ranks). Then:
 * - peer groups: all institutions together ("none"), or by institution type, by region, or by
 *   e-Government maturity level (institutions without an assessed level are ranked but belong to
 *   no maturity group, so they cannot win);
 * - places: competition ranks within the group (1, 2, 2, 4), on the same three keys;
 * - winners per group: place ≤ top, and (when set) score ≥ minScore and grade at least minGrade.
 *   A group where no institution qualifies has no winner; shared places all win.
 *
 * Everything a category needs is published with the ranking (its definition, and each entry's
 * breakdown lines, type, region and maturity level), so anyone can recompute it exactly.
 */
import type { LocalizedText } from './reference-data.js';
import { GRADES, computeRanking, defaultScoringParameters, type Grade, type GradeBands, type ScoringInput } from './scoring.js';
import { compare, fromNumber, parseFraction } from './scoring-rational.js';

export const CATEGORY_GROUPINGS = ['none', 'type', 'region', 'maturity'] as const;
export type CategoryGrouping = (typeof CATEGORY_GROUPINGS)[number];

/** The group key of institutions not in any group (maturity grouping without a level). */
export const NO_GROUP = '';
/** The group key when a category has no grouping. */
export const ALL_GROUP = 'all';

export interface CategoryCriterion {
  resolutionId: string;
  weight: number;
}

export interface WinnerRule {
  /** Number of places that win in each group (ties at the last place all win). */
  top: number;
  /** Minimum score (0-100), or null for none. */
  minScore: number | null;
  /** Minimum grade (A best), or null for none. */
  minGrade: Grade | null;
}

export interface CategoryDefinition {
  /** Stable key within the ranking (letters, digits, dashes), used in URLs and the open data. */
  key: string;
  name: LocalizedText;
  description: LocalizedText;
  grouping: CategoryGrouping;
  criteria: CategoryCriterion[];
  winners: WinnerRule;
}

/** What a category needs of an institution besides the scoring input. */
export interface CategoryInstitution {
  id: string;
  maturityLevel: number | null;
}

export interface CategoryEntry {
  institutionId: string;
  code: string;
  group: string;
  scoreExact: string;
  score: number;
  grade: Grade;
  completed: number;
  /** Place among all institutions ranked in the category. */
  rank: number;
  /** Place within the peer group (0 for institutions in no group). */
  place: number;
}

export interface CategoryWinner {
  institutionId: string;
  code: string;
  group: string;
  place: number;
  scoreExact: string;
  score: number;
  grade: Grade;
}

export interface CategoryResult {
  key: string;
  entries: CategoryEntry[];
  winners: CategoryWinner[];
  /** Every group that has ranked institutions, in display order, with its number of winners (may be 0). */
  groups: Array<{ group: string; ranked: number; winners: number }>;
}

/** The group key of one institution under a grouping. */
export function groupOf(grouping: CategoryGrouping, inst: { type: string; region: string; maturityLevel: number | null }): string {
  switch (grouping) {
    case 'none':
      return ALL_GROUP;
    case 'type':
      return inst.type;
    case 'region':
      return inst.region;
    case 'maturity':
      return inst.maturityLevel ? `level-${inst.maturityLevel}` : NO_GROUP;
  }
}

/** True when grade `g` is at least `min` (A best). */
export function gradeAtLeast(g: Grade, min: Grade | null): boolean {
  return min === null || GRADES.indexOf(g) <= GRADES.indexOf(min);
}

/** Checks a definition; returns field -> i18n key (empty when valid). */
export function categoryErrors(def: CategoryDefinition, knownResolutions: ReadonlySet<string>): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!/^[a-z0-9][a-z0-9-]{0,39}$/.test(def.key)) errors.key = 'awards:errors.key';
  if (!def.name.sw.trim()) errors.nameSw = 'reference:validation.required';
  if (def.criteria.length === 0) errors.criteria = 'awards:errors.noCriteria';
  for (const c of def.criteria) {
    if (!knownResolutions.has(c.resolutionId)) errors.criteria = 'awards:errors.unknownResolution';
    if (!(Number.isFinite(c.weight) && c.weight > 0 && c.weight <= 1000)) errors.criteria = 'awards:errors.weight';
  }
  if (new Set(def.criteria.map((c) => c.resolutionId)).size !== def.criteria.length) errors.criteria = 'awards:errors.duplicateResolution';
  if (!(Number.isInteger(def.winners.top) && def.winners.top >= 1 && def.winners.top <= 50)) errors.top = 'awards:errors.top';
  if (def.winners.minScore !== null && !(def.winners.minScore >= 0 && def.winners.minScore <= 100)) errors.minScore = 'awards:errors.minScore';
  return errors;
}

function sameKeys(a: { scoreExact: string; completed: number; latest: number | null }, b: { scoreExact: string; completed: number; latest: number | null }): boolean {
  // Fractions are stored reduced, so equal scores have equal strings.
  return a.scoreExact === b.scoreExact && a.completed === b.completed && a.latest === b.latest;
}

/**
 * Computes one category over the ranking's input. `input` is the ranking's scoring input (all
 * resolutions, values and institutions); the category keeps only its criteria, with its weights.
 */
export function computeCategory(
  def: CategoryDefinition,
  input: ScoringInput,
  institutions: readonly CategoryInstitution[],
  gradeBands: GradeBands,
): CategoryResult {
  const weightOf = new Map(def.criteria.map((c) => [c.resolutionId, c.weight]));
  const params = { ...defaultScoringParameters(), gradeBands: { ...gradeBands } };
  const result = computeRanking(
    {
      institutions: input.institutions,
      resolutions: input.resolutions.filter((r) => weightOf.has(r.id)).map((r) => ({ ...r, weight: weightOf.get(r.id) as number })),
      values: input.values,
      cutoff: input.cutoff,
      previous: null,
    },
    params,
  );
  const levelOf = new Map(institutions.map((i) => [i.id, i.maturityLevel]));
  const minScore = def.winners.minScore === null ? null : fromNumber(def.winners.minScore);

  const lastInGroup = new Map<string, { keys: { scoreExact: string; completed: number; latest: number | null }; place: number; count: number }>();
  const entries: CategoryEntry[] = result.entries.map((e) => {
    const group = groupOf(def.grouping, { type: e.type, region: e.region, maturityLevel: levelOf.get(e.institutionId) ?? null });
    const keys = { scoreExact: e.scoreExact, completed: e.completed, latest: e.latestVerifiedAt ? e.latestVerifiedAt.getTime() : null };
    let place = 0;
    if (group !== NO_GROUP) {
      const last = lastInGroup.get(group);
      const count = (last?.count ?? 0) + 1;
      place = last && sameKeys(last.keys, keys) ? last.place : count;
      lastInGroup.set(group, { keys, place, count });
    }
    return { institutionId: e.institutionId, code: e.code, group, scoreExact: e.scoreExact, score: e.score, grade: e.grade, completed: e.completed, rank: e.rank, place };
  });

  const winners: CategoryWinner[] = entries
    .filter(
      (e) =>
        e.group !== NO_GROUP &&
        e.place <= def.winners.top &&
        gradeAtLeast(e.grade, def.winners.minGrade) &&
        (minScore === null || compare(parseFraction(e.scoreExact), minScore) >= 0),
    )
    .map((e) => ({ institutionId: e.institutionId, code: e.code, group: e.group, place: e.place, scoreExact: e.scoreExact, score: e.score, grade: e.grade }));

  const groups = [...lastInGroup.entries()]
    .map(([group, g]) => ({ group, ranked: g.count, winners: winners.filter((w) => w.group === group).length }))
    .sort((a, b) => compareGroups(a.group, b.group));
  winners.sort((a, b) => compareGroups(a.group, b.group) || a.place - b.place || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return { key: def.key, entries, winners, groups };
}

/** Maturity groups highest level first (Level 4 before Level 3, as e-GA announces them); others by name. */
function compareGroups(a: string, b: string): number {
  const la = /^level-(\d)$/.exec(a);
  const lb = /^level-(\d)$/.exec(b);
  if (la && lb) return Number(lb[1]) - Number(la[1]);
  return a < b ? -1 : a > b ? 1 : 0;
}
