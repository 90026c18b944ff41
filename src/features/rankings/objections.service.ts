/**
 * The right of reply: an institution sees its own draft position while the draft's reply window
 * is open and objects per resolution (reason, links, files); an e-GA admin answers each objection.
 */
import mongoose, { Types, trusted } from 'mongoose';
import { GridFSBucket, ObjectId, type Db } from 'mongodb';
import type { ProgressStatus } from '../../domain/reference-data.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { EVIDENCE_BUCKET, type StoredFile } from '../evidence/evidence.service.js';
import { ObjectionModel, type Objection } from './objection.model.js';
import { RankingModel, type Ranking } from './ranking.model.js';
import { applyCorrection } from './corrections.js';
import { expandEntries } from '../../db/ranking-lines.codec.js';
import { isReplyWindowOpen, recomputeDraft } from './ranking-workflow.service.js';
import type { Actor } from '../../domain/actor.js';
import { assertAdmin, rankingId } from './ranking-access.js';

const oid = (id: string): Types.ObjectId => new Types.ObjectId(id);

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
export async function fileObjection(actor: Actor, id: string, input: ObjectionInput, now: Date): Promise<Objection> {
  if (actor.role !== 'institution' || !actor.institutionId) throw new ForbiddenError();
  const ranking = await RankingModel.findById(rankingId(id)).lean();
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
    actor: actor,
    action: 'ranking.objection.file',
    entity: 'Objection',
    entityId: doc._id,
    summary: `Objection on resolution ${line.number} of ranking ${id}`,
    after: { ranking: id, resolution: line.number, reason: input.reason },
    at: now,
  });
  return doc.toObject() as Objection;
}

/** The objections filed against a ranking, oldest first. */
export async function listObjections(id: string): Promise<Objection[]> {
  return ObjectionModel.find({ ranking: rankingId(id) }).sort({ filedAt: 1 }).lean() as Promise<Objection[]>;
}

export interface AnswerInput {
  decision: 'accept' | 'reject';
  answer: string;
  status?: ProgressStatus;
  percent?: number;
}

/**
 * An admin answers an open objection. Accepting records a direct assessment with the corrected
 * value (the normal verification path) and recomputes the draft.
 */
export async function answerObjection(actor: Actor, objectionId: string, input: AnswerInput, now: Date): Promise<Objection> {
  assertAdmin(actor);
  const objection = await ObjectionModel.findById(rankingId(objectionId, 'rankings:objectionNotFound')).lean();
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
    actor: actor,
    action: `ranking.objection.${input.decision}`,
    entity: 'Objection',
    entityId: objection._id,
    summary: `Objection ${input.decision === 'accept' ? 'accepted' : 'rejected'}`,
    before: { state: 'open' },
    after: { state: set.state, answer: input.answer, status: input.status, percent: input.percent },
    at: now,
  });
  if (input.decision === 'accept') await recomputeDraft(actor, String(objection.ranking), now);
  return updated as Objection;
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
