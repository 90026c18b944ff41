import { formatDayMonthYear } from '../../domain/calendar-date.js';
import { TIME_ZONE, langOf, perLanguage, type HelperOptions } from './context.js';

type Style = 'date' | 'short' | 'datetime' | 'time' | 'iso' | 'month' | 'dmy';

const OPTIONS: Record<Exclude<Style, 'iso' | 'dmy'>, Intl.DateTimeFormatOptions> = {
  date: { dateStyle: 'long' },
  short: { dateStyle: 'short' },
  datetime: { dateStyle: 'medium', timeStyle: 'short' },
  time: { timeStyle: 'short' },
  month: { month: 'long', year: 'numeric' },
};

const FORMATS = Object.freeze(
  Object.fromEntries(
    (Object.keys(OPTIONS) as Array<keyof typeof OPTIONS>).map((style) => [
      style,
      perLanguage((locale) => new Intl.DateTimeFormat(locale, { ...OPTIONS[style], timeZone: TIME_ZONE })),
    ]),
  ) as Record<keyof typeof OPTIONS, Readonly<Record<'sw' | 'en', Intl.DateTimeFormat>>>,
);
// en-CA formats as yyyy-mm-dd.
const ISO = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

function toDate(value: unknown): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const d = value instanceof Date ? value : new Date(value as string | number);
  return Number.isNaN(d.getTime()) ? null : d;
}

/**
 * {{formatDate date}} / {{formatDate date "datetime"}} — a date in the render's language
 * (sw-TZ / en-GB), always in Dar es Salaam time. "iso" gives yyyy-mm-dd (machine-readable
 * datetime attributes); "dmy" gives dd/mm/yyyy, the value of a date text input.
 */
export function formatDate(value: unknown, ...rest: unknown[]): string {
  const options = rest[rest.length - 1] as HelperOptions;
  const style = (typeof rest[0] === 'string' ? rest[0] : 'date') as Style;
  const date = toDate(value);
  if (!date) return '';
  if (style === 'dmy') return formatDayMonthYear(date);
  if (style === 'iso') return ISO.format(date);
  return (Object.hasOwn(FORMATS, style) ? FORMATS[style as keyof typeof OPTIONS] : FORMATS.date)[langOf(options)].format(date);
}
