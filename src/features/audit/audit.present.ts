import type { TFunction } from 'i18next';
import { formatDayMonthYear, TIME_ZONE } from '../../domain/calendar-date.js';
import type { Language } from '../../domain/reference-data.js';
import type { AuditEntry } from './audit.model.js';

/**
 * The audit log as people read it: translated action, record and field names, "what changed" as
 * field: before → after, links to the records and times in Dar es Salaam. Used by the page and
 * the CSV export, so both say the same thing.
 */

/** Where each kind of record is shown; entries of other kinds are not linked. */
const RECORD_PAGES: Record<string, (id: string) => string> = {
  Meeting: (id) => `/admin/meetings/${id}`,
  Resolution: (id) => `/admin/resolutions/${id}`,
  Institution: (id) => `/admin/institutions/${id}`,
  User: (id) => `/admin/users/${id}`,
  Session: (id) => `/admin/users/${id}`,
  Ranking: (id) => `/admin/rankings/${id}`,
  ProgressItem: (id) => `/review/items/${id}`,
};

/** The actions the filter offers (every action the app records; others still show, by code). */
export const AUDIT_ACTIONS = [
  'auth.login.success', 'auth.login.failure', 'auth.logout',
  'institution.create', 'institution.update', 'institution.bulkUpdate', 'institution.import', 'institution.activate', 'institution.deactivate',
  'meeting.create', 'meeting.update',
  'progress.claim', 'progress.claim_bulk', 'progress.verify', 'progress.verify_adjusted', 'progress.return', 'progress.assess', 'progress.owner', 'progress.window_extend', 'progress.seed',
  'ranking.draft.create', 'ranking.draft.recompute', 'ranking.draft.delete', 'ranking.replyWindow.open', 'ranking.objection.file', 'ranking.objection.accept', 'ranking.objection.reject', 'ranking.publish',
  'resolution.create', 'resolution.update', 'resolution.bulkUpdate', 'resolution.import', 'resolution.carryOver',
  'seed.reference',
  'user.create', 'user.createMany', 'user.import', 'user.deactivate', 'user.reactivate', 'user.setPasswordLink', 'user.setPassword', 'user.changePassword',
] as const;

/** The record kinds the filter offers (every entity the app writes). */
export const AUDIT_ENTITIES = ['Institution', 'Meeting', 'Objection', 'ProgressItem', 'ProgressReport', 'Ranking', 'Resolution', 'Seed', 'Session', 'User', 'WindowExtension'] as const;

const HEX_ID = /^[0-9a-f]{24}$/i;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z$/;

const INSTANT_FORMAT: Record<Language, Intl.DateTimeFormat> = {
  sw: new Intl.DateTimeFormat('sw-TZ', { dateStyle: 'short', timeStyle: 'short', timeZone: TIME_ZONE }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'short', timeStyle: 'short', timeZone: TIME_ZONE }),
};

/** A date and time in Dar es Salaam, e.g. "06/02/2024, 14:05 EAT". */
export function formatInstant(date: Date, lang: Language): string {
  return `${INSTANT_FORMAT[lang].format(date)} EAT`;
}

/** The translation key of an action code: "ranking.objection.file" → "audit:actions.ranking_objection_file". */
const actionKey = (action: string) => `audit:actions.${action.replace(/[.]/g, '_')}`;

export function actionLabel(action: string, t: TFunction): string {
  return t(actionKey(action), { defaultValue: action });
}

export function entityLabel(entity: string, t: TFunction): string {
  return t(`audit:entities.${entity}`, { defaultValue: entity });
}

function isLocalized(v: unknown): v is { sw?: string; en?: string } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).every((k) => k === 'sw' || k === 'en');
}

