import { stringify } from 'csv-stringify/sync';

/** Spreadsheet programs run cells starting with these as formulas; such text gets a leading quote. */
const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: unknown): string | number {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return value;
  if (Array.isArray(value)) return cell(value.join(';'));
  const s = String(value);
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/** A CSV document (UTF-8 with BOM for spreadsheet programs, CRLF line ends) with a header row. */
export function toCsv(columns: string[], rows: unknown[][]): string {
  return '\uFEFF' + stringify([columns, ...rows.map((r) => r.map(cell))], { record_delimiter: 'windows' });
}
