import { Types } from 'mongoose';
import { INSTITUTION_TYPES, REGIONS, type InstitutionType, type ProgressStatus, type Region } from '../../domain/reference-data.js';
import { checkValue, isAdjusted, normalizePercent } from '../../domain/progress-rules.js';
import type { WorkflowState } from '../../domain/progress-workflow.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import type { Mailer } from '../../mail/mailer.js';
import { InstitutionModel, type Institution } from '../institutions/institution.model.js';
import { MeetingModel, type Meeting } from '../meetings/meeting.model.js';
import { ResolutionModel, type Resolution } from '../resolutions/resolution.model.js';
import { ProgressItemModel, type ProgressItem, type ProgressReport } from '../progress/progress.model.js';
import { WindowExtensionModel } from '../progress/window-extension.model.js';
import { applyAction, ProgressConflictError } from '../progress/item-writer.js';
import type { Actor } from '../../domain/actor.js';
import { getItem, ensureItems } from '../progress/progress.service.js';
import { recordAudit } from '../audit/audit.service.js';
import { notify } from '../notifications/notifications.service.js';
import { op } from '../progress/query.js';
import { assertRole } from '../access.js';
import { escapeRegex } from '../../domain/escape-regex.js';
import { computeNow, type Aggregates } from '../public/public-read.js';

/** What review actions need from the outside: clock, mailer and the public base URL for links. */
export interface ReviewDeps {
  now: Date;
  mailer?: Mailer;
  baseUrl?: string;
}

function requireStaff(actor: Actor): void {
  assertRole(actor, 'admin', 'reviewer');
}

async function notifyInstitution(
  deps: ReviewDeps,
  item: ProgressItem,
  claimAuthor: Types.ObjectId | null,
  kind: 'returned' | 'verified' | 'assessed',
  params: Record<string, unknown>,
): Promise<void> {
  const resolution = await ResolutionModel.findById(item.resolution).select({ number: 1, title: 1 }).lean<Resolution>();
  const meeting = await MeetingModel.findById(item.meeting).select({ number: 1 }).lean<Meeting>();
  const userIds = [item.owner, claimAuthor].filter((x): x is Types.ObjectId => x != null);
  await notify(
    { mailer: deps.mailer ?? { send: async () => undefined }, baseUrl: deps.baseUrl ?? '', now: deps.now },
    {
      userIds,
      kind,
      key: kind,
      params: { resolution: resolution?.number ?? '', meeting: meeting?.number ?? '', title: resolution?.title?.sw ?? '', ...params },
      link: `/progress/items/${String(item._id)}`,
      email: deps.mailer != null,
    },
  );
}

export interface VerifyInput {
  expectedRevision: number;
  /** The verdict; defaults to the claim when omitted. */
  status?: ProgressStatus;
  percent?: number;
  /** Required when the verdict differs from the claim. */
  reason: string;
}

/**
 * Verifies the pending claim of a row, possibly adjusting status/percent (then a reason is
 * required). Notifies the owner and the claimant (in-app and email).
 */
export async function verifyClaim(deps: ReviewDeps, actor: Actor, itemId: string, input: VerifyInput): Promise<{ item: ProgressItem; report: ProgressReport }> {
  requireStaff(actor);
  const ctx = await getItem(actor, itemId, deps.now);
  const claim = ctx.item.claimed;
  if (!claim) throw new ValidationError({ _form: 'review:errors.noClaim' });
  const status = input.status ?? (claim.status as ProgressStatus);
  const percent = normalizePercent(status, input.percent ?? claim.percent);
  const fields: Record<string, string> = {};
  const issues = checkValue({ status, percent });
  if (issues.percent) fields.percent = issues.percent;
  const adjusted = isAdjusted({ status: claim.status as ProgressStatus, percent: claim.percent }, { status, percent });
  if (adjusted && input.reason.trim().length === 0) fields.reason = 'review:errors.reasonRequired';
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);

  const result = await applyAction(ctx.item._id, actor, { action: 'verify', expectedRevision: input.expectedRevision, status, percent, comment: input.reason.trim() }, deps.now);
  await recordAudit({ actor: actor, action: adjusted ? 'progress.verify_adjusted' : 'progress.verify',
    entity: 'ProgressItem',
    entityId: String(ctx.item._id),
    summary: `v${result.report.version} ${status} ${percent}%${adjusted ? ' (adjusted)' : ''}`,
    before: { state: ctx.item.state, claimed: { status: claim.status, percent: claim.percent } },
    after: { state: result.item.state, verified: { status, percent } },
  });
  await notifyInstitution(deps, result.item, claim.by as Types.ObjectId, 'verified', { status, percent, adjusted: adjusted ? 1 : 0 });
  return result;
}

