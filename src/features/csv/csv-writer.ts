import { stringify } from 'csv-stringify/sync';

/**
 * The one CSV writer of the app: every download (open data, the public ranking, the progress
 * export, the admin exports) goes through toCsv, so every text cell is guarded against CSV
 * injection the same way.
 */

/** Spreadsheet programs run cells starting with these as formulas (CSV injection, e.g. =HYPERLINK(…)). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** Export: prefix formula-like text with an apostrophe so spreadsheets show it as text. */
export function guardFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

/** Import: undo guardFormula, so an exported file imports back to the same values. */
export function unguardFormula(cell: string): string {
  return cell.startsWith("'") && FORMULA_START.test(cell.slice(1)) ? cell.slice(1) : cell;
}

/** Numbers stay numbers (a negative number is not a formula); dates are ISO; arrays are joined with ';'; text is guarded. */
function cell(value: unknown): string | number {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return value;
  if (Array.isArray(value)) return cell(value.join(';'));
  return guardFormula(String(value));
}

/** A CSV document (UTF-8 with BOM for spreadsheet programs, CRLF line ends) with a header row. */
export function toCsv(columns: readonly string[], rows: readonly unknown[][]): string {
  return '\uFEFF' + stringify([[...columns], ...rows.map((r) => r.map(cell))], { record_delimiter: 'windows' });
}
