import { Types, trusted } from 'mongoose';
import type { Actor } from '../../domain/actor.js';
import { logger } from '../../logger.js';
import { AuditEntryModel, type AuditEntry } from './audit.model.js';
import { escapeRegex } from '../../domain/escape-regex.js';

const log = logger.child({ module: 'audit' });

export interface AuditInput {
  /** Who did it: a signed-in user, or null for anonymous/system actions. */
  actor: Actor | null;
  /** Used when actor is null: "anonymous" (a visitor) or "system" (seed, CLI, scheduled jobs). */
  actorKind?: 'anonymous' | 'system';
  /** Dotted verb: "<entity>.<verb>", e.g. "resolution.update", "auth.login.failure". */
  action: string;
  entity: string;
  entityId?: string | Types.ObjectId | null;
  /** One line a human reads in the audit list. */
  summary: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  at?: Date;
  /** Display name/email for anonymous actions (e.g. the email typed at sign-in). */
  actorLabel?: { name?: string; email?: string };
}

const SECRET_KEYS = /password|token|hash|secret/i;

/** Strips secrets and converts ObjectIds/dates so summaries stay small and readable. */
export function summarize(value: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (!value) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (SECRET_KEYS.test(k)) continue;
    if (v instanceof Types.ObjectId) out[k] = v.toHexString();
    else if (v instanceof Date) out[k] = v.toISOString();
    else if (typeof v === 'string' && v.length > 500) out[k] = `${v.slice(0, 500)}…`;
    else out[k] = v;
  }
  return out;
}

/**
 * Records one audit entry. Call it from every service function that writes, after the write
 * succeeded. Pass only the changed fields in before/after.
 */
export async function recordAudit(input: AuditInput): Promise<void> {
  const entry = toAuditEntry(input);
  await AuditEntryModel.create(entry);
  log.debug({ action: input.action, entity: input.entity, entityId: entry.entityId }, 'audit');
}

/** Records many entries at once (bulk edits, imports): one insert. */
export async function recordAuditMany(inputs: AuditInput[]): Promise<void> {
  if (inputs.length === 0) return;
  await AuditEntryModel.insertMany(inputs.map(toAuditEntry));
}

/** The stored form of one audit input: actor details copied, secrets stripped from before/after. */
function toAuditEntry(input: AuditInput) {
  return {
    at: input.at ?? new Date(),
    actor: input.actor ? new Types.ObjectId(input.actor.id) : null,
    actorName: input.actor?.name ?? input.actorLabel?.name ?? '',
    actorEmail: input.actor?.email ?? input.actorLabel?.email ?? '',
    role: input.actor?.role ?? input.actorKind ?? 'system',
    action: input.action,
    entity: input.entity,
    entityId: input.entityId ? String(input.entityId) : '',
    summary: input.summary,
    before: summarize(input.before),
    after: summarize(input.after),
  };
}

export interface AuditFilter {
  actor?: string;
  entity?: string;
  action?: string;
  from?: Date;
  to?: Date;
  page: number;
  pageSize?: number;
}

export interface AuditPage {
  entries: AuditEntry[];
  total: number;
  page: number;
  pages: number;
}


/** The stored-query form of a filter (sanitizeFilter is on: operator objects are marked trusted). */
function auditQueryOf(filter: Omit<AuditFilter, 'page'>): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  if (filter.actor) {
    const rx = new RegExp(escapeRegex(filter.actor), 'i');
    query.$or = [{ actorName: rx }, { actorEmail: rx }];
  }
  if (filter.entity) query.entity = filter.entity;
  // "user" matches every user.* action; "user.create" matches itself and not "user.createMany".
  if (filter.action) query.action = new RegExp(`^${escapeRegex(filter.action)}(\\.|$)`);
  if (filter.from || filter.to) {
    const at: Record<string, Date> = {};
    if (filter.from) at.$gte = filter.from;
    if (filter.to) at.$lt = filter.to;
    query.at = trusted(at);
  }
  return query;
}

/**
 * Lists entries newest first. `actor` matches name or email (case-insensitive substring).
 * Unfiltered, the total comes from the collection's metadata (no scan of the whole log).
 */
export async function listAudit(filter: AuditFilter): Promise<AuditPage> {
  const pageSize = filter.pageSize ?? 50;
  const query = auditQueryOf(filter);
  const total = Object.keys(query).length === 0 ? await AuditEntryModel.estimatedDocumentCount() : await AuditEntryModel.countDocuments(query);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(filter.page, pages);
  const entries = await AuditEntryModel.find(query)
    .sort({ at: -1, _id: -1 })
    .skip((page - 1) * pageSize)
    .limit(pageSize)
    .lean<AuditEntry[]>();
  return { entries, total, page, pages };
}

/** Every entry the filter matches, newest first (the CSV export; narrow it with the dates). */
export async function listAuditForExport(filter: Omit<AuditFilter, 'page'>): Promise<AuditEntry[]> {
  return AuditEntryModel.find(auditQueryOf(filter)).sort({ at: -1, _id: -1 }).lean<AuditEntry[]>();
}
