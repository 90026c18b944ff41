import { Types } from 'mongoose';
import type { Actor } from '../../domain/actor.js';
import { isDuplicateKey } from '../../db/duplicate-key.js';
import type { ProgressStatus } from '../../domain/reference-data.js';
import { canAct, nextState, REPORT_KIND_OF, type WorkflowAction, type WorkflowState } from '../../domain/progress-workflow.js';
import { ConflictError, ForbiddenError } from '../../errors.js';
import { logger } from '../../logger.js';
import { ProgressItemModel, ProgressReportModel, type ProgressItem, type ProgressReport } from './progress.model.js';
import { op } from './query.js';

const log = logger.child({ module: 'progress' });

/**
 * The single write path of the progress workflow. Every claim, return, verification and
 * assessment goes through `applyAction`, which:
 *  1. finishes any report version a previous writer announced but did not insert (`pending`);
 *  2. checks who may act and that the state allows it (src/domain/progress-workflow.ts);
 *  3. claims the next version number and updates the item in ONE conditional update
 *     (`{ _id, revision }`), storing the new report in `pending` (write-ahead);
 *  4. inserts the immutable ProgressReport (unique (item, version): a repeat is a no-op);
 *  5. clears `pending`.
 * A stale revision loses at step 3 and nothing is written (ProgressConflictError). A crash between 3
 * and 4 is repaired by the next writer or by settleAllPending(); no orphan, no duplicate.
 */


export interface EvidenceEntry {
  kind: 'file' | 'link';
  fileId?: Types.ObjectId | null;
  filename?: string;
  contentType?: string;
  size?: number;
  url?: string;
  label?: string;
}

export interface ActionInput {
  action: WorkflowAction;
  /** The revision the user saw when they opened the form. */
  expectedRevision: number;
  status?: ProgressStatus;
  percent?: number;
  narrative?: string;
  comment?: string;
  evidence?: EvidenceEntry[];
}

export interface ActionResult {
  item: ProgressItem;
  report: ProgressReport;
}

/** Thrown when another write reached the item first; carries what the user should look at. */
export class ProgressConflictError extends ConflictError {
  constructor(readonly latest: { version: number; revision: number; by: string | null; at: Date | null }) {
    super('progress:conflict.message', { params: { version: latest.version }, details: latest });
  }
}

/** Inserts the report an item announced in `pending` (if not already there) and clears it. */
export async function settlePending(item: Pick<ProgressItem, '_id' | 'pending'>): Promise<void> {
  const pending = item.pending as (Record<string, unknown> & { _id: Types.ObjectId }) | null | undefined;
  if (!pending) return;
  try {
    await ProgressReportModel.create(pending);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  await ProgressItemModel.updateOne({ _id: item._id, 'pending._id': pending._id }, { $set: { pending: null } });
}

/** Repairs every item left with an announced but uninserted report (run at start-up / by the scheduler). */
export async function settleAllPending(): Promise<number> {
  const items = await ProgressItemModel.find({ pending: op({ $ne: null }) }).select({ pending: 1 }).lean<ProgressItem[]>();
  for (const item of items) await settlePending(item);
  if (items.length > 0) log.warn({ count: items.length }, 'settled pending progress reports');
  return items.length;
}

function denied(reason: string): never {
  if (reason === 'state') throw new ConflictError('progress:errors.stateNotAllowed', { code: 'state' });
  if (reason === 'own_institution') throw new ForbiddenError('progress:errors.ownInstitution');
  throw new ForbiddenError();
}

/**
 * Applies one workflow action to an item, writing exactly one new immutable report version.
 * Throws ForbiddenError (role / institution), ConflictError (state) or ProgressConflictError
 * (someone else wrote first). Values must already be validated against the rules.
 */
export async function applyAction(itemId: Types.ObjectId | string, actor: Actor, input: ActionInput, now: Date): Promise<ActionResult> {
  let item = await ProgressItemModel.findById(itemId).lean<ProgressItem>();
  if (!item) throw new ConflictError('progress:errors.itemMissing');
  if (item.pending) {
    await settlePending(item);
    item = (await ProgressItemModel.findById(itemId).lean<ProgressItem>())!;
  }

  if (item.revision !== input.expectedRevision) throw await conflictFor(item._id);
  const state = item.state as WorkflowState;
  const decision = canAct(actor, input.action, String(item.institution), state);
  if (!decision.allowed) denied(decision.reason);

  const version = item.lastVersion + 1;
  const by = new Types.ObjectId(actor.id);
  const kind = REPORT_KIND_OF[input.action];
  const report = {
    _id: new Types.ObjectId(),
    item: item._id,
    institution: item.institution,
    resolution: item.resolution,
    meeting: item.meeting,
    version,
    kind,
    status: input.action === 'return' ? null : (input.status ?? null),
    percent: input.action === 'return' ? null : (input.percent ?? null),
    narrative: input.narrative ?? '',
    comment: input.comment ?? '',
    evidence: input.evidence ?? [],
    by,
    at: now,
  };

  const set: Record<string, unknown> = { state: nextState(state, input.action), pending: report };
  if (input.action === 'submit') {
    set.claimed = { status: input.status, percent: input.percent, at: now, by, version };
    set.claimedEvidence = report.evidence.length;
    set.returnComment = '';
  } else if (input.action === 'return') {
    set.returnComment = input.comment ?? '';
  } else {
    set.verified = { status: input.status, percent: input.percent, at: now, by, version };
    set.returnComment = '';
  }

  const updated = await ProgressItemModel.findOneAndUpdate(
    { _id: item._id, revision: item.revision, lastVersion: item.lastVersion },
    { $set: set, $inc: { revision: 1, lastVersion: 1 } },
    { returnDocument: 'after', runValidators: true },
  ).lean<ProgressItem>();
  if (!updated) throw await conflictFor(item._id);

  await settlePending(updated);
  const saved = await ProgressReportModel.findById(report._id).lean<ProgressReport>();
  return { item: { ...updated, pending: null }, report: saved! };
}

async function conflictFor(itemId: Types.ObjectId): Promise<ProgressConflictError> {
  const current = await ProgressItemModel.findById(itemId).select({ lastVersion: 1, revision: 1 }).lean<ProgressItem>();
  const last = current
    ? await ProgressReportModel.findOne({ item: itemId }).sort({ version: -1 }).select({ version: 1, by: 1, at: 1 }).lean<ProgressReport>()
    : null;
  return new ProgressConflictError({
    version: current?.lastVersion ?? 0,
    revision: current?.revision ?? 0,
    by: last ? String(last.by) : null,
    at: last?.at ?? null,
  });
}
