import type { Request, RequestHandler } from 'express';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** True when the Cookie header carries a cookie named `name`. */
export function hasCookie(header: string | undefined, name: string): boolean {
  if (!header) return false;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return true;
  }
  return false;
}

/**
 * Runs the session and Passport's session strategy only for requests that can have or need a
 * session: every request that carries the session cookie, and every unsafe method (POST, PUT,
 * PATCH, DELETE — so the CSRF check after this always sees the session, and a POST without a
 * session still fails it). A GET/HEAD/OPTIONS without the session cookie cannot belong to a
 * signed-in user and has nothing in a session to read, so it skips the session store, the
 * session hash and Passport; most public reads are like that.
 *
 * GET/HEAD/OPTIONS requests for which `sessionless(req)` is true never get a session, cookie or
 * not (see app.ts: open data and public downloads).
 *
 * Such a request can still start a session when it needs one (a sign-in form's CSRF token, a
 * flash message): `startSession(req)` runs the session middleware then — synchronously, because
 * without a session cookie express-session only generates a new session and never reads the
 * store — and the session is saved and its cookie set when the response ends, as usual.
 */
export function sessionWhenNeeded(
  cookieName: string,
  session: RequestHandler,
  passportSession: RequestHandler,
  sessionless: (req: Request) => boolean = () => false,
): RequestHandler {
  return function sessionWhenNeededMiddleware(req, res, next) {
    const safe = SAFE_METHODS.has(req.method);
    if (safe && sessionless(req)) {
      // Answers that are the same for everyone (open data, public downloads): no session even
      // with the cookie, so no rolling Set-Cookie on an answer shared caches may keep.
      next();
      return;
    }
    if (!safe || hasCookie(req.headers.cookie, cookieName)) {
      session(req, res, (err?: unknown) => {
        if (err) {
          next(err);
          return;
        }
        passportSession(req, res, next);
      });
      return;
    }
    req.startSession = () => {
      if (req.session) return;
      session(req, res, (err?: unknown) => {
        if (err) throw err;
      });
    };
    next();
  };
}

/** Makes sure req.session exists (see sessionWhenNeeded); a no-op when it already does. */
export function startSession(req: Request): void {
  if (!req.session) req.startSession?.();
}

/** A signed-in session ends this long after sign-in, however active it is (the idle limit is separate). */
export const ABSOLUTE_SESSION_MS = 12 * 3600 * 1000;

/**
 * Signs out sessions older than ABSOLUTE_SESSION_MS since sign-in (and signed-in sessions that
 * carry no sign-in time, i.e. issued before this rule). Runs after Passport restored req.user;
 * the request then goes on as anonymous (a protected page sends the user to /login).
 */
export function absoluteSessionLifetime(now: () => Date): RequestHandler {
  return function absoluteSessionLifetimeMiddleware(req, _res, next) {
    if (!req.user || !req.session) {
      next();
      return;
    }
    const signedInAt = req.session.signedInAt;
    if (typeof signedInAt === 'number' && now().getTime() - signedInAt < ABSOLUTE_SESSION_MS) {
      next();
      return;
    }
    req.logout((err) => next(err));
  };
}

/** The session cookie's name: __Host- prefixed over HTTPS (production), so no subdomain or plain-HTTP page can set it. */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-maazimio.sid' : 'maazimio.sid';
}
