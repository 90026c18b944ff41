import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip, constants as zlib } from 'node:zlib';
import type { Request, RequestHandler, Response } from 'express';
import { matchesIfNoneMatch, weakEtag } from '../../middleware/http-cache.js';
import { hasCookie } from '../../middleware/session.js';
import { memo, peekFresh, publicCacheEnabled } from './public.cache.js';

const gzipAsync = promisify(gzip);

/**
 * A response body prepared once for many readers: the bytes, the same bytes gzip-compressed,
 * and the ETag of each representation. The identity ETag is the weak ETag httpCache would
 * compute (so nothing changes for clients that do not accept gzip); the gzip representation has
 * its own strong ETag (other bytes, other tag), so If-None-Match gets a 304 without hashing.
 */
export interface PreparedBody {
  /** Content-Type, e.g. 'text/html; charset=utf-8'. */
  type: string;
  identity: Buffer;
  gzip: Buffer;
  etag: string;
  gzipEtag: string;
  /** Extra headers of the answer (e.g. Content-Disposition of a CSV download). */
  headers: Record<string, string>;
}

export interface BodySource {
  type: string;
  text: string;
  headers?: Record<string, string>;
}

/**
 * Memo keys of the answers memoisedAnonymousReads can serve early: a page depends on the language
 * and the URL, open data on the URL only. The routes and the early path must use the same keys.
 */
export const pageMemoKey = (req: Request): string => `page:${req.lang}:${req.originalUrl}`;
export const apiMemoKey = (req: Request): string => `api:${req.originalUrl}`;

/** Compresses (best compression: it is paid once) and tags a body. */
export async function prepareBody(source: BodySource): Promise<PreparedBody> {
  const identity = Buffer.from(source.text, 'utf8');
  const compressed = await gzipAsync(identity, { level: zlib.Z_BEST_COMPRESSION });
  const hash = createHash('sha1').update(compressed).digest('base64url').slice(0, 27);
  return {
    type: source.type,
    identity,
    gzip: compressed,
    etag: weakEtag(identity),
    gzipEtag: `"${compressed.length.toString(16)}-${hash}-gz"`,
    headers: source.headers ?? {},
  };
}

/**
 * Sends a prepared body: gzip when the request accepts it (the compression middleware leaves an
 * already encoded body alone), else the plain bytes. The ETag is set before res.send, so
 * httpCache (on the public routes) hashes nothing and answers a matching If-None-Match with 304.
 */
export function sendPrepared(req: Request, res: Response, body: PreparedBody): void {
  setBodyHeaders(res, body.type, body.headers);
  res.vary('Accept-Encoding');
  const gzip = Boolean(req.acceptsEncodings('gzip'));
  res.setHeader('ETag', gzip ? body.gzipEtag : body.etag);
  if (gzip) res.setHeader('Content-Encoding', 'gzip');
  res.send(gzip ? body.gzip : body.identity);
}

function setBodyHeaders(res: Response, type: string, headers: Record<string, string> = {}): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', type);
}

/**
 * Answers a GET whose body is the same for every anonymous reader of the URL (open data):
 * memoised under its URL (apiMemoKey) and the data stamp (see public.cache.ts) as a prepared body, serialised
 * and compressed once. With the memo off (tests) the body is produced for each request.
 * Validation must happen before calling this.
 */
export async function sendMemoised(req: Request, res: Response, produce: () => Promise<BodySource>): Promise<void> {
  if (!publicCacheEnabled()) {
    const source = await produce();
    setBodyHeaders(res, source.type, source.headers);
    res.send(source.text);
    return;
  }
  const key = apiMemoKey(req);
  sendPrepared(req, res, await memo(key, async () => prepareBody(await produce())));
  rememberAnswer(key, res);
}

/**
 * The headers the route's own middleware (httpCache) gave a memoised answer, by memo key, so
 * memoisedAnonymousReads can answer the next anonymous reader of the URL the same way.
 */
const answerHeaders = new Map<string, { cacheControl?: string; vary?: string }>();
const MAX_REMEMBERED = 2000;

function rememberAnswer(key: string, res: Response): void {
  if (res.statusCode !== 200) return;
  if (!answerHeaders.has(key) && answerHeaders.size >= MAX_REMEMBERED) answerHeaders.clear();
  const header = (name: string) => {
    const value = res.getHeader(name);
    return value === undefined ? undefined : String(value);
  };
  answerHeaders.set(key, { cacheControl: header('Cache-Control'), vary: header('Vary') });
}

/**
 * Answers anonymous reads of memoised public pages and open data before the session, Passport,
 * CSRF and the feature routers run. It serves exactly what the route serves for that URL and
 * language — the same prepared body, ETags and headers — and only when the memoised answer is
 * current (same data stamp, see peekFresh): anything else (no entry yet, stale data, a request
 * with the session cookie, any other method) goes down the normal path, which renders,
 * memoises and revalidates as before. Mounted after the language middleware (the page key and
 * the Content-Language header depend on it).
 */
export function memoisedAnonymousReads(sessionCookie: string): RequestHandler {
  return async function memoisedAnonymousRead(req, res, next) {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !publicCacheEnabled() || hasCookie(req.headers.cookie, sessionCookie)) {
      next();
      return;
    }
    for (const key of [pageMemoKey(req), apiMemoKey(req)]) {
      const headers = answerHeaders.get(key);
      if (!headers) continue;
      const body = await peekFresh<PreparedBody>(key);
      if (!body) break;
      if (headers.cacheControl) res.setHeader('Cache-Control', headers.cacheControl);
      if (headers.vary) res.setHeader('Vary', headers.vary);
      const etag = req.acceptsEncodings('gzip') ? body.gzipEtag : body.etag;
      if (matchesIfNoneMatch(req.headers['if-none-match'], etag)) {
        // As httpCache answers on the routes: the validators and caching headers, no body.
        res.setHeader('ETag', etag);
        res.vary('Accept-Encoding');
        res.status(304).end();
        return;
      }
      sendPrepared(req, res, body);
      return;
    }
    next();
  };
}

function renderToString(res: Response, view: string, locals: object): Promise<string> {
  return new Promise((resolve, reject) => {
    res.render(view, locals, (err: Error | null, html?: string) => (err ? reject(err) : resolve(html ?? '')));
  });
}

/** True when the page does not depend on who asks: nobody signed in and nothing flashed. */
function isAnonymousPage(req: Request, res: Response): boolean {
  const flash = res.locals.flash as unknown[] | undefined;
  return !req.user && (!flash || flash.length === 0);
}

/**
 * Renders a public page. For anonymous visitors with nothing flashed, the page does not depend
 * on who asks, only on the URL, the language and the data, so the rendered page is memoised
 * under (language, URL) and the data stamp (see public.cache.ts), compressed and tagged once
 * (sendPrepared). Signed-in users get a fresh render (their header differs). Validation must
 * happen before calling this.
 */
export async function renderPublic(req: Request, res: Response, view: string, build: () => Promise<object>): Promise<void> {
  if (!publicCacheEnabled() || !isAnonymousPage(req, res)) {
    res.render(view, await build());
    return;
  }
  const key = pageMemoKey(req);
  const page = await memo(key, async () => prepareBody({ type: 'text/html; charset=utf-8', text: await renderToString(res, view, await build()) }));
  sendPrepared(req, res, page);
  rememberAnswer(key, res);
}
