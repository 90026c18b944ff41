import { readdirSync, readFileSync } from 'node:fs';
import { join, basename } from 'node:path';
import i18next, { type i18n as I18n, type TFunction } from 'i18next';
import { LANGUAGES, type Language } from '../domain/reference-data.js';
import { LOCALES_DIR } from '../paths.js';

export type { TFunction };
export const DEFAULT_LANGUAGE: Language = 'sw';

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** Reads every src/i18n/locales/<lang>/<namespace>.json; a new feature only adds files. */
export function loadResources(dir = LOCALES_DIR): Resources {
  const resources: Resources = {};
  for (const lang of LANGUAGES) {
    resources[lang] = {};
    for (const file of readdirSync(join(dir, lang)).filter((f) => f.endsWith('.json')).sort()) {
      const ns = basename(file, '.json');
      try {
        resources[lang][ns] = JSON.parse(readFileSync(join(dir, lang, file), 'utf8')) as Record<string, unknown>;
      } catch (err) {
        throw new Error(`Locale file ${lang}/${file} is not valid JSON: ${(err as Error).message}`);
      }
    }
  }
  return resources;
}

let instance: I18n | undefined;

/** The shared i18next instance, initialised synchronously on first use. */
export function getI18n(): I18n {
  if (instance) return instance;
  const resources = loadResources();
  const i = i18next.createInstance();
  void i.init({
    resources,
    lng: DEFAULT_LANGUAGE,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    ns: Object.keys(resources[DEFAULT_LANGUAGE] ?? {}),
    defaultNS: 'common',
    initAsync: false,
    // Handlebars and our views escape output; i18next must not double-escape.
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  });
  instance = i;
  return i;
}

/** A translate function fixed to one language. */
export function translator(lang: Language): TFunction {
  return getI18n().getFixedT(lang);
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}
