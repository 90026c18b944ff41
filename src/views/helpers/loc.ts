import { SafeString, type SafeStringValue, escapeExpression, langOf, tOf, type HelperOptions } from './context.js';

/**
 * {{loc value}} — a bilingual `{ sw, en }` text in the render's language. When English is
 * asked for but missing, shows the Kiswahili text marked as such:
 * `<span lang="sw" class="fallback">…</span> (Kiswahili)`. Plain strings pass through.
 */
export function loc(value: unknown, options: HelperOptions): SafeStringValue | string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  const text = value as { sw?: string; en?: string };
  const lang = langOf(options);
  const wanted = lang === 'en' ? text.en : text.sw;
  if (wanted && wanted.trim() !== '') return wanted;
  const fallback = lang === 'en' ? text.sw : text.en;
  if (!fallback) return '';
  const fallbackLang = lang === 'en' ? 'sw' : 'en';
  const label = tOf(options)(`common:languageName.${fallbackLang}`) as string;
  return new SafeString(
    `<span lang="${fallbackLang}" class="fallback">${escapeExpression(fallback)}</span> <span class="fallback-note">(${escapeExpression(label)})</span>`,
  );
}

/** Plain-text variant for attributes and titles: never marked, falls back silently. */
export function locText(value: unknown, options: HelperOptions): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  const text = value as { sw?: string; en?: string };
  const lang = langOf(options);
  return (lang === 'en' ? text.en || text.sw : text.sw || text.en) ?? '';
}
