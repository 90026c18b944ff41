/**
 * Rankings: compute drafts, open the right of reply, answer objections, publish immutable
 * versions with a readable difference to the previous one.
 *
 * How a ranking is computed (see src/domain/scoring.ts for the method itself):
 *   inputs  = active institutions, the meeting's active resolutions (plus carried-over ones if
 *             chosen) with the weights/applicability chosen for this ranking, and the verified
 *             values at or before the cutoff (getVerifiedValues);
 *   plus    = corrections from accepted objections on rankings of the same meeting: a correction
 *             is recorded as a direct assessment now, and counts for the ranking it was filed
 *             against (and later ones) as verified at min(assessment time, that ranking's cutoff);
 *   previous = the latest published ranking of the same meeting (most improved, diff).
 */
import mongoose, { Types, trusted } from 'mongoose';
import { GridFSBucket, ObjectId, type Db } from 'mongodb';
import type { ProgressStatus } from '../../domain/reference-data.js';
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
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import { logger } from '../../logger.js';
import type { SessionUser } from '../../middleware/auth.js';
import { recordAudit } from '../audit/audit.service.js';
import { InstitutionModel } from '../institutions/institution.model.js';
import { MeetingModel } from '../meetings/meeting.model.js';
import { ResolutionModel } from '../resolutions/resolution.model.js';
import { ObjectionModel, type Objection } from './objection.model.js';
import { RankingModel, type Ranking } from './ranking.model.js';
import { applyCorrection } from './corrections.js';
import { loadRankingInputs, pairKey } from './ranking-inputs.js';
import { encodeLine, expandEntries } from './breakdown-codec.js';
import { EVIDENCE_BUCKET, type StoredFile } from '../evidence/evidence.service.js';

const log = logger.child({ module: 'rankings' });

export type Actor = Pick<SessionUser, 'id' | 'role' | 'institutionId'> & Partial<Pick<SessionUser, 'name' | 'email'>>;

export interface RankingOptions {
  cutoff: Date;
  gradeBands?: GradeBands;
  awards?: Partial<AwardRules>;
  includeCarriedOver?: boolean;
  /** Weight overrides per resolution id. */
  weights?: Record<string, number>;
  /** Applicability overrides per resolution id. */
  appliesTo?: Record<string, string[]>;
}

const oid = (id: string | Types.ObjectId): Types.ObjectId => (typeof id === 'string' ? new Types.ObjectId(id) : id);

function assertId(id: string): Types.ObjectId {
  if (!Types.ObjectId.isValid(id) || !/^[0-9a-f]{24}$/i.test(id)) throw new NotFoundError('rankings:notFound');
  return new Types.ObjectId(id);
}

function auditActor(actor: Actor) {
  return { id: actor.id, role: actor.role, name: actor.name, email: actor.email };
}

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
  const institutions = await InstitutionModel.find({ active: true })
    .select({ code: 1, name: 1, type: 1, region: 1, active: 1 })
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
  const result: RankingResult = computeRanking(
    {
      institutions: institutions.map((i) => ({ id: String(i._id), code: i.code, type: i.type, region: i.region, active: i.active }),
      ),
      resolutions: paramResolutions.map((r) => ({
        id: String(r.resolution),
        number: r.number,
        weight: r.weight,
        appliesTo: r.appliesTo,
        active: true,
      })),
      values,
      cutoff: options.cutoff,
      previous: previous
        ? { id: String(previous._id), entries: previous.entries.map((e) => ({ institutionId: String(e.institution), scoreExact: e.scoreExact })) }
        : null,
    },
    scoring,
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
  // `lines` string (breakdown-codec.ts), 20,000 line objects fewer per ranking. Decoding takes
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
    },
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
    diff: previous ? diffEntries(previous.entries, expandEntries({ parameters: { resolutions: paramResolutions }, entries: entries.map((e) => ({ ...e })) }).entries as unknown as DiffSource[]) : [],
  };
}

