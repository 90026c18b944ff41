/**
 * The draft → reply window → publish workflow of a ranking (e-GA admins). A draft is computed
 * by the snapshot builder and recomputed in place; publishing recomputes it a last time, numbers
 * it as the next version of its meeting and freezes it with its objections and answers.
 * Every function checks the actor's role itself and takes the clock from its caller.
 */
import { Types } from 'mongoose';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { logger } from '../../logger.js';
import { recordAudit } from '../audit/audit.service.js';
import { ObjectionModel } from './objection.model.js';
import { RankingModel, type Ranking } from './ranking.model.js';
import { expandEntries } from '../../db/ranking-lines.codec.js';
import { computeSnapshot, optionsOf, type RankingOptions, type Snapshot } from './snapshot.builder.js';
import type { Actor } from '../../domain/actor.js';
import { assertAdmin, rankingId } from './ranking-access.js';
import { isDuplicateKey } from '../../db/duplicate-key.js';

const log = logger.child({ module: 'rankings' });

const oid = (id: string): Types.ObjectId => new Types.ObjectId(id);

/*
 * A ranking of 1,000 institutions holds 20,000 breakdown lines. Mongoose would hydrate, cast and
 * validate every one of them on each write (seconds); the snapshot is built with exact types, so
 * drafts and publications are written through the driver. Every such write names
 * `status: 'draft'` in its filter, which keeps published snapshots immutable here as well.
 */

/**
 * A draft as createDraft returns it: the stored document, whose entries carry their breakdown
 * lines in the stored form (`lines`); getRanking gives them as `breakdown` objects.
 */
export type ComputedRanking = Omit<Ranking, 'entries'> & { entries: Snapshot['entries'] };

