import { Types } from 'mongoose';
import type { Actor } from '../../domain/actor.js';
import type { ProgressStatus } from '../../domain/reference-data.js';
import { checkClaim, effectiveDueDate, isDueSoon, isOverdue, missingFor, normalizePercent, MAX_EVIDENCE_FILES, MAX_EVIDENCE_LINKS, type RuleIssues } from '../../domain/progress-rules.js';
import { effectiveClose, windowState, type WindowState } from '../../domain/progress-window.js';
import { diffWords, type DiffPart, type DiffWork } from '../../domain/progress-diff.js';
import { AppError, ForbiddenError, NotFoundError, ValidationError } from '../../errors.js';
import { InstitutionModel, type Institution } from '../institutions/institution.model.js';
import { MeetingModel, type Meeting } from '../meetings/meeting.model.js';
import { ResolutionModel, type Resolution } from '../resolutions/resolution.model.js';
import { UserModel, type User } from '../accounts/user.model.js';
import { checkFiles, deleteFiles, normalizeLink, storeFiles, type IncomingFile } from '../evidence/evidence.service.js';
import { ProgressItemModel, ProgressReportModel, REPORT_KINDS, type ProgressItem, type ProgressReport } from './progress.model.js';
import { WindowExtensionModel, type WindowExtension } from './window-extension.model.js';
import { applyAction, type EvidenceEntry } from './item-writer.js';
import { recordAudit } from '../audit/audit.service.js';
import { op } from './query.js';
import { isDuplicateKey } from '../../db/duplicate-key.js';


/** Meetings whose resolutions institutions report on: every meeting not closed. */
export async function openMeetings(): Promise<Meeting[]> {
  return MeetingModel.find({ status: op({ $ne: 'closed' as const }) }).sort({ number: -1 }).lean<Meeting[]>();
}

/** Active institution users, first focal person first (oldest account). */
export async function focalPersons(institutionId: Types.ObjectId | string): Promise<User[]> {
  return UserModel.find({ institution: new Types.ObjectId(String(institutionId)), role: 'institution', active: true })
    .sort({ createdAt: 1, _id: 1 })
    .select({ name: 1, email: 1, language: 1 })
    .lean<User[]>();
}

/** Active resolutions of the given meetings that apply to this institution's type. */
export async function applicableResolutions(institution: Pick<Institution, 'type' | 'active'>, meetingIds: readonly Types.ObjectId[]): Promise<Resolution[]> {
  if (!institution.active || meetingIds.length === 0) return [];
  return ResolutionModel.find({ meeting: op({ $in: meetingIds }), active: true, appliesTo: institution.type })
    .sort({ meeting: 1, number: 1 })
    .lean<Resolution[]>();
}

/**
 * Items are created lazily: whenever an institution's rows are needed (dashboard, CSV, a submit,
 * reminders, the seed) the missing (institution, resolution) rows are upserted. The unique index
 * (institution, resolution) makes concurrent creation safe; a duplicate-key race is ignored.
 * New rows get the first focal person as owner; rows without an owner get one when a user exists.
 */