interface DiffSource {
  institution: Types.ObjectId;
  code: string;
  name: { sw: string; en?: string | null };
  rank: number;
  score: number;
  breakdown: { number: number; status: string; percent?: number | null; corrected?: boolean | null }[];
}

/** Who moved, by how much and why (which counted values changed). */
export function diffEntries(before: DiffSource[], after: DiffSource[]) {
  const prev = new Map(before.map((e) => [String(e.institution), e]));
  const next = new Map(after.map((e) => [String(e.institution), e]));
  const ids = [...new Set([...prev.keys(), ...next.keys()])];
  const lines = [];
  for (const id of ids) {
    const a = prev.get(id);
    const b = next.get(id);
    const src = (b ?? a) as DiffSource;
    const fromLines = new Map((a?.breakdown ?? []).map((l) => [l.number, l]));
    const toLines = new Map((b?.breakdown ?? []).map((l) => [l.number, l]));
    const reasons = [];
    for (const n of [...new Set([...fromLines.keys(), ...toLines.keys()])].sort((x, y) => x - y)) {
      const f = fromLines.get(n);
      const t = toLines.get(n);
      if (f?.status === t?.status && (f?.percent ?? null) === (t?.percent ?? null)) continue;
      reasons.push({
        number: n,
        fromStatus: f?.status ?? '',
        fromPercent: f?.percent ?? null,
        toStatus: t?.status ?? '',
        toPercent: t?.percent ?? null,
        corrected: Boolean(t?.corrected),
      });
    }
    if (a && b && a.rank === b.rank && a.score === b.score && reasons.length === 0) continue;
    lines.push({
      institution: src.institution,
      code: src.code,
      name: { sw: src.name.sw, ...(src.name.en ? { en: src.name.en } : {}) },
      fromRank: a?.rank ?? null,
      toRank: b?.rank ?? null,
      fromScore: a?.score ?? null,
      toScore: b?.score ?? null,
      reasons,
    });
  }
  // Biggest movers first.
  const move = (l: { fromRank: number | null; toRank: number | null }) =>
    l.fromRank === null || l.toRank === null ? Number.MAX_SAFE_INTEGER : Math.abs(l.fromRank - l.toRank);
  return lines.sort((x, y) => move(y) - move(x) || x.code.localeCompare(y.code));
}

/** Computes a new draft ranking for a meeting. */
export async function createDraft(actor: Actor, meetingId: string, options: RankingOptions): Promise<ComputedRanking> {
  const meeting = oid(assertMeetingId(meetingId));
  const snapshot = await computeSnapshot(meeting, options);
  const now = new Date();
  const doc = await insertDraft({ ...snapshot, computedBy: oid(actor.id), computedAt: now });
  await recordAudit({
    actor: auditActor(actor),
    action: 'ranking.draft.create',
    entity: 'Ranking',
    entityId: doc._id,
    summary: `Draft ranking computed (cutoff ${options.cutoff.toISOString()}, ${snapshot.entries.length} ranked)`,
    after: { meeting: meetingId, cutoff: options.cutoff, ranked: snapshot.entries.length },
  });
  log.info({ ranking: String(doc._id), ranked: snapshot.entries.length }, 'draft computed');
  return doc;
}

/*
 * A ranking of 1,000 institutions holds 20,000 breakdown lines. Mongoose would hydrate, cast and
 * validate every one of them on each write (seconds); the snapshot is built above with exact
 * types, so drafts and publications are written through the driver. Every such write names
 * `status: 'draft'` in its filter, which keeps published snapshots immutable here as well.
 * The lines are stored in the compact layout of breakdown-codec.ts, as computeSnapshot builds them.
 */
type Snapshot = Awaited<ReturnType<typeof computeSnapshot>>;

/**
 * A draft as createDraft returns it: the stored document, whose entries carry their breakdown
 * lines in the stored form (`lines`); getRanking gives them as `breakdown` objects.
 */
export type ComputedRanking = Omit<Ranking, 'entries'> & { entries: Snapshot['entries'] };

