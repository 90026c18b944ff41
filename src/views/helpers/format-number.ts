import { INTL_LOCALES, langOf, perLanguage, type HelperOptions } from './context.js';

/** The usual shapes, built once: up to 2 fraction digits, or exactly 0–2. */
const DEFAULT = perLanguage((locale) => new Intl.NumberFormat(locale, { maximumFractionDigits: 2, minimumFractionDigits: 0 }));
const FIXED = [0, 1, 2].map((digits) => perLanguage((locale) => new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: digits })));

/** {{formatNumber n}} or {{formatNumber n 2}} (fraction digits) in the render's language. */
export function formatNumber(value: unknown, ...rest: unknown[]): string {
  const options = rest[rest.length - 1] as HelperOptions;
  const digits = typeof rest[0] === 'number' ? rest[0] : undefined;
  const n = typeof value === 'number' ? value : Number(value);
  if (value === null || value === undefined || value === '' || Number.isNaN(n)) return '';
  const lang = langOf(options);
  if (digits === undefined) return DEFAULT[lang].format(n);
  const fixed = FIXED[digits];
  if (fixed) return fixed[lang].format(n);
  return new Intl.NumberFormat(INTL_LOCALES[lang], { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(n);
}