export async function ensureItems(institution: Institution, resolutions: readonly Resolution[]): Promise<ProgressItem[]> {
  if (resolutions.length === 0) return [];
  const existing = await ProgressItemModel.find({ institution: institution._id, resolution: op({ $in: resolutions.map((r) => r._id) }) }).lean<
    ProgressItem[]
  >();
  const have = new Set(existing.map((i) => String(i.resolution)));
  const missing = resolutions.filter((r) => !have.has(String(r._id)));
  const ownerless = existing.filter((i) => !i.owner);
  if (missing.length === 0 && ownerless.length === 0) return existing;
  const owner = (await focalPersons(institution._id))[0]?._id ?? null;
  for (const r of missing) {
    try {
      await ProgressItemModel.updateOne(
        { institution: institution._id, resolution: r._id },
        { $setOnInsert: { institution: institution._id, resolution: r._id, meeting: r.meeting, owner, state: 'no_report', lastVersion: 0, revision: 0 } },
        { upsert: true },
      );
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  if (owner && ownerless.length > 0) {
    await ProgressItemModel.updateMany({ _id: op({ $in: ownerless.map((i) => i._id) }), owner: null }, { $set: { owner } });
  }
  return ProgressItemModel.find({ institution: institution._id, resolution: op({ $in: resolutions.map((r) => r._id) }) }).lean<ProgressItem[]>();
}

/** Extensions of this institution, by meeting id. */
async function extensionsFor(institutionId: Types.ObjectId, meetingIds: readonly Types.ObjectId[]): Promise<Map<string, WindowExtension>> {
  // (meeting, institution) is the unique index: one look-up per meeting, never a scan.
  const list = await WindowExtensionModel.find({ meeting: op({ $in: [...meetingIds] }), institution: institutionId }).lean<WindowExtension[]>();
  return new Map(list.map((e) => [String(e.meeting), e]));
}

export interface DashboardRow {
  item: ProgressItem;
  resolution: Resolution;
  meeting: Meeting;
  ownerName: string;
  missing: string[];
  /** The due date for this institution (see effectiveDueDate). */
  due: Date;
  overdue: boolean;
  dueSoon: boolean;
  lastUpdate: Date | null;
  window: WindowState;
  closes: Date;
  gap: number | null;
}

export interface Dashboard {
  institution: Institution;
  rows: DashboardRow[];
  users: User[];
  meetings: Array<{ meeting: Meeting; window: WindowState; closes: Date; extended: boolean }>;
}

/** The loaded institution of an institution user, or 403 for anyone else. */
async function ownInstitution(actor: Actor): Promise<Institution> {
  if (actor.role !== 'institution' || !actor.institutionId) throw new ForbiddenError();
  const inst = await InstitutionModel.findById(actor.institutionId).lean<Institution>();
  if (!inst) throw new ForbiddenError();
  return inst;
}

/** Every applicable row of the open meetings for the actor's institution. */
export async function getDashboard(actor: Actor, now: Date): Promise<Dashboard> {
  const institution = await ownInstitution(actor);
  const meetings = await openMeetings();
  const resolutions = await applicableResolutions(institution, meetings.map((m) => m._id));
  const items = await ensureItems(institution, resolutions);
  const users = await focalPersons(institution._id);
  const ext = await extensionsFor(institution._id, meetings.map((m) => m._id));
  const byRes = new Map(items.map((i) => [String(i.resolution), i]));
  const meetingById = new Map(meetings.map((m) => [String(m._id), m]));
  const userName = new Map(users.map((u) => [String(u._id), u.name]));

  const rows: DashboardRow[] = [];
  for (const r of resolutions) {
    const item = byRes.get(String(r._id));
    const meeting = meetingById.get(String(r.meeting));
    if (!item || !meeting) continue;
    const until = ext.get(String(meeting._id))?.until ?? null;
    const best = item.verified ?? item.claimed;
    const due = effectiveDueDate(r.dueDate, institution.createdAt as Date | undefined);
    rows.push({
      item,
      resolution: r,
      meeting,
      ownerName: item.owner ? (userName.get(String(item.owner)) ?? '') : '',
      missing: missingFor({ state: item.state, claimed: item.claimed, claimedEvidenceCount: item.claimedEvidence ?? 0 }),
      due,
      overdue: isOverdue(due, best, now),
      dueSoon: isDueSoon(due, best, now),
      lastUpdate: item.lastVersion > 0 ? (item.updatedAt as Date) : null,
      window: windowState(meeting, now, until),
      closes: effectiveClose(meeting, until),
      gap: item.claimed && item.verified ? item.claimed.percent - item.verified.percent : null,
    });
  }
  return {
    institution,
    rows,
    users,
    meetings: meetings.map((m) => {
      const until = ext.get(String(m._id))?.until ?? null;
      return { meeting: m, window: windowState(m, now, until), closes: effectiveClose(m, until), extended: until != null && until > m.reportingCloses };
    }),
  };
}

export interface ItemContext {
  item: ProgressItem;
  institution: Institution;
  resolution: Resolution;
  meeting: Meeting;
  window: WindowState;
  closes: Date;
  latestClaim: ProgressReport | null;
  latestReturn: ProgressReport | null;
}

/**
 * Loads one row with its context. Institution users only see their own institution's rows
 * (another institution's row answers 404, as if it did not exist); staff see all.
 */
export async function getItem(actor: Actor, itemId: string, now: Date): Promise<ItemContext> {
  if (!Types.ObjectId.isValid(itemId) || !/^[a-f0-9]{24}$/i.test(itemId)) throw new NotFoundError();
  const item = await ProgressItemModel.findById(itemId).lean<ProgressItem>();
  if (!item) throw new NotFoundError();
  const staff = actor.role === 'admin' || actor.role === 'reviewer';
  if (!staff && !(actor.role === 'institution' && String(item.institution) === String(actor.institutionId))) throw new NotFoundError();
  const [institution, resolution, meeting, extension, latestClaim, latestReturn] = await Promise.all([
    InstitutionModel.findById(item.institution).lean<Institution>(),
    ResolutionModel.findById(item.resolution).lean<Resolution>(),
    MeetingModel.findById(item.meeting).lean<Meeting>(),
    WindowExtensionModel.findOne({ meeting: item.meeting, institution: item.institution }).lean<WindowExtension>(),
    ProgressReportModel.findOne({ item: item._id, kind: 'claim' }).sort({ version: -1 }).lean<ProgressReport>(),
    ProgressReportModel.findOne({ item: item._id, kind: 'return' }).sort({ version: -1 }).lean<ProgressReport>(),
  ]);
  if (!institution || !resolution || !meeting) throw new NotFoundError();
  return {
    item,
    institution,
    resolution,
    meeting,
    window: windowState(meeting, now, extension?.until ?? null),
    closes: effectiveClose(meeting, extension?.until ?? null),
    latestClaim,
    latestReturn,
  };
}

export interface ClaimInput {
  expectedRevision: number;
  status: ProgressStatus;
  percent: number;
  narrative: string;
  /** New links (absolute http/https). */
  links: string[];
  /** Evidence of the previous claim to keep: file ids or link URLs. */
  keep: string[];
  files: IncomingFile[];
}

export class WindowClosedError extends AppError {
  constructor(state: WindowState) {
    super(403, state === 'not_open' ? 'progress:errors.windowNotOpen' : 'progress:errors.windowClosed', { code: 'window_closed' });
  }
}

function keptEvidence(previous: ProgressReport | null, keep: readonly string[]): EvidenceEntry[] {
  if (!previous) return [];
  const wanted = new Set(keep);
  return previous.evidence
    .filter((e) => (e.kind === 'file' ? e.fileId != null && wanted.has(String(e.fileId)) : wanted.has(e.url)))
    .map((e) => ({ kind: e.kind, fileId: e.fileId ?? null, filename: e.filename, contentType: e.contentType, size: e.size, url: e.url, label: e.label }));
}

function rulesToFields(issues: RuleIssues): Record<string, string> {
  return Object.fromEntries(Object.entries(issues).filter(([, v]) => v)) as Record<string, string>;
}

/**
 * Submits a new claim (a new immutable version) for one row. Order matters: validate everything,
 * then upload files to GridFS, then win the item update; if that loses (someone else saved first)
 * or anything else fails, the uploaded files are deleted again.
 * Throws ValidationError (field -> i18n key), WindowClosedError, ProgressConflictError.
 */
export async function submitClaim(actor: Actor, itemId: string, input: ClaimInput, now: Date): Promise<{ item: ProgressItem; report: ProgressReport }> {
  const ctx = await getItem(actor, itemId, now);
  if (actor.role !== 'institution') throw new ForbiddenError();
  if (ctx.window !== 'open') throw new WindowClosedError(ctx.window);

  const fields: Record<string, string> = {};
  const typed = input.links.map((l) => l.trim()).filter(Boolean);
  const badLine = typed.find((l) => normalizeLink(l) === null);
  const links = [...new Set(typed.map(normalizeLink).filter((l): l is string => l !== null))];
  if (badLine !== undefined) fields.links = 'progress:evidence.badLinkLine';
  if (links.length > MAX_EVIDENCE_LINKS) fields.links = 'progress:evidence.tooManyLinks';
  const kept = keptEvidence(ctx.latestClaim, input.keep);
  const keptFiles = kept.filter((e) => e.kind === 'file').length;
  if (keptFiles + input.files.length > MAX_EVIDENCE_FILES) fields.files = 'progress:evidence.tooMany';
  let checked: Awaited<ReturnType<typeof checkFiles>> | null = null;
  if (!fields.files) {
    checked = await checkFiles(input.files);
    if (!checked.ok) fields.files = checked.message;
  }
  const evidenceCount = kept.length + input.files.length + links.length;
  const percent = normalizePercent(input.status, input.percent);
  Object.assign(fields, rulesToFields(checkClaim({ status: input.status, percent: input.status === 'not_applicable' ? 0 : input.percent, narrative: input.narrative, evidenceCount })));
  if (Object.keys(fields).length > 0) {
    const params = { ...(checked && !checked.ok ? checked.params : { max: MAX_EVIDENCE_FILES }), line: badLine ?? '' };
    throw new ValidationError(fields, 'errors:validation', { params });
  }

  const stored = checked && checked.ok ? await storeFiles(checked.files, actor.id) : [];
  try {
    const evidence: EvidenceEntry[] = [...kept, ...stored, ...links.map((url) => ({ kind: 'link' as const, url, label: '' }))];
    const result = await applyAction(
      ctx.item._id,
      actor,
      { action: 'submit', expectedRevision: input.expectedRevision, status: input.status, percent, narrative: input.narrative.trim(), evidence },
      now,
    );
    await recordAudit({ actor: actor, action: 'progress.claim',
      entity: 'ProgressItem',
      entityId: String(ctx.item._id),
      summary: `v${result.report.version} ${input.status} ${percent}%`,
      before: ctx.item.claimed ? { status: ctx.item.claimed.status, percent: ctx.item.claimed.percent, state: ctx.item.state } : null,
      after: { status: input.status, percent, state: result.item.state, evidence: evidence.length },
    });
    return result;
  } catch (err) {
    await deleteFiles(stored.map((s) => s.fileId));
    throw err;
  }
}

/** Institution users pick the owner of a row among their own active users. Does not bump the revision. */
export async function assignOwner(actor: Actor, itemId: string, ownerId: string, now: Date): Promise<void> {
  const ctx = await getItem(actor, itemId, now);
  if (actor.role !== 'institution') throw new ForbiddenError();
  const users = await focalPersons(ctx.institution._id);
  const owner = users.find((u) => String(u._id) === ownerId);
  if (!owner) throw new ValidationError({ owner: 'progress:errors.ownerNotInInstitution' });
  await ProgressItemModel.updateOne({ _id: ctx.item._id }, { $set: { owner: owner._id } });
  await recordAudit({ actor: actor, action: 'progress.owner',
    entity: 'ProgressItem',
    entityId: String(ctx.item._id),
    summary: `owner ${owner.name}`,
    before: { owner: ctx.item.owner ? String(ctx.item.owner) : null },
    after: { owner: String(owner._id) },
  });
}

export interface HistoryEntry {
  report: ProgressReport;
  byName: string;
  /** For claims: changes against the previous claim. For verdicts: against the claim they judged. */
  statusChanged: boolean;
  percentChanged: boolean;
  previousStatus: string | null;
  previousPercent: number | null;
  narrativeDiff: DiffPart[] | null;
  /** Claims: evidence (file names, links) added and removed since the previous claim. */
  evidenceAdded: string[];
  evidenceRemoved: string[];
}

/** Versions per history page; diffs are computed for the versions shown only. */
export const HISTORY_PAGE_SIZE = 20;

export interface History {
  ctx: ItemContext;
  entries: HistoryEntry[];
  page: number;
  pages: number;
  /** Diff work done for this page (bounded: at most HISTORY_PAGE_SIZE diffs of MAX_DIFF_CELLS). */
  work: DiffWork;
}

const evidenceKey = (e: { kind: string; fileId?: unknown; url?: string }) => (e.kind === 'file' ? `file:${String(e.fileId)}` : `link:${e.url ?? ''}`);
const evidenceName = (e: { kind: string; filename?: string; url?: string }) => (e.kind === 'file' ? (e.filename ?? '') : (e.url ?? ''));

/**
 * The versions of a row, newest first, one page at a time, each claim with a readable diff
 * against the previous claim (narrative, status, percent, evidence added or removed).
 */
export async function getHistory(actor: Actor, itemId: string, now: Date, options: { page?: number; perPage?: number } = {}): Promise<History> {
  const ctx = await getItem(actor, itemId, now);
  // Every kind, named, so the (item, kind) index answers it (see progress.model.ts).
  const reports = await ProgressReportModel.find({ item: ctx.item._id, kind: op({ $in: [...REPORT_KINDS] }) }).sort({ version: 1 }).lean<ProgressReport[]>();
  const perPage = options.perPage ?? HISTORY_PAGE_SIZE;
  const pages = Math.max(1, Math.ceil(reports.length / perPage));
  const page = Math.min(Math.max(1, options.page ?? 1), pages);
  // Newest first: page 1 holds the last `perPage` versions.
  const to = reports.length - (page - 1) * perPage;
  const from = Math.max(0, to - perPage);
  const shown = reports.slice(from, to);
  const users = await UserModel.find({ _id: op({ $in: [...new Set(shown.map((r) => String(r.by)))] }) }).select({ name: 1 }).lean<User[]>();
  const names = new Map(users.map((u) => [String(u._id), u.name]));
  let lastClaim: ProgressReport | null = null;
  for (let k = from - 1; k >= 0 && !lastClaim; k--) if (reports[k].kind === 'claim') lastClaim = reports[k];
  const work: DiffWork = { diffs: 0, cells: 0 };
  const entries: HistoryEntry[] = [];
  for (const report of shown) {
    const prev = lastClaim;
    const entry: HistoryEntry = {
      report,
      byName: names.get(String(report.by)) ?? '',
      statusChanged: false,
      percentChanged: false,
      previousStatus: prev?.status ?? null,
      previousPercent: prev?.percent ?? null,
      narrativeDiff: null,
      evidenceAdded: [],
      evidenceRemoved: [],
    };
    if (report.kind !== 'return') {
      entry.statusChanged = prev ? prev.status !== report.status : true;
      entry.percentChanged = prev ? prev.percent !== report.percent : true;
    }
    if (report.kind === 'claim') {
      entry.narrativeDiff = diffWords(prev?.narrative ?? '', report.narrative, work);
      const before = new Set((prev?.evidence ?? []).map(evidenceKey));
      const after = new Set(report.evidence.map(evidenceKey));
      entry.evidenceAdded = prev ? report.evidence.filter((e) => !before.has(evidenceKey(e))).map(evidenceName) : [];
      entry.evidenceRemoved = (prev?.evidence ?? []).filter((e) => !after.has(evidenceKey(e))).map(evidenceName);
      lastClaim = report;
    }
    entries.push(entry);
  }
  return { ctx, entries: entries.reverse(), page, pages, work };
}

export function isStaff(actor: Actor): boolean {
  return actor.role === 'admin' || actor.role === 'reviewer';
}
