/**
 * Calendar dates as people in Tanzania write them: dd/mm/yyyy, in East Africa Time.
 *
 * A calendar date (a meeting day, a due date) is stored as UTC midnight of that day. East Africa
 * Time is UTC+3 all year, so UTC midnight is 03:00 in Dar es Salaam on the same day and
 * formatting it in Africa/Dar_es_Salaam never moves it to a neighbouring day.
 * Forms use a text input with a pattern instead of <input type="date">, whose display follows
 * the browser's locale (mm/dd/yyyy on an American browser).
 */

export const TIME_ZONE = 'Africa/Dar_es_Salaam';
/** East Africa Time has no daylight saving: always UTC+3. */
export const EAT_OFFSET_MS = 3 * 3600 * 1000;

const DMY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

function utcDay(y: number, mo: number, d: number): Date | null {
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return date;
}

/**
 * Parses "dd/mm/yyyy" (what people type) or "yyyy-mm-dd" (CSV files, the API, older forms) as
 * UTC midnight of that calendar day; null for anything else, including 31/02/2025.
 */
export function parseCalendarDate(value: string): Date | null {
  const text = value.trim();
  const dmy = DMY.exec(text);
  if (dmy) return utcDay(Number(dmy[3]), Number(dmy[2]), Number(dmy[1]));
  const iso = ISO.exec(text);
  if (iso) return utcDay(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  return null;
}

const PARTS = new Intl.DateTimeFormat('en-GB', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

function eatParts(date: Date): { y: string; m: string; d: string } {
  const parts = Object.fromEntries(PARTS.formatToParts(date).map((p) => [p.type, p.value]));
  return { y: parts.year ?? '', m: parts.month ?? '', d: parts.day ?? '' };
}

/** "dd/mm/yyyy" of the day `date` falls on in Dar es Salaam; '' for no date. */
export function formatDayMonthYear(date: Date | string | number | null | undefined): string {
  if (date === null || date === undefined || date === '') return '';
  const d = date instanceof Date ? date : new Date(date);
  if (Number.isNaN(d.getTime())) return '';
  const { y, m, d: day } = eatParts(d);
  return `${day}/${m}/${y}`;
}

/** The calendar day `now` falls on in Dar es Salaam, as UTC midnight (comparable with stored dates). */
export function eatToday(now: Date): Date {
  const { y, m, d } = eatParts(now);
  return new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
}
