/**
 * The snapshot builder: everything a ranking document holds, computed for one meeting.
 *
 *   inputs   = active institutions, the meeting's active resolutions (plus carried-over ones if
 *              chosen) with the weights/applicability chosen for this ranking, and the verified
 *              values at or before the cutoff (ranking-inputs.ts);
 *   plus     = corrections from accepted objections on rankings of the same meeting: a correction
 *              is recorded as a direct assessment when it is accepted, and counts for the ranking
 *              it was filed against (and later ones) as verified at min(assessment time, that
 *              ranking's cutoff);
 *   previous = the latest published ranking of the same meeting (most improved, diff).
 *
 * It reads and computes; it never writes (the workflow service stores what it returns).
 */
import { Types, trusted } from 'mongoose';
import { computeCategory, type CategoryDefinition } from '../../domain/award-categories.js';
import { financialYearOf, type AssessmentPeriod, type LaggardVisibility } from '../../domain/assessment-period.js';
import type { ProgressStatus } from '../../domain/reference-data.js';
import { diffEntries, type DiffEntry } from '../../domain/ranking-diff.js';
import {
  ROUNDING_RULE,
  computeRanking,
  defaultScoringParameters,
  validateScoringParameters,
  type AwardRules,
  type GradeBands,
  type RankingResult,
  type ScoringParameters,
  type ScoringValue,
} from '../../domain/scoring.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import { InstitutionModel } from '../institutions/institution.model.js';
import { MeetingModel } from '../meetings/meeting.model.js';
import { ResolutionModel } from '../resolutions/resolution.model.js';
import { ObjectionModel } from './objection.model.js';
import { RankingModel, type Ranking } from './ranking.model.js';
import { loadRankingInputs } from './ranking-inputs.js';
import { encodeLine, expandEntries } from '../../db/ranking-lines.codec.js';
import { pairKey } from '../../domain/pair-key.js';

export interface RankingOptions {
  cutoff: Date;
  gradeBands?: GradeBands;
  awards?: Partial<AwardRules>;
  includeCarriedOver?: boolean;
  /** Weight overrides per resolution id. */
  weights?: Record<string, number>;
  /** Applicability overrides per resolution id. */
  appliesTo?: Record<string, string[]>;
  /** Award categories judged besides the overall ranking (criteria name resolution ids). */
  categories?: CategoryDefinition[];
  /** The period assessed; the financial year of the cutoff when absent. */
  period?: AssessmentPeriod;
  needsImprovementVisibility?: LaggardVisibility;
}

const oid = (id: string | Types.ObjectId): Types.ObjectId => (typeof id === 'string' ? new Types.ObjectId(id) : id);

