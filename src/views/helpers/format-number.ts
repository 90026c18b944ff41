import { INTL_LOCALES, langOf, type HelperOptions } from './context.js';

/** {{formatNumber n}} or {{formatNumber n 2}} (fraction digits) in the render's language. */
export function formatNumber(value: unknown, ...rest: unknown[]): string {
  const options = rest[rest.length - 1] as HelperOptions;
  const digits = typeof rest[0] === 'number' ? rest[0] : undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (value === null || value === undefined || value === '' || Number.isNaN(n)) return '';
  return new Intl.NumberFormat(INTL_LOCALES[langOf(options)], {
    maximumFractionDigits: digits ?? 2,
    minimumFractionDigits: digits ?? 0,
  }).format(n);
}
