import { INTL_LOCALES, langOf, type HelperOptions } from './context.js';

/**
 * {{formatPercent 42.5}} → "42.5%" — the value is in percent points (0–100), as stored
 * in progress and rankings; rounded to at most one decimal.
 */
export function formatPercent(value: unknown, options: HelperOptions): string {
  const n = typeof value === 'number' ? value : Number(value);
  if (value === null || value === undefined || value === '' || Number.isNaN(n)) return '';
  return new Intl.NumberFormat(INTL_LOCALES[langOf(options)], { style: 'percent', maximumFractionDigits: 1 }).format(n / 100);
}
