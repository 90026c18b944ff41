import type { RequestHandler, Response } from 'express';
import onHeaders from 'on-headers';

/**
 * The header policy of public answers. ETags and If-None-Match/304 are Express's own (the app's
 * `etag` setting; a handler may set the ETag itself, e.g. a memoised body's precomputed tag).
 *
 * - page: HTML depends on the language cookie and on who is signed in, so only the browser may
 *   keep it, and it revalidates every time (a 304 is cheap).
 * - data: open data is the same for every reader of a URL, so shared caches may keep it a minute.
 */
export const CACHE_POLICY = {
  page: { 'Cache-Control': 'private, no-cache', Vary: 'Cookie' },
  data: { 'Cache-Control': 'public, max-age=60' },
} as const satisfies Record<string, Record<string, string>>;

export type CachePolicy = keyof typeof CACHE_POLICY;

/** Sets headers on an answer; Vary is added to (not replacing) what is already there. */
export function setHeaders(res: Response, headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) {
    if (name === 'Vary') res.vary(value);
    else res.setHeader(name, value);
  }
}

/** Sets the policy's headers on GET/HEAD answers (route middleware for answers that are not memoised). */
export function cacheHeaders(policy: CachePolicy): RequestHandler {
  return function cacheHeadersMiddleware(req, res, next) {
    if (req.method === 'GET' || req.method === 'HEAD') setHeaders(res, CACHE_POLICY[policy]);
    next();
  };
}

const PRIVATE = /\b(private|no-store)\b/i;

/**
 * An answer that sets a cookie is never cacheable by a shared cache: whatever a route declared,
 * a response carrying Set-Cookie (a rolling session, the language cookie after ?lang=) leaves
 * with `Cache-Control: private, no-store`, decided when the headers are written, after every
 * middleware and handler had its say. Without this a proxy could hand one user's session cookie
 * to the next reader of a `public` URL.
 */
export function noSharedCachingOfCookies(): RequestHandler {
  return function noSharedCachingOfCookiesMiddleware(_req, res, next) {
    onHeaders(res, function guardSetCookie() {
      if (res.getHeader('Set-Cookie') === undefined) return;
      const cacheControl = res.getHeader('Cache-Control');
      if (typeof cacheControl === 'string' && PRIVATE.test(cacheControl)) return;
      res.setHeader('Cache-Control', 'private, no-store');
    });
    next();
  };
}