/** Returns the pending claim for correction with a required comment the institution sees. */
export async function returnClaim(
  deps: ReviewDeps,
  actor: Actor,
  itemId: string,
  input: { expectedRevision: number; comment: string },
): Promise<{ item: ProgressItem; report: ProgressReport }> {
  requireStaff(actor);
  const comment = input.comment.trim();
  if (comment.length === 0) throw new ValidationError({ comment: 'review:errors.commentRequired' });
  if (comment.length > 5000) throw new ValidationError({ comment: 'review:errors.commentTooLong' });
  const ctx = await getItem(actor, itemId, deps.now);
  const result = await applyAction(ctx.item._id, actor, { action: 'return', expectedRevision: input.expectedRevision, comment }, deps.now);
  await recordAudit({ actor: actor, action: 'progress.return',
    entity: 'ProgressItem',
    entityId: String(ctx.item._id),
    summary: `v${result.report.version} returned`,
    before: { state: ctx.item.state },
    after: { state: result.item.state, comment },
  });
  await notifyInstitution(deps, result.item, (ctx.item.claimed?.by as Types.ObjectId) ?? null, 'returned', { comment });
  return result;
}

export interface AssessInput {
  institutionId: string;
  resolutionId: string;
  status: ProgressStatus;
  percent: number;
  reason: string;
  /** Revision seen on the form; when omitted (e.g. rankings objections) the current one is used. */
  expectedRevision?: number;
}

/**
 * Records e-GA's own assessment of a row (site visit, accepted ranking objection, ...): a new
 * `assessment` version that becomes the verified value. A reason is always required. Used by
 * the review pages and by RANKINGS when an objection is accepted. Creates the row if needed.
 */
export async function assessDirectly(
  actor: Actor,
  input: AssessInput,
  deps: ReviewDeps = { now: new Date() },
): Promise<{ item: ProgressItem; report: ProgressReport }> {
  requireStaff(actor);
  const fields: Record<string, string> = {};
  if (!Types.ObjectId.isValid(input.institutionId) || !Types.ObjectId.isValid(input.resolutionId)) throw new NotFoundError();
  const percent = normalizePercent(input.status, input.percent);
  const issues = checkValue({ status: input.status, percent: input.status === 'not_applicable' ? 0 : input.percent });
  if (issues.percent) fields.percent = issues.percent;
  const reason = input.reason.trim();
  if (reason.length === 0) fields.reason = 'review:errors.reasonRequired';
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);

  const [institution, resolution] = await Promise.all([
    InstitutionModel.findById(input.institutionId).lean<Institution>(),
    ResolutionModel.findById(input.resolutionId).lean<Resolution>(),
  ]);
  if (!institution || !resolution) throw new NotFoundError();
  const [item] = await ensureItems(institution, [resolution]);
  if (!item) throw new NotFoundError();

  // Without a revision from a form, retry once on a concurrent write: an assessment is authoritative.
  let attempt = 0;
  for (;;) {
    const current = await ProgressItemModel.findById(item._id).select({ revision: 1, state: 1, verified: 1 }).lean<ProgressItem>();
    try {
      const result = await applyAction(
        item._id,
        actor,
        { action: 'assess', expectedRevision: input.expectedRevision ?? current!.revision, status: input.status, percent, comment: reason },
        deps.now,
      );
      await recordAudit({ actor: actor, action: 'progress.assess',
        entity: 'ProgressItem',
        entityId: String(item._id),
        summary: `v${result.report.version} ${input.status} ${percent}% (${reason.slice(0, 120)})`,
        before: { state: current?.state, verified: current?.verified ? { status: current.verified.status, percent: current.verified.percent } : null },
        after: { state: result.item.state, verified: { status: input.status, percent } },
      });
      await notifyInstitution(deps, result.item, null, 'assessed', { status: input.status, percent, reason });
      return result;
    } catch (err) {
      if (err instanceof ProgressConflictError && input.expectedRevision === undefined && attempt++ < 2) continue;
      throw err;
    }
  }
}

export const QUEUE_STATES = ['submitted', 'returned', 'verified'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];
export const QUEUE_PAGE_SIZE = 25;

