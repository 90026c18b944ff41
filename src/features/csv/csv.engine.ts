import { trusted } from 'mongoose';
import { parse } from 'csv-parse/sync';
import { toCsv, unguardFormula } from './csv-writer.js';
import type { z } from 'zod';
import type { Actor } from '../../domain/actor.js';
import { assertRole } from '../access.js';

/**
 * A generic CSV import/export engine. A format says which columns it has, how a row is
 * validated (a zod schema keyed by column name) and how rows are checked against the database
 * and each other; the engine parses, validates EVERY row before anything is written, reports
 * per row, and commits all rows or none.
 */

/** A message about one row or the whole file, as an i18n key plus values. */
export interface CsvMessage {
  key: string;
  params?: Record<string, unknown>;
  /** The column the message is about, when there is one. */
  column?: string;
}

export interface CsvRowReport {
  /** Line number in the file (the header is line 1). */
  line: number;
  /** A short identification of the row (a code, an email, "4/2"). */
  label: string;
  status: 'ok' | 'error';
  messages: CsvMessage[];
}

/** What a format's `check` returns: extra messages per row and the documents to write. */
export interface CsvCheckOutcome<Prepared> {
  messages: CsvMessage[][];
  prepared: Prepared[];
}

/** A line of the report after a write; `flag` is an i18n key shown beside it (e.g. the email failed). */
export interface CsvNote {
  label: string;
  value: string;
  flag?: string;
}

export interface CsvCommitOutcome {
  inserted: number;
  /** Format-specific lines for the report (e.g. set-password links of imported users). */
  notes?: CsvNote[];
}

export interface CsvFormat<Parsed, Prepared> {
  /** Name used in URLs, i18n keys and file names: "institutions", "resolutions", "users". */
  name: string;
  columns: readonly string[];
  /** Columns that must be present in the header. */
  requiredColumns: readonly string[];
  /** Validates one raw row (column -> cell text); messages are i18n keys. */
  rowSchema: z.ZodType<Parsed>;
  /** Label shown for a row in the report; `raw` is used when the row did not validate. */
  label(raw: Record<string, string>): string;
  /**
   * Database and cross-row checks. `rows[i]` is null when row i failed the schema. Must not
   * write. Returns messages per row (same length as rows) and, for valid rows, prepared docs.
   */
  check(rows: Array<Parsed | null>): Promise<CsvCheckOutcome<Prepared>>;
  /**
   * Writes all prepared rows. Either succeeds completely or undoes its own writes and throws
   * a CsvCommitError.
   */
  commit(prepared: Prepared[], actor: Actor): Promise<CsvCommitOutcome>;
  /** Rows for export in `columns` order (cell text); the format checks that `actor` may read them. */
  exportRows(actor: Actor): Promise<Array<Record<string, string>>>;
}

/** A write failed part-way; `rolledBack` tells whether what was written was removed again. */
export class CsvCommitError extends Error {
  constructor(
    message: string,
    readonly rolledBack: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CsvCommitError';
  }
}

export const MAX_IMPORT_ROWS = 5000;

export interface CsvReport {
  format: string;
  mode: 'dryRun' | 'import';
  fileErrors: CsvMessage[];
  rows: CsvRowReport[];
  total: number;
  valid: number;
  invalid: number;
  /** True when the rows were written. */
  committed: boolean;
  inserted: number;
  notes: CsvNote[];
  /** Set when a write failed mid-way. */
  writeFailed: boolean;
  rolledBack: boolean;
}

interface ParsedFile {
  records: Array<Record<string, string>>;
  fileErrors: CsvMessage[];
}

/** Parses CSV text with a header row. Checks the header against the format's columns. */
export function parseCsvText(text: string, columns: readonly string[], requiredColumns: readonly string[]): ParsedFile {
  const fileErrors: CsvMessage[] = [];
  if (text.trim() === '') return { records: [], fileErrors: [{ key: 'csv:errors.empty' }] };
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: false }) as string[][];
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    return { records: [], fileErrors: [{ key: 'csv:errors.parse', params: { line: line ?? '?', detail: (err as Error).message.slice(0, 200) } }] };
  }
  const header = (rows[0] ?? []).map((h) => h.trim().toLowerCase());
  const unknown = header.filter((h) => !columns.includes(h));
  const missing = requiredColumns.filter((c) => !header.includes(c));
  const duplicated = header.filter((h, i) => header.indexOf(h) !== i);
  if (unknown.length > 0) fileErrors.push({ key: 'csv:errors.unknownColumns', params: { columns: unknown.join(', ') } });
  if (missing.length > 0) fileErrors.push({ key: 'csv:errors.missingColumns', params: { columns: missing.join(', ') } });
  if (duplicated.length > 0) fileErrors.push({ key: 'csv:errors.duplicateColumns', params: { columns: [...new Set(duplicated)].join(', ') } });
  if (rows.length - 1 > MAX_IMPORT_ROWS) fileErrors.push({ key: 'csv:errors.tooManyRows', params: { max: MAX_IMPORT_ROWS } });
  if (rows.length <= 1) fileErrors.push({ key: 'csv:errors.noRows' });
  if (fileErrors.length > 0) return { records: [], fileErrors };
  const records = rows.slice(1).map((cells) => {
    const record: Record<string, string> = {};
    header.forEach((h, i) => {
      record[h] = unguardFormula(cells[i] ?? '');
    });
    return record;
  });
  return { records, fileErrors };
}