async function insertDraft(fields: Snapshot & { computedBy: Types.ObjectId; computedAt: Date }): Promise<ComputedRanking> {
  const now = new Date();
  const doc = {
    ...fields,
    _id: new Types.ObjectId(),
    version: null,
    status: 'draft',
    note: '',
    objections: [],
    replyWindow: { opens: null, closes: null },
    publishedBy: null,
    publishedByName: '',
    publishedAt: null,
    revision: 0,
    createdAt: now,
    updatedAt: now,
  };
  await RankingModel.collection.insertOne(doc);
  return doc as unknown as ComputedRanking;
}

/** Sets fields on a draft at the given revision; false when it is no longer that draft. */
async function setOnDraft(_id: Types.ObjectId, revision: number, set: Record<string, unknown>): Promise<boolean> {
  const res = await RankingModel.collection.updateOne(
    { _id, status: 'draft', revision },
    { $set: { ...set, updatedAt: new Date() }, $inc: { revision: 1 } },
  );
  return res.modifiedCount === 1;
}

function assertMeetingId(id: string): string {
  if (!Types.ObjectId.isValid(id) || !/^[0-9a-f]{24}$/i.test(id)) throw new ValidationError({ meeting: 'rankings:meetingNotFound' });
  return id;
}

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
  };
}

/** Everything but the per-institution tables: enough to recompute or publish a ranking. */
const HEAD_ONLY = { entries: 0, unranked: 0, diff: 0 } as const;

/** Recomputes a draft in place (new cutoff/parameters optional). Published rankings refuse. */
export async function recomputeDraft(actor: Actor | null, id: string, options?: Partial<RankingOptions>): Promise<Ranking> {
  const _id = assertId(id);
  const current = await RankingModel.findById(_id).select(HEAD_ONLY).lean();
  if (!current) throw new NotFoundError('rankings:notFound');
  if (current.status !== 'draft') throw new ConflictError('rankings:alreadyPublished');
  const base = optionsOf(current);
  const merged: RankingOptions = { ...base, ...options };
  // The ranking keeps its chosen weights/applicability; resolutions added since use their own.
  if (options?.cutoff === undefined) merged.cutoff = current.cutoff;
  const snapshot = await computeSnapshot(current.meeting, merged);
  const ok = await setOnDraft(_id, current.revision, { ...snapshot, computedAt: new Date(), ...(actor ? { computedBy: oid(actor.id) } : {}) });
  if (!ok) throw new ConflictError('rankings:concurrentChange');
  const updated = await RankingModel.findById(_id).lean();
  if (updated) expandEntries(updated);
  if (actor) {
    await recordAudit({
      actor: auditActor(actor),
      action: 'ranking.draft.recompute',
      entity: 'Ranking',
      entityId: _id,
      summary: `Draft ranking recomputed (cutoff ${merged.cutoff.toISOString()})`,
      before: { cutoff: current.cutoff },
      after: { cutoff: merged.cutoff, ranked: snapshot.entries.length },
    });
  }
  return updated as Ranking;
}

/** A new draft with the same meeting, cutoff and parameters as an existing ranking (for corrections). */
export async function draftFrom(actor: Actor, id: string): Promise<ComputedRanking> {
  const src = await RankingModel.findById(assertId(id)).select(HEAD_ONLY).lean();
  if (!src) throw new NotFoundError('rankings:notFound');
  return createDraft(actor, String(src.meeting), optionsOf(src));
}

/** Deletes a draft (published rankings cannot be deleted). */
export async function deleteDraft(actor: Actor, id: string): Promise<void> {
  const _id = assertId(id);
  const res = await RankingModel.deleteOne({ _id, status: 'draft' });
  if (res.deletedCount !== 1) throw new NotFoundError('rankings:notFound');
  await ObjectionModel.deleteMany({ ranking: _id, state: 'open' });
  await recordAudit({ actor: auditActor(actor), action: 'ranking.draft.delete', entity: 'Ranking', entityId: _id, summary: 'Draft ranking deleted' });
}