export const QUEUE_SORTS = ['waited', 'recent'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

export interface QueueFilter {
  meeting?: string | null;
  resolution?: string | null;
  type?: InstitutionType | null;
  region?: Region | null;
  /** Institution name, acronym or code (part of it). */
  q?: string | null;
  state: QueueState;
  /** 'waited': longest waiting first (default); 'recent': newest claim first. */
  sort?: QueueSort;
  page: number;
}

export interface QueueRow {
  item: ProgressItem;
  institution: Institution;
  resolution: Resolution;
  meeting: Meeting;
  waitingSince: Date | null;
  /** Whole days since the claim (for rows waiting for review). */
  waitedDays: number | null;
  gap: number | null;
}

const DAY_MS = 86_400_000;

/**
 * The item filter of the queue. Always names the meetings (every meeting when none is chosen):
 * (meeting, state) is an index, so a queue page costs the length of the queue, never a scan of
 * every row of every meeting.
 */
async function queueQueryOf(filter: QueueFilter): Promise<Record<string, unknown>> {
  const q: Record<string, unknown> = { state: filter.state };
  if (filter.meeting) q.meeting = new Types.ObjectId(filter.meeting);
  else q.meeting = op({ $in: (await MeetingModel.find().select({ _id: 1 }).lean<Array<{ _id: Types.ObjectId }>>()).map((m) => m._id) });
  if (filter.resolution) q.resolution = new Types.ObjectId(filter.resolution);
  const text = filter.q?.trim().toLowerCase();
  if (filter.type || filter.region || text) {
    const instFilter: Record<string, unknown> = {};
    if (filter.type && (INSTITUTION_TYPES as readonly string[]).includes(filter.type)) instFilter.type = filter.type;
    if (filter.region && (REGIONS as readonly string[]).includes(filter.region)) instFilter.region = filter.region;
    if (text) instFilter.searchText = new RegExp(escapeRegex(text));
    const ids = await InstitutionModel.find(instFilter).select({ _id: 1 }).lean<Array<{ _id: Types.ObjectId }>>();
    q.institution = op({ $in: ids.map((i) => i._id) });
  }
  return q;
}

/** Rows waiting for (or past) review, longest waiting first unless asked otherwise, paginated. */
export async function listQueue(actor: Actor, filter: QueueFilter, now: Date = new Date()): Promise<{ rows: QueueRow[]; total: number; pages: number }> {
  requireStaff(actor);
  const q = await queueQueryOf(filter);
  const direction = filter.sort === 'recent' ? -1 : 1;
  const [items, total] = await Promise.all([
    ProgressItemModel.find(q)
      .sort({ 'claimed.at': direction, updatedAt: direction, _id: direction })
      .skip((filter.page - 1) * QUEUE_PAGE_SIZE)
      .limit(QUEUE_PAGE_SIZE)
      .lean<ProgressItem[]>(),
    ProgressItemModel.countDocuments(q),
  ]);
  const [insts, ress, meets] = await Promise.all([
    InstitutionModel.find({ _id: op({ $in: items.map((i) => i.institution) }) }).lean<Institution[]>(),
    ResolutionModel.find({ _id: op({ $in: items.map((i) => i.resolution) }) }).lean<Resolution[]>(),
    MeetingModel.find({ _id: op({ $in: items.map((i) => i.meeting) }) }).lean<Meeting[]>(),
  ]);
  const im = new Map(insts.map((x) => [String(x._id), x]));
  const rm = new Map(ress.map((x) => [String(x._id), x]));
  const mm = new Map(meets.map((x) => [String(x._id), x]));
  const rows: QueueRow[] = [];
  for (const item of items) {
    const institution = im.get(String(item.institution));
    const resolution = rm.get(String(item.resolution));
    const meeting = mm.get(String(item.meeting));
    if (!institution || !resolution || !meeting) continue;
    const waitingSince = item.claimed?.at ?? null;
    rows.push({
      item,
      institution,
      resolution,
      meeting,
      waitingSince,
      waitedDays: waitingSince && item.state === 'submitted' ? Math.max(0, Math.floor((now.getTime() - waitingSince.getTime()) / DAY_MS)) : null,
      gap: item.claimed && item.verified ? item.claimed.percent - item.verified.percent : null,
    });
  }
  return { rows, total, pages: Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE)) };
}

/** The report that has waited longest for review, other than `exceptItemId` ("next report" after a decision). */
export async function nextInQueue(actor: Actor, exceptItemId: string): Promise<string | null> {
  requireStaff(actor);
  const q = await queueQueryOf({ state: 'submitted', page: 1 });
  const next = await ProgressItemModel.find({ ...q, _id: op({ $ne: new Types.ObjectId(exceptItemId) }) })
    .sort({ 'claimed.at': 1, updatedAt: 1, _id: 1 })
    .limit(1)
    .select({ _id: 1 })
    .lean<Array<{ _id: Types.ObjectId }>>();
  return next[0] ? String(next[0]._id) : null;
}

export interface GapRow {
  institution: Institution;
  rows: number;
  claimedAvg: number;
  verifiedAvg: number;
  gap: number;
  submitted: number;
  returned: number;
  verified: number;
}

/**
 * Claimed vs verified per institution over the rows that have both (average percent), plus state
 * counts; largest gap first.
 */
