import type { Language } from '../../domain/reference-data.js';

/** Locale-aware formatting shared by the report's HTML presenter and its PDF renderer. */

const LOCALES: Record<Language, string> = { sw: 'sw-TZ', en: 'en-GB' };
const TIME_ZONE = 'Africa/Dar_es_Salaam';

export function formatDate(date: Date | null | undefined, lang: Language): string {
  if (!date) return '';
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'long', timeZone: TIME_ZONE }).format(date);
}

export function formatPercent(value: number | null | undefined, lang: Language): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return new Intl.NumberFormat(LOCALES[lang], { style: 'percent', maximumFractionDigits: 1 }).format(value / 100);
}

export function formatNumber(value: number, lang: Language, digits = 0): string {
  return new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(value);
}