async function insertDraft(fields: Snapshot & { computedBy: Types.ObjectId; computedAt: Date }, now: Date): Promise<ComputedRanking> {
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
async function setOnDraft(_id: Types.ObjectId, revision: number, set: Record<string, unknown>, now: Date): Promise<boolean> {
  const res = await RankingModel.collection.updateOne(
    { _id, status: 'draft', revision },
    { $set: { ...set, updatedAt: now }, $inc: { revision: 1 } },
  );
  return res.modifiedCount === 1;
}

function meetingId(id: string): Types.ObjectId {
  if (!Types.ObjectId.isValid(id) || !/^[0-9a-f]{24}$/i.test(id)) throw new ValidationError({ meeting: 'rankings:meetingNotFound' });
  return oid(id);
}

/** Everything but the per-institution tables: enough to recompute or publish a ranking. */
const HEAD_ONLY = { entries: 0, unranked: 0, diff: 0 } as const;

/** Computes a new draft ranking for a meeting. */
export async function createDraft(actor: Actor, meeting: string, options: RankingOptions, now: Date): Promise<ComputedRanking> {
  assertAdmin(actor);
  const snapshot = await computeSnapshot(meetingId(meeting), options);
  const doc = await insertDraft({ ...snapshot, computedBy: oid(actor.id), computedAt: now }, now);
  await recordAudit({
    actor: actor,
    action: 'ranking.draft.create',
    entity: 'Ranking',
    entityId: doc._id,
    summary: `Draft ranking computed (cutoff ${options.cutoff.toISOString()}, ${snapshot.entries.length} ranked)`,
    after: { meeting, cutoff: options.cutoff, ranked: snapshot.entries.length },
    at: now,
  });
  log.info({ ranking: String(doc._id), ranked: snapshot.entries.length }, 'draft computed');
  return doc;
}

/**
 * Recomputes a draft in place (new cutoff/parameters optional); published rankings refuse. The
 * ranking keeps its chosen weights/applicability; resolutions added since use their own.
 */
export async function recomputeDraft(actor: Actor, id: string, now: Date, options?: Partial<RankingOptions>): Promise<Ranking> {
  assertAdmin(actor);
  const _id = rankingId(id);
  const current = await RankingModel.findById(_id).select(HEAD_ONLY).lean();
  if (!current) throw new NotFoundError('rankings:notFound');
  if (current.status !== 'draft') throw new ConflictError('rankings:alreadyPublished');
  const merged: RankingOptions = { ...optionsOf(current), ...options };
  if (options?.cutoff === undefined) merged.cutoff = current.cutoff;
  const snapshot = await computeSnapshot(current.meeting, merged);
  const ok = await setOnDraft(_id, current.revision, { ...snapshot, computedAt: now, computedBy: oid(actor.id) }, now);
  if (!ok) throw new ConflictError('rankings:concurrentChange');
  const updated = await RankingModel.findById(_id).lean();
  if (updated) expandEntries(updated);
  await recordAudit({
    actor: actor,
    action: 'ranking.draft.recompute',
    entity: 'Ranking',
    entityId: _id,
    summary: `Draft ranking recomputed (cutoff ${merged.cutoff.toISOString()})`,
    before: { cutoff: current.cutoff },
    after: { cutoff: merged.cutoff, ranked: snapshot.entries.length },
    at: now,
  });
  return updated as Ranking;
}

/** A new draft with the same meeting, cutoff and parameters as an existing ranking (for corrections). */
export async function draftFrom(actor: Actor, id: string, now: Date): Promise<ComputedRanking> {
  assertAdmin(actor);
  const src = await RankingModel.findById(rankingId(id)).select(HEAD_ONLY).lean();
  if (!src) throw new NotFoundError('rankings:notFound');
  return createDraft(actor, String(src.meeting), optionsOf(src), now);
}

/** Deletes a draft and its open objections (published rankings cannot be deleted). */
export async function deleteDraft(actor: Actor, id: string, now: Date): Promise<void> {
  assertAdmin(actor);
  const _id = rankingId(id);
  const res = await RankingModel.deleteOne({ _id, status: 'draft' });
  if (res.deletedCount !== 1) throw new NotFoundError('rankings:notFound');
  await ObjectionModel.deleteMany({ ranking: _id, state: 'open' });
  await recordAudit({ actor: actor, action: 'ranking.draft.delete', entity: 'Ranking', entityId: _id, summary: 'Draft ranking deleted', at: now });
}

/** Opens (or changes) the right-of-reply window of a draft. */
export async function openReplyWindow(actor: Actor, id: string, window: { opens: Date; closes: Date }, now: Date): Promise<void> {
  assertAdmin(actor);
  const _id = rankingId(id);
  if (window.closes.getTime() <= window.opens.getTime()) {
    throw new ValidationError({ closes: 'rankings:windowOrder' }, 'rankings:windowOrder');
  }
  const before = await RankingModel.findById(_id).select({ replyWindow: 1, status: 1 }).lean();
  if (!before) throw new NotFoundError('rankings:notFound');
  if (before.status !== 'draft') throw new ConflictError('rankings:alreadyPublished');
  const updated = await RankingModel.updateOne({ _id, status: 'draft' }, { $set: { replyWindow: window }, $inc: { revision: 1 } });
  if (updated.modifiedCount !== 1) throw new ConflictError('rankings:alreadyPublished');
  await recordAudit({
    actor: actor,
    action: 'ranking.replyWindow.open',
    entity: 'Ranking',
    entityId: _id,
    summary: `Reply window ${window.opens.toISOString()} – ${window.closes.toISOString()}`,
    before: { opens: before.replyWindow?.opens ?? null, closes: before.replyWindow?.closes ?? null },
    after: { opens: window.opens, closes: window.closes },
    at: now,
  });
}

/** True while a draft's right-of-reply window is open. */
export function isReplyWindowOpen(r: Pick<Ranking, 'status' | 'replyWindow'>, now: Date): boolean {
  const w = r.replyWindow;
  return r.status === 'draft' && !!w?.opens && !!w?.closes && w.opens.getTime() <= now.getTime() && now.getTime() <= w.closes.getTime();
}

/** What publishing a draft now would do, or why it would be refused (the confirmation page). */
export interface PublishPreview {
  /** The version number it would get. */
  version: number;
  /** The version it would replace, if any (a note is then required). */
  previousVersion: number | null;
  openObjections: number;
  /** The cutoff lies after the moment of publication: refused. */
  cutoffInFuture: boolean;
  canPublish: boolean;
}

/** Reads what publishRanking would check, without writing. 404 for unknown ids, 409 when already published. */
export async function previewPublication(actor: Actor, id: string, now: Date): Promise<PublishPreview> {
  assertAdmin(actor);
  const _id = rankingId(id);
  const draft = await RankingModel.findById(_id).select({ status: 1, meeting: 1, cutoff: 1 }).lean();
  if (!draft) throw new NotFoundError('rankings:notFound');
  if (draft.status !== 'draft') throw new ConflictError('rankings:alreadyPublished');
  const [openObjections, last] = await Promise.all([
    ObjectionModel.countDocuments({ ranking: _id, state: 'open' }),
    RankingModel.findOne({ meeting: draft.meeting, status: 'published' }).sort({ version: -1 }).select({ version: 1 }).lean(),
  ]);
  const cutoffInFuture = draft.cutoff.getTime() > now.getTime();
  return {
    version: (last?.version ?? 0) + 1,
    previousVersion: last?.version ?? null,
    openObjections,
    cutoffInFuture,
    canPublish: openObjections === 0 && !cutoffInFuture,
  };
}

/**
 * Publishes a draft: recomputes it one last time (so accepted corrections are in), numbers it
 * as the next version of its meeting, freezes objections with their answers, and records who
 * published it and when. From then on the document never changes.
 */
export async function publishRanking(actor: Actor, id: string, note: string, now: Date): Promise<Ranking> {
  assertAdmin(actor);
  const _id = rankingId(id);
  const draft = await RankingModel.findById(_id).select(HEAD_ONLY).lean();
  if (!draft) throw new NotFoundError('rankings:notFound');
  if (draft.status !== 'draft') throw new ConflictError('rankings:alreadyPublished');
  // A ranking "as at" a time that has not come yet would count verifications made after it was
  // published, while claiming to be final.
  if (draft.cutoff.getTime() > now.getTime()) {
    throw new ValidationError({ cutoff: 'rankings:cutoffInFuture' }, 'rankings:cutoffInFuture');
  }
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
  let ok: boolean;
  try {
    ok = await setOnDraft(_id, draft.revision, {
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
    }, now);
  } catch (err) {
    // The unique (meeting, version) index: another version of the meeting was published meanwhile.
    if (isDuplicateKey(err)) throw new ConflictError('rankings:concurrentChange');
    throw err;
  }
  const published = ok ? await RankingModel.findById(_id).lean() : null;
  if (!published) throw new ConflictError('rankings:concurrentChange');
  expandEntries(published);
  await recordAudit({
    actor: actor,
    action: 'ranking.publish',
    entity: 'Ranking',
    entityId: _id,
    summary: `Ranking published as version ${version}`,
    before: { status: 'draft' },
    after: { status: 'published', version, ranked: snapshot.entries.length, note: note.trim() },
    at: now,
  });
  log.info({ ranking: id, version }, 'ranking published');
  return published as Ranking;
}
