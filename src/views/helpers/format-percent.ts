import { langOf, perLanguage, type HelperOptions } from './context.js';

const FORMATS = perLanguage((locale) => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }));

/**
 * {{formatPercent 42.5}} → "42.5%" — the value is in percent points (0–100), as stored
 * in progress and rankings; rounded to at most one decimal.
 */
export function formatPercent(value: unknown, options: HelperOptions): string {
  const n = typeof value === 'number' ? value : Number(value);
  if (value === null || value === undefined || value === '' || Number.isNaN(n)) return '';
  return FORMATS[langOf(options)].format(n / 100);
}
