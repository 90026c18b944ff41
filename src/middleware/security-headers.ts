import type { Request, RequestHandler, Response } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Helmet's security headers, worked out once. Helmet builds every header value (the whole
 * Content-Security-Policy string among them) on each request, for policies that may depend on
 * the request (nonces, directive functions); ours does not, so the headers are the same for
 * every response. This runs helmet once against a recorder and sets the recorded headers on
 * each response. A policy with a per-request part throws here instead of being frozen.
 */
export function securityHeaders(options: Readonly<HelmetOptions>): RequestHandler {
  const set: Array<[string, string]> = [];
  const removed: string[] = [];
  const probe = { method: 'GET', url: '/', headers: {} } as unknown as Request;
  const recorder = {
    setHeader(name: string, value: unknown) {
      set.push([name, String(value)]);
    },
    removeHeader(name: string) {
      removed.push(name);
    },
    getHeader: () => undefined,
  } as unknown as Response;
  let done = false;
  helmet(options)(probe, recorder, (err?: unknown) => {
    if (err) throw err;
    done = true;
  });
  if (!done) throw new Error('securityHeaders: helmet did not finish synchronously');
  for (const directives of Object.values((options.contentSecurityPolicy as { directives?: Record<string, unknown> } | undefined)?.directives ?? {})) {
    if (Array.isArray(directives) && directives.some((d) => typeof d === 'function')) {
      throw new Error('securityHeaders: a CSP directive depends on the request; use helmet() directly');
    }
  }
  return function securityHeadersMiddleware(_req, res, next) {
    for (const name of removed) res.removeHeader(name);
    for (const [name, value] of set) res.setHeader(name, value);
    next();
  };
}
