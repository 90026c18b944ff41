import { createHash } from 'node:crypto';
import type { Request, Response, NextFunction } from 'express';

export interface HttpCacheOptions {
  /**
   * Cache-Control sent with 200 answers. Public data (JSON API) may be cached by shared caches;
   * HTML pages depend on the language cookie and the signed-in header, so they default to
   * `private, no-cache` (the browser revalidates with If-None-Match and gets a cheap 304).
   */
  cacheControl?: string;
  /** Extra Vary header values (e.g. "Cookie" for pages whose language comes from a cookie). */
  vary?: string;
}

/** Weak ETag from a SHA-1 of the body bytes: W/"<length hex>-<hash>". */
export function weakEtag(body: string | Buffer): string {
  const buf = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const hash = createHash('sha1').update(buf).digest('base64url').slice(0, 27);
  return `W/"${buf.length.toString(16)}-${hash}"`;
}

/** True when If-None-Match names the given ETag (weak comparison, lists and "*" allowed). */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const trimmed = header.trim();
  if (trimmed === '*') return true;
  const opaque = (tag: string): string => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return trimmed.split(',').some((tag) => opaque(tag) === wanted);
}

/**
 * Conditional-GET support for public GET/HEAD answers: every successful (200) body sent through
 * res.send/res.json/res.render gets a weak ETag (unless the handler set one) and a Cache-Control header; a request whose
 * If-None-Match matches receives 304 without a body. Other methods and statuses pass through.
 */
export function httpCache(options: HttpCacheOptions = {}) {
  const cacheControl = options.cacheControl ?? 'private, no-cache';
  return function httpCacheMiddleware(req: Request, res: Response, next: NextFunction): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      next();
      return;
    }
    const originalSend = res.send.bind(res);
    res.send = function sendWithEtag(body?: unknown): Response {
      if (res.statusCode !== 200 || body === undefined || body === null || typeof body === 'object' && !Buffer.isBuffer(body)) {
        // Objects go through res.json, which calls send again with a string.
        return originalSend(body);
      }
      const payload = Buffer.isBuffer(body) ? body : String(body);
      // A body prepared once (render-cached.ts) arrives with its ETag: no hashing per request.
      const preset = res.getHeader('ETag');
      const etag = typeof preset === 'string' ? preset : weakEtag(payload);
      res.setHeader('ETag', etag);
      if (!res.getHeader('Cache-Control')) res.setHeader('Cache-Control', cacheControl);
      if (options.vary) res.vary(options.vary);
      if (matchesIfNoneMatch(req.headers['if-none-match'], etag)) {
        res.status(304);
        res.removeHeader('Content-Type');
        res.removeHeader('Content-Length');
        res.removeHeader('Transfer-Encoding');
        res.removeHeader('Content-Encoding');
        res.end();
        return res;
      }
      return originalSend(payload);
    } as Response['send'];
    next();
  };
}