/**
 * Validates every row of `text` and, when `mode` is "import" and nothing is wrong, writes
 * them all. Never writes anything if any row (or the file) has an error.
 */
export async function runCsvImport<P, Q>(format: CsvFormat<P, Q>, text: string, mode: 'dryRun' | 'import', actor: Actor): Promise<CsvReport> {
  // Imports are admin work; the router checks too (least privilege in both places).
  assertRole(actor, 'admin');
  const report: CsvReport = {
    format: format.name,
    mode,
    fileErrors: [],
    rows: [],
    total: 0,
    valid: 0,
    invalid: 0,
    committed: false,
    inserted: 0,
    notes: [],
    writeFailed: false,
    rolledBack: false,
  };
  const { records, fileErrors } = parseCsvText(text, format.columns, format.requiredColumns);
  report.fileErrors = fileErrors;
  if (fileErrors.length > 0) return report;

  const parsed: Array<P | null> = [];
  const messages: CsvMessage[][] = [];
  for (const record of records) {
    const result = format.rowSchema.safeParse(record);
    if (result.success) {
      parsed.push(result.data);
      messages.push([]);
    } else {
      parsed.push(null);
      const seen = new Set<string>();
      const rowMessages: CsvMessage[] = [];
      for (const issue of result.error.issues) {
        const column = issue.path.length > 0 ? String(issue.path[0]) : undefined;
        const dedupe = `${column}|${issue.message}`;
        if (seen.has(dedupe)) continue;
        seen.add(dedupe);
        rowMessages.push({ key: issue.message, column });
      }
      messages.push(rowMessages);
    }
  }
  const outcome = await format.check(parsed);
  outcome.messages.forEach((extra, i) => messages[i]?.push(...extra));

  report.rows = records.map((record, i) => ({
    line: i + 2,
    label: format.label(record),
    status: (messages[i]?.length ?? 0) > 0 ? 'error' : 'ok',
    messages: messages[i] ?? [],
  }));
  report.total = records.length;
  report.invalid = report.rows.filter((r) => r.status === 'error').length;
  report.valid = report.total - report.invalid;

  if (mode !== 'import' || report.invalid > 0) return report;
  try {
    const result = await format.commit(outcome.prepared, actor);
    report.committed = true;
    report.inserted = result.inserted;
    report.notes = result.notes ?? [];
  } catch (err) {
    if (!(err instanceof CsvCommitError)) throw err;
    report.writeFailed = true;
    report.rolledBack = err.rolledBack;
  }
  return report;
}

/** Serialises rows to CSV text with the guarded writer (csv-writer.ts). */
export function toCsvText(columns: readonly string[], rows: Array<Record<string, string>>): string {
  return toCsv(
    columns,
    rows.map((row) => columns.map((c) => row[c] ?? '')),
  );
}

/** Minimal model surface the all-or-nothing insert needs (a Mongoose model fits). */
export interface InsertTarget {
  insertMany(docs: unknown[], options: { ordered: boolean }): Promise<unknown>;
  deleteMany(filter: Record<string, unknown>): { exec(): Promise<unknown> } | Promise<unknown>;
}

/**
 * Inserts documents that carry pre-assigned `_id`s in one ordered insertMany. If the write
 * fails part-way, deletes every id of this batch so the import is all-or-nothing (the ids are
 * fresh, so nothing written by anyone else is touched).
 */
export async function insertAllOrNothing(model: InsertTarget, docs: Array<{ _id: unknown }>): Promise<number> {
  try {
    await model.insertMany(docs, { ordered: true });
    return docs.length;
  } catch (err) {
    let rolledBack = false;
    try {
      const pending = model.deleteMany({ _id: trusted({ $in: docs.map((d) => d._id) }) });
      await ('exec' in pending ? pending.exec() : pending);
      rolledBack = true;
    } catch {
      rolledBack = false;
    }
    throw new CsvCommitError('insert failed', rolledBack, { cause: err });
  }
}