/** Builds the ranking document fields (everything a snapshot holds) for a meeting. */
export async function computeSnapshot(meetingId: Types.ObjectId, options: RankingOptions, excludeRanking?: Types.ObjectId) {
  const meeting = await MeetingModel.findById(meetingId).lean();
  if (!meeting) throw new NotFoundError('rankings:meetingNotFound');
  const params: ScoringParameters = defaultScoringParameters();
  if (options.gradeBands) params.gradeBands = { ...options.gradeBands };
  if (options.awards) params.awards = { ...params.awards, ...options.awards };
  try {
    validateScoringParameters({ ...params, weights: options.weights });
  } catch {
    throw new ValidationError({ gradeBands: 'rankings:invalidParameters' }, 'rankings:invalidParameters');
  }

  const resFilter: Record<string, unknown> = { meeting: meetingId, active: true };
  if (!options.includeCarriedOver) resFilter.carriedOverFrom = null;
  const resolutions = await ResolutionModel.find(resFilter)
    .select({ number: 1, title: 1, weight: 1, appliesTo: 1, carriedOverFrom: 1 })
    .sort({ number: 1 })
    .lean();
  const paramResolutions = resolutions.map((r) => ({
    resolution: r._id,
    number: r.number,
    title: r.title,
    weight: options.weights?.[String(r._id)] ?? r.weight ?? 1,
    appliesTo: options.appliesTo?.[String(r._id)] ?? [...(r.appliesTo ?? [])],
    carriedOverFrom: r.carriedOverFrom ?? null,
  }));
  // Institutions e-GA marked out of scope (Zanzibar's councils by default) are not ranked.
  const institutions = await InstitutionModel.find({ active: true, inScope: trusted({ $ne: false }) })
    .select({ code: 1, name: 1, type: 1, region: 1, active: 1, maturityLevel: 1, createdAt: 1 })
    .lean();
  const inputs = await loadRankingInputs(resolutions.map((r) => r._id), options.cutoff);
  const values: ScoringValue[] = inputs.values;

  // Corrections from accepted objections on rankings of this meeting.
  const rankingsOfMeeting = await RankingModel.find({ meeting: meetingId }).select({ cutoff: 1 }).lean();
  const cutoffOf = new Map(rankingsOfMeeting.map((r) => [String(r._id), r.cutoff.getTime()]));
  const accepted = await ObjectionModel.find({ ranking: trusted({ $in: rankingsOfMeeting.map((r) => r._id) }), state: 'accepted' })
    .select({ ranking: 1, institution: 1, resolution: 1, correctedStatus: 1, correctedPercent: 1, correctedAt: 1 })
    .lean();
  const correctedPairs = new Map<string, number>();
  for (const o of accepted) {
    if (!o.correctedStatus || !o.correctedAt) continue;
    const at = Math.min(o.correctedAt.getTime(), cutoffOf.get(String(o.ranking)) ?? o.correctedAt.getTime());
    if (at > options.cutoff.getTime()) continue;
    values.push({
      institutionId: String(o.institution),
      resolutionId: String(o.resolution),
      status: o.correctedStatus as ProgressStatus,
      percent: o.correctedPercent ?? 0,
      verifiedAt: new Date(at),
      kind: 'assessment',
      version: Number.MAX_SAFE_INTEGER - 1_000_000 + Math.floor(o.correctedAt.getTime() / 1e6),
    });
    correctedPairs.set(pairKey(String(o.institution), String(o.resolution)), at);
  }

  const prevFilter: Record<string, unknown> = { meeting: meetingId, status: 'published' };
  if (excludeRanking) prevFilter._id = trusted({ $ne: excludeRanking });
  const previous = await RankingModel.findOne(prevFilter)
    .sort({ version: -1 })
    .select({
      version: 1,
      'parameters.resolutions': 1,
      'entries.institution': 1,
      'entries.scoreExact': 1,
      'entries.rank': 1,
      'entries.score': 1,
      'entries.breakdown': 1,
      'entries.lines': 1,
      'entries.code': 1,
      'entries.name': 1,
    })
    .lean();
  if (previous) expandEntries(previous);

  const scoring: ScoringParameters = {
    ...params,
    weights: Object.fromEntries(paramResolutions.map((r) => [String(r.resolution), r.weight])),
    appliesTo: Object.fromEntries(paramResolutions.map((r) => [String(r.resolution), r.appliesTo])),
  };
  const scoringInput = {
    institutions: institutions.map((i) => ({
      id: String(i._id),
      code: i.code,
      type: i.type,
      region: i.region,
      active: i.active,
      joinedAt: i.createdAt ?? null,
    })),
    resolutions: paramResolutions.map((r) => ({
      id: String(r.resolution),
      number: r.number,
      weight: r.weight,
      appliesTo: r.appliesTo,
      active: true,
    })),
    values,
    cutoff: options.cutoff,
  };
  const result: RankingResult = computeRanking(
    {
      ...scoringInput,
      previous: previous
        ? { id: String(previous._id), entries: previous.entries.map((e) => ({ institutionId: String(e.institution), scoreExact: e.scoreExact })) }
        : null,
    },
    scoring,
  );
  // Award categories: the same input, each restricted to its own criteria. Criteria naming a
  // resolution that is no longer in the ranking are dropped (a category left with none is kept
  // with no entries, so the admin sees it and fixes it).
  const inRanking = new Set(paramResolutions.map((r) => String(r.resolution)));
  const categoryDefs = (options.categories ?? []).map((c) => ({ ...c, criteria: c.criteria.filter((x) => inRanking.has(x.resolutionId)) }));
  const maturity = institutions.map((i) => ({ id: String(i._id), maturityLevel: i.maturityLevel ?? null }));
  const categoryResults = categoryDefs.map((c) =>
    c.criteria.length === 0 ? { key: c.key, entries: [], winners: [], groups: [] } : computeCategory(c, scoringInput, maturity, params.gradeBands),
  );

  const instById = new Map(institutions.map((i) => [String(i._id), i]));
  const nameOf = (id: string) => {
    const n = instById.get(id)?.name;
    return { sw: n?.sw ?? '', ...(n?.en ? { en: n.en } : {}) };
  };

  const isCorrected = (institutionId: string, resolutionId: string, at: Date | null): boolean => {
    if (correctedPairs.size === 0 || !at) return false;
    return at.getTime() === correctedPairs.get(pairKey(institutionId, resolutionId));
  };
  // Entries are built in their stored form: the breakdown lines go straight into the compact
  // `lines` string (src/db/ranking-lines.codec.ts), 20,000 line objects fewer per ranking. Decoding takes
  // each line's resolution id and weight from the parameters by its number, so check they agree.
  const paramByNumber = new Map(paramResolutions.map((r) => [r.number, r]));
  const resolutionIdOf = new Map(paramResolutions.map((r) => [r, String(r.resolution)]));
  const entries = result.entries.map((e) => {
    const claims = inputs.claims.get(e.institutionId);
    const encoded: string[] = new Array<string>(e.breakdown.length);
    for (let j = 0; j < e.breakdown.length; j++) {
      const b = e.breakdown[j];
      const param = paramByNumber.get(b.number);
      if (!param || resolutionIdOf.get(param) !== b.resolutionId || param.weight !== b.weight) {
        throw new Error(`breakdown line ${b.number} of ${e.code} does not match the ranking's parameters`);
      }
      const claim = claims?.get(b.resolutionId);
      encoded[j] = encodeLine({
        number: b.number,
        status: b.status,
        percent: b.percent,
        verifiedAt: b.verifiedAt,
        gainIfCompletedExact: b.gainIfCompletedExact,
        gainIfCompleted: b.gainIfCompleted,
        claimedStatus: claim?.status ?? null,
        claimedPercent: claim?.percent ?? null,
        corrected: isCorrected(e.institutionId, b.resolutionId, b.verifiedAt),
      });
    }
    return {
      institution: instById.get(e.institutionId)?._id ?? oid(e.institutionId),
      code: e.code,
      name: nameOf(e.institutionId),
      type: e.type,
      region: e.region,
      scoreExact: e.scoreExact,
      score: e.score,
      rank: e.rank,
      rankInType: e.rankInType,
      grade: e.grade,
      completed: e.completed,
      reported: e.reported,
      notReported: e.notReported,
      notApplicable: e.notApplicable,
      weightTotal: e.weightTotal,
      latestVerifiedAt: e.latestVerifiedAt,
      nothingReported: e.nothingReported,
      maturityLevel: instById.get(e.institutionId)?.maturityLevel ?? null,
      lines: encoded.join(';'),
    };
  });
  const toAward = (a: Record<string, unknown> & { institutionId: string }) => {
    const { institutionId, ...rest } = a;
    return { institution: oid(institutionId), ...rest };
  };

  return {
    meeting: meetingId,
    cutoff: options.cutoff,
    parameters: {
      gradeBands: params.gradeBands,
      awards: params.awards,
      includeCarriedOver: Boolean(options.includeCarriedOver),
      resolutions: paramResolutions,
      roundingRule: ROUNDING_RULE,
      categories: categoryDefs.map((c) => ({
        key: c.key,
        name: c.name,
        description: { sw: c.description.sw ?? '', en: c.description.en ?? '' },
        grouping: c.grouping,
        criteria: c.criteria.map((x) => ({ resolution: oid(x.resolutionId), weight: x.weight })),
        winners: { top: c.winners.top, minScore: c.winners.minScore, minGrade: c.winners.minGrade },
      })),
      period: options.period ?? financialYearOf(options.cutoff),
      needsImprovementVisibility: options.needsImprovementVisibility ?? 'public',
    },
    categories: categoryResults.map((c) => ({
      key: c.key,
      entries: c.entries.map(({ institutionId, ...rest }) => ({ institution: oid(institutionId), ...rest })),
      winners: c.winners.map(({ institutionId, ...rest }) => ({ institution: oid(institutionId), ...rest })),
      groups: c.groups,
    })),
    entries,
    unranked: result.unranked.map((u) => ({ ...u, institution: oid(u.institutionId), name: nameOf(u.institutionId) })),
    awards: {
      winners: result.awards.winners.map((a) => toAward({ ...a })),
      mostImproved: result.awards.mostImproved.map((a) => toAward({ ...a })),
      needsImprovement: result.awards.needsImprovement.map((a) => toAward({ ...a })),
    },
    previous: previous?._id ?? null,
    previousVersion: previous?.version ?? null,
    // The difference compares lines: decode this ranking's (copies; the entries stay stored form).
    diff: previous
      ? diffEntries(previous.entries as DiffEntry[], expandEntries({ parameters: { resolutions: paramResolutions }, entries: entries.map((e) => ({ ...e })) }).entries as unknown as DiffEntry[])
      : [],
  };
}


