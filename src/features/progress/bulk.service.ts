import { parse } from 'csv-parse/sync';
import { toCsv, unguardFormula } from '../csv/csv-writer.js';
import { Types } from 'mongoose';
import { PROGRESS_STATUSES, type ProgressStatus } from '../../domain/reference-data.js';
import { checkClaim, normalizePercent, MAX_EVIDENCE_LINKS, MAX_NARRATIVE_LENGTH } from '../../domain/progress-rules.js';
import { isSafeLink } from '../evidence/evidence.service.js';
import type { Actor } from '../../domain/actor.js';
import { getDashboard, type DashboardRow } from './progress.service.js';
import { ProgressReportModel, type ProgressReport } from './progress.model.js';
import { applyAction, type EvidenceEntry } from './item-writer.js';
import { recordAudit } from '../audit/audit.service.js';
import { op } from './query.js';

/**
 * Several rows at once: the bulk form and the CSV round trip share this path.
 * All or nothing: every row is checked (ownership, window, revision, rules) before the first
 * write; one bad row means nothing is written and every row gets its own verdict.
 * A row whose values equal the current claim is left alone (no new version).
 */

export const CSV_COLUMNS = [
  'item_id',
  'revision',
  'meeting',
  'resolution',
  'title',
  'due_date',
  'status',
  'percent',
  'narrative',
  'links',
  'state',
  'verified_status',
  'verified_percent',
] as const;

export interface BulkRowInput {
  /** Line number (CSV) or position (form), for the per-row report. */
  line: number;
  itemId: string;
  revision: string;
  status: string;
  percent: string;
  narrative: string;
  /** Space-separated extra links (CSV only). */
  links?: string;
}

export interface BulkRowVerdict {
  line: number;
  itemId: string;
  label: string;
  outcome: 'update' | 'unchanged' | 'error';
  /** i18n keys with params. */
  errors: Array<{ key: string; params?: Record<string, unknown> }>;
}

export interface BulkResult {
  ok: boolean;
  written: number;
  verdicts: BulkRowVerdict[];
}

function latestClaims(itemIds: Types.ObjectId[]): Promise<ProgressReport[]> {
  return ProgressReportModel.find({ item: op({ $in: itemIds }), kind: 'claim' }).sort({ item: 1, version: 1 }).lean<ProgressReport[]>();
}

/** Narrative of each item's latest claim (item id -> text). */
export async function latestNarratives(itemIds: Types.ObjectId[]): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  for (const c of await latestClaims(itemIds)) map.set(String(c.item), c.narrative);
  return map;
}

interface Planned {
  row: DashboardRow;
  status: ProgressStatus;
  percent: number;
  narrative: string;
  evidence: EvidenceEntry[];
  revision: number;
}

/** Checks every row, then (only if all are fine) writes the changed ones. */
export async function applyBulk(actor: Actor, inputs: readonly BulkRowInput[], now: Date): Promise<BulkResult> {
  const dashboard = await getDashboard(actor, now);
  const byId = new Map(dashboard.rows.map((r) => [String(r.item._id), r]));
  const claims = await latestClaims(dashboard.rows.map((r) => r.item._id));
  const lastClaim = new Map<string, ProgressReport>();
  for (const c of claims) lastClaim.set(String(c.item), c);

  const verdicts: BulkRowVerdict[] = [];
  const planned: Planned[] = [];
  const seen = new Set<string>();
  for (const input of inputs) {
    const errors: BulkRowVerdict['errors'] = [];
    const row = byId.get(input.itemId.trim());
    const label = row ? `${row.meeting.number}.${row.resolution.number}` : input.itemId;
    if (!row) {
      verdicts.push({ line: input.line, itemId: input.itemId, label, outcome: 'error', errors: [{ key: 'progress:bulk.errors.unknownRow' }] });
      continue;
    }
    if (seen.has(input.itemId)) errors.push({ key: 'progress:bulk.errors.duplicateRow' });
    seen.add(input.itemId);
    // A row never reported and left blank is not a claim.
    if (!row.item.claimed && input.status.trim() === '' && input.percent.trim() === '' && input.narrative.trim() === '' && !input.links?.trim()) {
      verdicts.push({ line: input.line, itemId: input.itemId, label, outcome: errors.length ? 'error' : 'unchanged', errors });
      continue;
    }
    const status = input.status.trim() as ProgressStatus;
    const statusOk = (PROGRESS_STATUSES as readonly string[]).includes(status);
    if (!statusOk) errors.push({ key: 'progress:bulk.errors.status', params: { value: input.status.slice(0, 40) } });
    const percentText = input.percent.trim();
    const rawPercent = percentText === '' ? (status === 'in_progress' ? Number.NaN : 0) : Number(percentText);
    const narrative = input.narrative.trim();
    if (narrative.length > MAX_NARRATIVE_LENGTH) errors.push({ key: 'progress:rules.narrativeTooLong' });
    const links = (input.links ?? '').split(/\s+/).filter(Boolean);
    if (links.some((l) => !isSafeLink(l))) errors.push({ key: 'progress:evidence.badLink' });
    if (links.length > MAX_EVIDENCE_LINKS) errors.push({ key: 'progress:evidence.tooManyLinks' });

    const prev = lastClaim.get(input.itemId);
    const previousEvidence: EvidenceEntry[] = (prev?.evidence ?? []).map((e) => ({
      kind: e.kind,
      fileId: e.fileId ?? null,
      filename: e.filename,
      contentType: e.contentType,
      size: e.size,
      url: e.url,
      label: e.label,
    }));
    const newLinks = links.filter((l) => !previousEvidence.some((e) => e.kind === 'link' && e.url === l));
    const evidence = [...previousEvidence, ...newLinks.map((url) => ({ kind: 'link' as const, url, label: '' }))];

    if (statusOk) {
      const issues = checkClaim({ status, percent: status === 'not_applicable' ? 0 : rawPercent, narrative, evidenceCount: evidence.length });
      for (const key of Object.values(issues)) if (key) errors.push({ key });
    }
    const percent = statusOk ? normalizePercent(status, rawPercent) : 0;
    const unchanged =
      statusOk &&
      row.item.claimed != null &&
      row.item.claimed.status === status &&
      row.item.claimed.percent === percent &&
      (prev?.narrative ?? '') === narrative &&
      newLinks.length === 0;

    if (!unchanged) {
      if (row.window !== 'open') errors.push({ key: row.window === 'not_open' ? 'progress:errors.windowNotOpen' : 'progress:errors.windowClosed' });
      if (String(row.item.revision) !== input.revision.trim()) {
        errors.push({ key: 'progress:bulk.errors.stale', params: { version: row.item.lastVersion } });
      }
    }
    if (errors.length > 0) {
      verdicts.push({ line: input.line, itemId: input.itemId, label, outcome: 'error', errors });
      continue;
    }
    verdicts.push({ line: input.line, itemId: input.itemId, label, outcome: unchanged ? 'unchanged' : 'update', errors: [] });
    if (!unchanged) planned.push({ row, status, percent, narrative, evidence, revision: row.item.revision });
  }

  if (verdicts.some((v) => v.outcome === 'error')) return { ok: false, written: 0, verdicts };

  let written = 0;
  for (const p of planned) {
    const result = await applyAction(
      p.row.item._id,
      actor,
      { action: 'submit', expectedRevision: p.revision, status: p.status, percent: p.percent, narrative: p.narrative, evidence: p.evidence },
      now,
    );
    written++;
    await recordAudit({ actor: actor, action: 'progress.claim_bulk',
      entity: 'ProgressItem',
      entityId: String(p.row.item._id),
      summary: `v${result.report.version} ${p.status} ${p.percent}% (bulk)`,
      before: p.row.item.claimed ? { status: p.row.item.claimed.status, percent: p.row.item.claimed.percent } : null,
      after: { status: p.status, percent: p.percent },
      at: now,
    });
  }
  return { ok: true, written, verdicts };
}

