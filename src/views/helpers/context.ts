import Handlebars from 'handlebars';
import type { HelperOptions } from 'handlebars';
import type { TFunction } from 'i18next';
import type { Language } from '../../domain/reference-data.js';
import { DEFAULT_LANGUAGE, isLanguage, translator } from '../../i18n/index.js';

export type { HelperOptions };
export const { SafeString, escapeExpression } = Handlebars;
export type SafeStringValue = InstanceType<typeof Handlebars.SafeString>;

/** The render context's root (res.locals + render data). */
export function rootOf(options: HelperOptions | undefined): Record<string, unknown> {
  return ((options?.data as { root?: Record<string, unknown> } | undefined)?.root ?? {}) as Record<string, unknown>;
}

/** The language of the current render (res.locals.lang), Kiswahili by default. */
export function langOf(options: HelperOptions | undefined): Language {
  const lang = rootOf(options).lang;
  return isLanguage(lang) ? lang : DEFAULT_LANGUAGE;
}

export function tOf(options: HelperOptions | undefined): TFunction {
  return translator(langOf(options));
}

/** Handlebars passes the options object as the last argument; this strips it. */
export function splitArgs(args: unknown[]): { values: unknown[]; options: HelperOptions } {
  const options = args[args.length - 1] as HelperOptions;
  return { values: args.slice(0, -1), options };
}

export const INTL_LOCALES: Record<Language, string> = { sw: 'sw-TZ', en: 'en-GB' };
export { TIME_ZONE } from '../../domain/calendar-date.js';

/**
 * Builds one Intl formatter per language, once at import: constructing an Intl formatter costs
 * tens of microseconds (locale data look-up), and a dashboard formats a few hundred values, so
 * building one per call was the largest single cost of rendering a signed-in page. The tables are
 * frozen, never written after import.
 */
export function perLanguage<F>(build: (locale: string) => F): Readonly<Record<Language, F>> {
  return Object.freeze({ sw: build(INTL_LOCALES.sw), en: build(INTL_LOCALES.en) });
}