/** The fields computeSnapshot returns (a ranking document without its workflow fields). */
export type Snapshot = Awaited<ReturnType<typeof computeSnapshot>>;

/** Options a ranking was computed with (used to recompute it). */
export function optionsOf(r: Pick<Ranking, 'cutoff' | 'parameters'>): RankingOptions {
  const p = r.parameters;
  return {
    cutoff: r.cutoff,
    gradeBands: { A: p.gradeBands.A, B: p.gradeBands.B, C: p.gradeBands.C },
    awards: {
      winnersPerPeerGroup: p.awards.winnersPerPeerGroup,
      winnerGrades: [...p.awards.winnerGrades] as AwardRules['winnerGrades'],
      mostImproved: p.awards.mostImproved,
      needsImprovementGrades: [...p.awards.needsImprovementGrades] as AwardRules['needsImprovementGrades'],
      needsImprovementIfNothingReported: p.awards.needsImprovementIfNothingReported,
    },
    includeCarriedOver: p.includeCarriedOver,
    weights: Object.fromEntries(p.resolutions.map((r) => [String(r.resolution), r.weight])),
    appliesTo: Object.fromEntries(p.resolutions.map((r) => [String(r.resolution), [...r.appliesTo]])),
    categories: categoriesOf(r),
    ...(p.period ? { period: { label: p.period.label, starts: p.period.starts, ends: p.period.ends } } : {}),
    needsImprovementVisibility: (p.needsImprovementVisibility ?? 'public') as LaggardVisibility,
  };
}

/** The award category definitions of a ranking, with resolution ids as strings. */
export function categoriesOf(r: Pick<Ranking, 'parameters'>): CategoryDefinition[] {
  return (r.parameters.categories ?? []).map((c) => ({
    key: c.key,
    name: { sw: c.name.sw, ...(c.name.en ? { en: c.name.en } : {}) },
    description: { sw: c.description?.sw ?? '', ...(c.description?.en ? { en: c.description.en } : {}) },
    grouping: c.grouping as CategoryDefinition['grouping'],
    criteria: c.criteria.map((x) => ({ resolutionId: String(x.resolution), weight: x.weight })),
    winners: {
      top: c.winners?.top ?? 1,
      minScore: c.winners?.minScore ?? null,
      minGrade: (c.winners?.minGrade ?? null) as CategoryDefinition['winners']['minGrade'],
    },
  }));
}