export async function claimedVsVerified(actor: Actor, meetingId?: string | null, aggregates: Aggregates = computeNow): Promise<GapRow[]> {
  requireStaff(actor);
  // Every row of every institution: computed once for many views (the app's aggregates memo,
  // cleared by every signed-in write, so a verification shows at once), not per view.
  return aggregates(`review:gaps:${meetingId ?? 'all'}`, () => computeGaps(meetingId));
}

async function computeGaps(meetingId?: string | null): Promise<GapRow[]> {
  const q: Record<string, unknown> = { state: op({ $ne: 'no_report' }) };
  if (meetingId) q.meeting = new Types.ObjectId(meetingId);
  const items = await ProgressItemModel.find(q).select({ institution: 1, state: 1, claimed: 1, verified: 1 }).lean<ProgressItem[]>();
  const acc = new Map<string, { n: number; c: number; v: number; s: Record<string, number> }>();
  for (const i of items) {
    const key = String(i.institution);
    const a = acc.get(key) ?? { n: 0, c: 0, v: 0, s: { submitted: 0, returned: 0, verified: 0 } };
    a.s[i.state as WorkflowState] = (a.s[i.state] ?? 0) + 1;
    if (i.claimed && i.verified) {
      a.n++;
      a.c += i.claimed.percent;
      a.v += i.verified.percent;
    }
    acc.set(key, a);
  }
  const insts = await InstitutionModel.find({ _id: op({ $in: [...acc.keys()] }) }).lean<Institution[]>();
  const rows = insts.map((institution) => {
    const a = acc.get(String(institution._id))!;
    const claimedAvg = a.n ? Math.round((a.c / a.n) * 10) / 10 : 0;
    const verifiedAvg = a.n ? Math.round((a.v / a.n) * 10) / 10 : 0;
    return {
      institution,
      rows: a.n,
      claimedAvg,
      verifiedAvg,
      gap: Math.round((claimedAvg - verifiedAvg) * 10) / 10,
      submitted: a.s.submitted ?? 0,
      returned: a.s.returned ?? 0,
      verified: a.s.verified ?? 0,
    };
  });
  return rows.sort((x, y) => y.gap - x.gap || x.institution.code.localeCompare(y.institution.code));
}

/** Admin only: extends a meeting's reporting window for one institution (audited). */
export async function extendWindow(
  actor: Actor,
  input: { meetingId: string; institutionId: string; until: Date; reason: string },
  now: Date,
): Promise<void> {
  assertRole(actor, 'admin');
  const [meeting, institution] = await Promise.all([
    MeetingModel.findById(input.meetingId).lean<Meeting>(),
    InstitutionModel.findById(input.institutionId).lean<Institution>(),
  ]);
  const fields: Record<string, string> = {};
  if (!meeting) fields.meeting = 'validation:invalidOption';
  if (!institution) fields.institution = 'validation:invalidOption';
  if (meeting && input.until.getTime() <= meeting.reportingCloses.getTime()) fields.until = 'review:errors.extensionTooEarly';
  if (input.reason.trim().length === 0) fields.reason = 'review:errors.reasonRequired';
  if (Object.keys(fields).length > 0) throw new ValidationError(fields);
  const before = await WindowExtensionModel.findOne({ meeting: meeting!._id, institution: institution!._id }).lean();
  await WindowExtensionModel.updateOne(
    { meeting: meeting!._id, institution: institution!._id },
    { $set: { until: input.until, reason: input.reason.trim(), by: new Types.ObjectId(actor.id), at: now } },
    { upsert: true },
  );
  await recordAudit({ actor: actor, action: 'progress.window_extend',
    entity: 'WindowExtension',
    entityId: `${String(meeting!._id)}:${String(institution!._id)}`,
    summary: `${institution!.code} until ${input.until.toISOString()}`,
    before: before ? { until: before.until } : null,
    after: { until: input.until, reason: input.reason.trim() },
  });
}

export async function listExtensions(): Promise<Array<{ meeting: Meeting | undefined; institution: Institution | undefined; until: Date; reason: string; at: Date }>> {
  const list = await WindowExtensionModel.find().sort({ at: -1 }).limit(200).lean();
  const [meets, insts] = await Promise.all([
    MeetingModel.find({ _id: op({ $in: list.map((e) => e.meeting) }) }).lean<Meeting[]>(),
    InstitutionModel.find({ _id: op({ $in: list.map((e) => e.institution) }) }).lean<Institution[]>(),
  ]);
  const mm = new Map(meets.map((m) => [String(m._id), m]));
  const im = new Map(insts.map((i) => [String(i._id), i]));
  return list.map((e) => ({ meeting: mm.get(String(e.meeting)), institution: im.get(String(e.institution)), until: e.until, reason: e.reason, at: e.at }));
}
