import type { Request, Response, NextFunction } from 'express';
import type { Language } from '../domain/reference-data.js';
import { DEFAULT_LANGUAGE, isLanguage, translator } from '../i18n/index.js';

export const LANGUAGE_COOKIE = 'lang';
const ONE_YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * The value of cookie `name`, or undefined. A value that is not valid percent-encoding (e.g.
 * `lang=%E0%A4%A`) is treated as absent: the cookie is the client's input, and a bad one must not
 * turn every page into a 500.
 */
function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    try {
      return decodeURIComponent(v.join('='));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Picks the language: `?lang=sw|en` (then remembered in a cookie), else the cookie, else Kiswahili.
 * Sets req.t, req.lang, res.locals.lang/t and the Content-Language header.
 */
export function languageMiddleware(options: { secureCookie: boolean }) {
  // One fixed-language translate function per language, made once (not per request).
  const translators = { sw: translator('sw'), en: translator('en') } satisfies Record<Language, ReturnType<typeof translator>>;
  return function language(req: Request, res: Response, next: NextFunction): void {
    const fromQuery = req.query.lang;
    let lang: Language = DEFAULT_LANGUAGE;
    if (isLanguage(fromQuery)) {
      lang = fromQuery;
      res.cookie(LANGUAGE_COOKIE, lang, {
        maxAge: ONE_YEAR_MS,
        httpOnly: true,
        sameSite: 'lax',
        secure: options.secureCookie,
        path: '/',
      });
    } else {
      const fromCookie = readCookie(req, LANGUAGE_COOKIE);
      if (isLanguage(fromCookie)) lang = fromCookie;
    }
    req.lang = lang;
    req.t = translators[lang];
    res.locals.lang = lang;
    res.locals.otherLang = lang === 'sw' ? 'en' : 'sw';
    res.locals.currentUrl = req.originalUrl;
    res.setHeader('Content-Language', lang);
    next();
  };
}
