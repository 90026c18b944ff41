import type { Request, Response, NextFunction } from 'express';
import { csrfSync } from 'csrf-sync';
import { ForbiddenError } from '../errors.js';
import { startSession } from './session.js';

/**
 * Synchronizer-token CSRF protection (csrf-sync, token kept in the session).
 * The token is read from the form field `_csrf` or the `x-csrf-token` header, never from the
 * query string (a URL shows up in the address bar, the history, logs and Referer headers).
 * Multipart forms are checked after their body is parsed: see MULTIPART_FORM_PATHS.
 */
const { csrfSynchronisedProtection, generateToken, isRequestValid } = csrfSync({
  getTokenFromRequest: (req) => {
    const body = req.body as Record<string, unknown> | undefined;
    const candidates = [body?._csrf, req.headers['x-csrf-token']];
    const found = candidates.find((c) => typeof c === 'string' && c.length > 0);
    return typeof found === 'string' ? found : undefined;
  },
});

/**
 * The forms that post multipart/form-data (file uploads). Their body is parsed by multer in the
 * route, with that route's limits, and runUpload/multipartForm (upload.ts) check the token
 * right after. Multipart posts to any other path meet the usual check here, which fails
 * without a parsed body: a route that forgets the check answers 403, it does not go unchecked.
 */
export const MULTIPART_FORM_PATHS: readonly RegExp[] = [
  /^\/progress\/items\/[^/]+\/reports$/,
  /^\/progress\/import$/,
  /^\/admin\/(institutions|institution-attributes|resolutions|users)\/import$/,
  /^\/rankings\/draft\/[^/]+\/objections$/,
];

function isDeferredMultipart(req: Request): boolean {
  return Boolean(req.is('multipart/form-data')) && MULTIPART_FORM_PATHS.some((rx) => rx.test(req.path));
}

/** The check for a multipart form, once its body is parsed: throws a 403 ForbiddenError when the token is missing or wrong. */
export function assertCsrfAfterParse(req: Request): void {
  if (!isRequestValid(req)) throw new ForbiddenError('errors:csrf', { code: 'csrf' });
}

/**
 * Exposes the token to views as {{csrfToken}} for signed-in users (every page has the sign-out
 * form) and for sessions that already hold one. Anonymous visitors get no session (and no
 * session write) unless a page with a form calls ensureCsrfToken.
 */
export function csrfToken(req: Request, res: Response, next: NextFunction): void {
  if (req.user || req.session?.csrfToken) res.locals.csrfToken = generateToken(req);
  next();
}

/** For forms shown to anonymous visitors (sign-in, set password): creates the token and session. */
export function ensureCsrfToken(req: Request, res: Response): string {
  startSession(req);
  const token = generateToken(req);
  res.locals.csrfToken = token;
  return token;
}

/** Rejects every non-GET/HEAD/OPTIONS request without a valid token with a 403 (localized). */
export function csrfProtection(req: Request, res: Response, next: NextFunction): void {
  if (isDeferredMultipart(req)) {
    next();
    return;
  }
  csrfSynchronisedProtection(req, res, (err?: unknown) => {
    if (err) {
      next(new ForbiddenError('errors:csrf', { code: 'csrf' }));
      return;
    }
    next();
  });
}

export { generateToken as generateCsrfToken };
