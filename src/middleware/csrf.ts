import type { Request, Response, NextFunction } from 'express';
import { csrfSync } from 'csrf-sync';
import { ForbiddenError } from '../errors.js';
import { startSession } from './session.js';

/**
 * Synchronizer-token CSRF protection (csrf-sync, token kept in the session).
 * The token is read from the form field `_csrf`, the `x-csrf-token` header, or the `_csrf`
 * query parameter. The query form exists for multipart forms: the global check runs before
 * multer parses the body, so such forms post to `action="/path?_csrf={{csrfToken}}"`.
 */
const { csrfSynchronisedProtection, generateToken } = csrfSync({
  getTokenFromRequest: (req) => {
    const body = req.body as Record<string, unknown> | undefined;
    const candidates = [body?._csrf, req.headers['x-csrf-token'], req.query?._csrf];
    const found = candidates.find((c) => typeof c === 'string' && c.length > 0);
    return typeof found === 'string' ? found : undefined;
  },
});

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
  csrfSynchronisedProtection(req, res, (err?: unknown) => {
    if (err) {
      next(new ForbiddenError('errors:csrf', { code: 'csrf' }));
      return;
    }
    next();
  });
}

export { generateToken as generateCsrfToken };