/** The institution's rows as CSV (UTF-8 with BOM so spreadsheet programs read Kiswahili text). */
export async function exportCsv(actor: Actor, now: Date, lang: 'sw' | 'en'): Promise<string> {
  const dashboard = await getDashboard(actor, now);
  const claims = await latestClaims(dashboard.rows.map((r) => r.item._id));
  const lastClaim = new Map<string, ProgressReport>();
  for (const c of claims) lastClaim.set(String(c.item), c);
  const records = dashboard.rows.map((r) => {
    const prev = lastClaim.get(String(r.item._id));
    return {
      item_id: String(r.item._id),
      revision: r.item.revision,
      meeting: r.meeting.number,
      resolution: r.resolution.number,
      title: (lang === 'en' && r.resolution.title.en) || r.resolution.title.sw,
      due_date: r.resolution.dueDate.toISOString().slice(0, 10),
      status: r.item.claimed?.status ?? '',
      percent: r.item.claimed ? r.item.claimed.percent : '',
      narrative: prev?.narrative ?? '',
      links: '',
      state: r.item.state,
      verified_status: r.item.verified?.status ?? '',
      verified_percent: r.item.verified ? r.item.verified.percent : '',
    };
  });
  return toCsv(
    CSV_COLUMNS,
    records.map((r) => CSV_COLUMNS.map((c) => r[c])),
  );
}

/** Parses an uploaded CSV into bulk rows; a structural problem returns an i18n key instead. */
export function parseCsv(buffer: Buffer): { ok: true; rows: BulkRowInput[] } | { ok: false; key: string } {
  let records: Record<string, string>[];
  try {
    records = parse(buffer, { columns: true, bom: true, skip_empty_lines: true, trim: false, relax_column_count: false }) as Record<string, string>[];
  } catch {
    return { ok: false, key: 'progress:bulk.errors.csvUnreadable' };
  }
  if (records.length === 0) return { ok: false, key: 'progress:bulk.errors.csvEmpty' };
  const required = ['item_id', 'revision', 'status', 'percent', 'narrative'];
  if (required.some((c) => !(c in records[0]))) return { ok: false, key: 'progress:bulk.errors.csvColumns' };
  if (records.length > 1000) return { ok: false, key: 'progress:bulk.errors.csvTooMany' };
  return {
    ok: true,
    rows: records.map((r, i) => ({
      line: i + 2,
      itemId: r.item_id ?? '',
      revision: r.revision ?? '',
      status: r.status ?? '',
      percent: r.percent ?? '',
      // The export guarded formula-like text (csv-writer.ts); a file sent back gets the typed text.
      narrative: unguardFormula(r.narrative ?? ''),
      links: unguardFormula(r.links ?? ''),
    })),
  };
}