export async function getRanking(id: string): Promise<Ranking> {
  const doc = await RankingModel.findById(assertId(id)).lean();
  if (!doc) throw new NotFoundError('rankings:notFound');
  return expandEntries(doc) as Ranking;
}

/** A published ranking, or 404 (drafts are never public). */
export async function getPublished(id: string): Promise<Ranking> {
  if (!/^[0-9a-f]{24}$/i.test(id)) throw new NotFoundError('rankings:notFound');
  const doc = await RankingModel.findOne({ _id: new Types.ObjectId(id), status: 'published' }).lean();
  if (!doc) throw new NotFoundError('rankings:notFound');
  return expandEntries(doc) as Ranking;
}

/**
 * A published ranking without the per-institution breakdown lines (20,000 at 1,000 institutions ×
 * 20 resolutions): everything the public ranking page shows. 404 like getPublished.
 */
export async function getPublishedSummary(id: string): Promise<Ranking> {
  if (!/^[0-9a-f]{24}$/i.test(id)) throw new NotFoundError('rankings:notFound');
  const doc = await RankingModel.findOne({ _id: new Types.ObjectId(id), status: 'published' })
    .select({ 'entries.breakdown': 0, 'entries.lines': 0 })
    .lean();
  if (!doc) throw new NotFoundError('rankings:notFound');
  return doc as Ranking;
}

/**
 * A published ranking with only one institution's entry (by code), for its breakdown page: the
 * other 999 entries and their lines are not read. `entries` is empty when the code is not ranked.
 */
export async function getPublishedEntry(id: string, code: string): Promise<Ranking> {
  if (!/^[0-9a-f]{24}$/i.test(id)) throw new NotFoundError('rankings:notFound');
  const doc = await RankingModel.findOne({ _id: new Types.ObjectId(id), status: 'published' })
    .select({ entries: { $elemMatch: { code: code.trim().toUpperCase() } }, meeting: 1, version: 1, status: 1, cutoff: 1, publishedAt: 1, parameters: 1, objections: 1 })
    .lean();
  if (!doc) throw new NotFoundError('rankings:notFound');
  return expandEntries({ ...doc, entries: doc.entries ?? [] }) as Ranking;
}

/** The published versions of one meeting (id, version, publication time), oldest first. */
export async function listPublishedVersions(meeting: Types.ObjectId): Promise<Pick<Ranking, '_id' | 'version' | 'publishedAt'>[]> {
  return RankingModel.find({ meeting, status: 'published' })
    .select({ version: 1, publishedAt: 1 })
    .sort({ version: 1 })
    .lean() as Promise<Pick<Ranking, '_id' | 'version' | 'publishedAt'>[]>;
}

export async function listRankings(): Promise<Ranking[]> {
  return RankingModel.find()
    .select({ entries: 0, unranked: 0, diff: 0 })
    .sort({ createdAt: -1 })
    .lean() as Promise<Ranking[]>;
}

export async function listPublished(): Promise<Ranking[]> {
  return RankingModel.find({ status: 'published' })
    .select({ meeting: 1, version: 1, cutoff: 1, publishedAt: 1, publishedByName: 1, note: 1, awards: 1, 'entries.code': 1 })
    .sort({ publishedAt: -1, version: -1 })
    .lean() as Promise<Ranking[]>;
}