/** One stored value as text: dates in EAT, bilingual text in the reader's language, lists joined. */
export function formatValue(value: unknown, t: TFunction, lang: Language): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return t(value ? 'common:yes' : 'common:no');
  if (value instanceof Date) return formatInstant(value, lang);
  if (typeof value === 'number') return new Intl.NumberFormat(lang === 'sw' ? 'sw-TZ' : 'en-GB', { maximumFractionDigits: 4 }).format(value);
  if (typeof value === 'string') {
    if (ISO_DAY.test(value)) return formatDayMonthYear(new Date(`${value}T00:00:00Z`));
    if (ISO_INSTANT.test(value)) return formatInstant(new Date(value), lang);
    return value;
  }
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map((v) => formatValue(v, t, lang)).join(', ');
  if (isLocalized(value)) return (lang === 'en' ? value.en || value.sw : value.sw || value.en) || '—';
  return Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${fieldLabel(k, t)}: ${formatValue(v, t, lang)}`)
    .join('; ');
}

export function fieldLabel(field: string, t: TFunction): string {
  return t(`audit:fields.${field}`, { defaultValue: field });
}

export interface AuditChange {
  field: string;
  before: string;
  after: string;
  /** Only "after" (a record created) or only "before" (removed). */
  kind: 'changed' | 'added' | 'removed';
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The fields whose value differs between before and after, in the order they were stored. */
export function changesOf(before: Record<string, unknown> | null | undefined, after: Record<string, unknown> | null | undefined, t: TFunction, lang: Language): AuditChange[] {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  const out: AuditChange[] = [];
  for (const key of keys) {
    const b = before?.[key];
    const a = after?.[key];
    if (before && after && same(a, b)) continue;
    out.push({
      field: fieldLabel(key, t),
      before: before ? formatValue(b, t, lang) : '',
      after: after ? formatValue(a, t, lang) : '',
      kind: !before ? 'added' : !after ? 'removed' : 'changed',
    });
  }
  return out;
}

/** A name for the record from what the entry stored (title, name, code, e-mail), in the reader's language. */
function recordName(entry: Pick<AuditEntry, 'before' | 'after'>, lang: Language): string {
  for (const side of [entry.after, entry.before] as Array<Record<string, unknown> | null>) {
    if (!side) continue;
    for (const key of ['title', 'name', 'code', 'email']) {
      const v = side[key];
      if (typeof v === 'string' && v) return v;
      if (isLocalized(v)) {
        const text = lang === 'en' ? v.en || v.sw : v.sw || v.en;
        if (text) return text;
      }
    }
  }
  return '';
}

export interface AuditRow {
  id: string;
  at: Date;
  when: string;
  who: string;
  email: string;
  role: string;
  action: string;
  actionLabel: string;
  entity: string;
  entityLabel: string;
  entityId: string;
  link: string | null;
  record: string;
  /** The free-text line stored with the entry (written in English by the code); shown when no record name is known. */
  summary: string;
  changes: AuditChange[];
}

export function presentAuditEntry(entry: AuditEntry, t: TFunction, lang: Language): AuditRow {
  const entityId = entry.entityId ?? '';
  const page = RECORD_PAGES[entry.entity] as ((id: string) => string) | undefined;
  return {
    id: String(entry._id),
    at: entry.at,
    when: formatInstant(entry.at, lang),
    who: entry.actorName || entry.actorEmail || '',
    email: entry.actorEmail ?? '',
    role: t(`audit:roles.${entry.role}`),
    action: entry.action,
    actionLabel: actionLabel(entry.action, t),
    entity: entry.entity,
    entityLabel: entityLabel(entry.entity, t),
    entityId,
    link: page && HEX_ID.test(entityId) ? page(entityId) : null,
    record: recordName(entry, lang),
    summary: entry.summary ?? '',
    changes: changesOf(entry.before as Record<string, unknown> | null, entry.after as Record<string, unknown> | null, t, lang),
  };
}

/** Header and rows of the CSV export (one row per entry; the changes in one cell). */
export function auditCsvRows(rows: AuditRow[], t: TFunction): { columns: string[]; rows: unknown[][] } {
  const columns = ['at_utc', 'at_eat', 'who', 'email', 'role', 'action', 'action_label', 'entity', 'entity_label', 'entity_id', 'record', 'summary', 'changes'];
  return {
    columns,
    rows: rows.map((r) => [
      r.at.toISOString(),
      r.when,
      r.who,
      r.email,
      r.role,
      r.action,
      r.actionLabel,
      r.entity,
      r.entityLabel,
      r.entityId,
      r.record,
      r.summary,
      r.changes.map((c) => `${c.field}: ${c.kind === 'added' ? '' : `${c.before} → `}${c.kind === 'removed' ? t('audit:removed') : c.after}`).join('\n'),
    ]),
  };
}