/** Opens (or changes) the right-of-reply window of a draft. */
export async function openReplyWindow(actor: Actor, id: string, window: { opens: Date; closes: Date }): Promise<Ranking> {
  const _id = assertId(id);
  if (window.closes.getTime() <= window.opens.getTime()) {
    throw new ValidationError({ closes: 'rankings:windowOrder' }, 'rankings:windowOrder');
  }
  const before = await RankingModel.findById(_id).select({ replyWindow: 1, status: 1 }).lean();
  if (!before) throw new NotFoundError('rankings:notFound');
  if (before.status !== 'draft') throw new ConflictError('rankings:alreadyPublished');
  const updated = await RankingModel.findOneAndUpdate(
    { _id, status: 'draft' },
    { $set: { replyWindow: window }, $inc: { revision: 1 } },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw new ConflictError('rankings:alreadyPublished');
  await recordAudit({
    actor: auditActor(actor),
    action: 'ranking.replyWindow.open',
    entity: 'Ranking',
    entityId: _id,
    summary: `Reply window ${window.opens.toISOString()} – ${window.closes.toISOString()}`,
    before: { opens: before.replyWindow?.opens ?? null, closes: before.replyWindow?.closes ?? null },
    after: { opens: window.opens, closes: window.closes },
  });
  return updated as Ranking;
}

export function isReplyWindowOpen(r: Pick<Ranking, 'status' | 'replyWindow'>, now: Date): boolean {
  const w = r.replyWindow;
  return r.status === 'draft' && !!w?.opens && !!w?.closes && w.opens.getTime() <= now.getTime() && now.getTime() <= w.closes.getTime();
}

export interface InstitutionDraftView {
  ranking: Ranking;
  entry: Ranking['entries'][number] | null;
  unranked: Ranking['unranked'][number] | null;
  rankedCount: number;
  objections: Objection[];
}

/**
 * The institution's own draft position (only while a reply window is open): its entry and
 * breakdown, never other institutions' rows.
 */
export async function getOwnDraft(actor: Actor, now: Date): Promise<InstitutionDraftView | null> {
  if (actor.role !== 'institution' || !actor.institutionId) throw new ForbiddenError();
  const drafts = await RankingModel.find({ status: 'draft', 'replyWindow.opens': trusted({ $lte: now }), 'replyWindow.closes': trusted({ $gte: now }) })
    .sort({ computedAt: -1 })
    .limit(1)
    .lean();
  const ranking = drafts[0] as Ranking | undefined;
  if (!ranking) return null;
  const me = actor.institutionId;
  const entry = ranking.entries.find((e) => String(e.institution) === me) ?? null;
  // Only the institution's own lines are decoded.
  if (entry) expandEntries({ parameters: ranking.parameters, entries: [entry] });
  const unranked = ranking.unranked.find((e) => String(e.institution) === me) ?? null;
  const objections = (await ObjectionModel.find({ ranking: ranking._id, institution: oid(me) }).sort({ filedAt: 1 }).lean()) as Objection[];
  // Strip other institutions' rows before anything leaves the service.
  const own = {
    ...ranking,
    entries: entry ? [entry] : [],
    unranked: unranked ? [unranked] : [],
    awards: { winners: [], mostImproved: [], needsImprovement: [] },
    diff: [],
  } as unknown as Ranking;
  return { ranking: own, entry, unranked, rankedCount: ranking.entries.length, objections };
}

export interface ObjectionInput {
  resolutionId: string;
  reason: string;
  requestedStatus?: ProgressStatus | null;
  requestedPercent?: number | null;
  links: string[];
  /** Evidence files already checked and stored (GridFS bucket "evidence"). */
  files?: StoredFile[];
}

/** An institution files an objection on one resolution of its own draft breakdown. */
export async function fileObjection(actor: Actor, rankingId: string, input: ObjectionInput, now: Date): Promise<Objection> {
  if (actor.role !== 'institution' || !actor.institutionId) throw new ForbiddenError();
  const ranking = await RankingModel.findById(assertId(rankingId)).lean();
  if (!ranking) throw new NotFoundError('rankings:notFound');
  if (!isReplyWindowOpen(ranking, now)) throw new ConflictError('rankings:replyWindowClosed');
  const entry = ranking.entries.find((e) => String(e.institution) === actor.institutionId);
  if (entry) expandEntries({ parameters: ranking.parameters, entries: [entry] });
  const line = entry?.breakdown.find((b) => String(b.resolution) === input.resolutionId);
  if (!line) throw new ValidationError({ resolutionId: 'rankings:notInBreakdown' }, 'rankings:notInBreakdown');
  const doc = await ObjectionModel.create({
    ranking: ranking._id,
    institution: oid(actor.institutionId),
    resolution: line.resolution,
    reason: input.reason,
    requestedStatus: input.requestedStatus ?? null,
    requestedPercent: input.requestedPercent ?? null,
    evidence: [
      ...(input.files ?? []).map((f) => ({ kind: 'file', fileId: f.fileId, filename: f.filename, contentType: f.contentType, size: f.size })),
      ...input.links.map((url) => ({ kind: 'link', url, label: url })),
    ],
    filedBy: oid(actor.id),
    filedAt: now,
  });
  await recordAudit({
    actor: auditActor(actor),
    action: 'ranking.objection.file',
    entity: 'Objection',
    entityId: doc._id,
    summary: `Objection on resolution ${line.number} of ranking ${rankingId}`,
    after: { ranking: rankingId, resolution: line.number, reason: input.reason },
  });
  return doc.toObject() as Objection;
}

export async function listObjections(rankingId: string): Promise<Objection[]> {
  return ObjectionModel.find({ ranking: assertId(rankingId) }).sort({ filedAt: 1 }).lean() as Promise<Objection[]>;
}

export interface AnswerInput {
  decision: 'accept' | 'reject';
  answer: string;
  status?: ProgressStatus;
  percent?: number;
}

/**
 * A reviewer/admin answers an open objection. Accepting records a direct assessment with the
 * corrected value (the normal verification path) and recomputes the draft.
 */
export async function answerObjection(actor: Actor, objectionId: string, input: AnswerInput, now: Date): Promise<Objection> {
  if (actor.role !== 'admin' && actor.role !== 'reviewer') throw new ForbiddenError();
  const objection = await ObjectionModel.findById(assertId(objectionId)).lean();
  if (!objection) throw new NotFoundError('rankings:objectionNotFound');
  if (objection.state !== 'open') throw new ConflictError('rankings:objectionAnswered');
  const ranking = await RankingModel.findById(objection.ranking).select({ status: 1 }).lean();
  if (!ranking || ranking.status !== 'draft') throw new ConflictError('rankings:alreadyPublished');
  const set: Record<string, unknown> = { answer: input.answer, answeredBy: oid(actor.id), answeredAt: now };
  if (input.decision === 'accept') {
    if (!input.status || input.percent === undefined) {
      throw new ValidationError({ status: 'rankings:correctionRequired' }, 'rankings:correctionRequired');
    }
    await applyCorrection(actor, {
      institutionId: String(objection.institution),
      resolutionId: String(objection.resolution),
      status: input.status,
      percent: input.percent,
      reason: input.answer,
    }, now);
    Object.assign(set, { state: 'accepted', correctedStatus: input.status, correctedPercent: input.percent, correctedAt: now });
  } else {
    Object.assign(set, { state: 'rejected' });
  }
  const updated = await ObjectionModel.findOneAndUpdate(
    { _id: objection._id, state: 'open', revision: objection.revision },
    { $set: set, $inc: { revision: 1 } },
    { returnDocument: 'after' },
  ).lean();
  if (!updated) throw new ConflictError('rankings:objectionAnswered');
  await recordAudit({
    actor: auditActor(actor),
    action: `ranking.objection.${input.decision}`,
    entity: 'Objection',
    entityId: objection._id,
    summary: `Objection ${input.decision === 'accept' ? 'accepted' : 'rejected'}`,
    before: { state: 'open' },
    after: { state: set.state, answer: input.answer, status: input.status, percent: input.percent },
  });
  if (input.decision === 'accept') await recomputeDraft(null, String(objection.ranking));
  return updated as Objection;
}

/**
 * Publishes a draft: recomputes it one last time (so accepted corrections are in), numbers it
 * as the next version of its meeting, freezes objections with their answers, and records who
 * published it and when. From then on the document never changes.
 */
export async function publishRanking(actor: Actor, id: string, note: string): Promise<Ranking> {
  const _id = assertId(id);
  const draft = await RankingModel.findById(_id).select(HEAD_ONLY).lean();
  if (!draft) throw new NotFoundError('rankings:notFound');
  if (draft.status !== 'draft') throw new ConflictError('rankings:alreadyPublished');
  const open = await ObjectionModel.countDocuments({ ranking: _id, state: 'open' });
  if (open > 0) throw new ConflictError('rankings:openObjections', { params: { count: open } });
  const snapshot = await computeSnapshot(draft.meeting, optionsOf(draft), _id);
  if (snapshot.previous && !note.trim()) {
    throw new ValidationError({ note: 'rankings:noteRequired' }, 'rankings:noteRequired');
  }
  const last = await RankingModel.findOne({ meeting: draft.meeting, status: 'published' }).sort({ version: -1 }).select({ version: 1 }).lean();
  const version = (last?.version ?? 0) + 1;
  const objections = await ObjectionModel.find({ ranking: _id }).sort({ filedAt: 1 }).lean();
  const codeOf = new Map(snapshot.entries.map((e) => [String(e.institution), e.code]));
  const numberOf = new Map(snapshot.parameters.resolutions.map((r) => [String(r.resolution), r.number]));
  const now = new Date();
  let published;
  try {
    const ok = await setOnDraft(_id, draft.revision, {
          ...snapshot,
          status: 'published',
          version,
          note: note.trim(),
          objections: objections.map((o) => ({
            objection: o._id,
            institution: o.institution,
            code: codeOf.get(String(o.institution)) ?? '',
            resolutionNumber: numberOf.get(String(o.resolution)) ?? 0,
            reason: o.reason,
            state: o.state,
            answer: o.answer,
            filedAt: o.filedAt,
            answeredAt: o.answeredAt,
          })),
          publishedBy: oid(actor.id),
          publishedByName: actor.name ?? '',
          publishedAt: now,
    });
    published = ok ? await RankingModel.findById(_id).lean() : null;
    if (published) expandEntries(published);
  } catch (err) {
    if ((err as { code?: number }).code === 11000) throw new ConflictError('rankings:concurrentChange');
    throw err;
  }
  if (!published) throw new ConflictError('rankings:concurrentChange');
  await recordAudit({
    actor: auditActor(actor),
    action: 'ranking.publish',
    entity: 'Ranking',
    entityId: _id,
    summary: `Ranking published as version ${version}`,
    before: { status: 'draft' },
    after: { status: 'published', version, ranked: snapshot.entries.length, note: note.trim() },
  });
  log.info({ ranking: id, version }, 'ranking published');
  return published as Ranking;
}

export interface ObjectionFile {
  filename: string;
  contentType: string;
  size: number;
  stream: NodeJS.ReadableStream;
}

/**
 * Opens an evidence file of an objection: e-GA staff, or a user of the objecting institution.
 * Anyone else gets 404 (existence is not revealed).
 */
export async function openObjectionFile(actor: Actor, objectionId: string, fileId: string): Promise<ObjectionFile> {
  if (!/^[0-9a-f]{24}$/i.test(objectionId) || !/^[0-9a-f]{24}$/i.test(fileId)) throw new NotFoundError();
  const objection = await ObjectionModel.findById(objectionId).select({ institution: 1, evidence: 1 }).lean();
  if (!objection) throw new NotFoundError();
  const staff = actor.role === 'admin' || actor.role === 'reviewer';
  const own = actor.role === 'institution' && actor.institutionId === String(objection.institution);
  const entry = objection.evidence.find((e) => e.kind === 'file' && String(e.fileId) === fileId);
  if ((!staff && !own) || !entry) throw new NotFoundError();
  const db = mongoose.connection.db as unknown as Db | undefined;
  if (!db) throw new Error('database not connected');
  const bucket = new GridFSBucket(db, { bucketName: EVIDENCE_BUCKET });
  const [file] = await bucket.find({ _id: new ObjectId(fileId) }).toArray();
  if (!file) throw new NotFoundError();
  return { filename: entry.filename || file.filename, contentType: entry.contentType || 'application/octet-stream', size: file.length, stream: bucket.openDownloadStream(new ObjectId(fileId)) };
}
