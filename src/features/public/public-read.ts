import { createHash } from 'node:crypto';
import { validateHeaderValue } from 'node:http';
import { promisify } from 'node:util';
import { gzip, constants as zlib } from 'node:zlib';
import type { Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import onHeaders from 'on-headers';
import type { z } from 'zod';
import type { Config } from '../../config.js';
import type { AppOptions } from '../../deps.js';
import { AppError } from '../../errors.js';
import { CACHE_POLICY, setHeaders } from '../../middleware/http-cache.js';
import { parseQuery } from '../../middleware/validate.js';
import { Memo } from './memo.js';

/**
 * The public-read path: how anonymous pages, open data and downloads are answered, in one place.
 * createApp builds one PublicRead from the config and hands it to the routers that serve public
 * answers; nothing here is module state, so every app (and every test) has its own memos.
 *
 * - Memo keys: a page is memoised under (language, path) and only for anonymous readers asking
 *   for its default view; open data under (path, validated query). Keys are built from the
 *   validated parameters only: an unknown query parameter on a page is redirected away, on open
 *   data it is ignored, so `?x=<new value every time>` neither misses the memo nor evicts what
 *   real readers need. Filtered views (a search, a table filter) are rendered per request from
 *   the memoised aggregates.
 * - Two bounded memos (lru-cache, see memo.ts): computed aggregates (services take `aggregates`
 *   as a parameter) and prepared bodies (bounded in bytes). A flood of distinct URLs can only
 *   evict bodies, never the aggregates every page is built from.
 * - Header policy: CACHE_POLICY (http-cache.ts) travels with each memoised body, so the answer
 *   is the same whoever produced it. ETag/304 are Express's (res.send checks freshness); a
 *   memoised body carries its precomputed ETag.
 * - Invalidation: every unsafe request of a signed-in user (every write that can change public
 *   data goes through one) clears both memos when its answer's headers are written, i.e. after
 *   the write and before the client can follow the redirect; a new meeting answers its public
 *   URL at once. Writes from outside the app (the seed CLI) show within `ttlMs`.
 * - Heavy anonymous answers (reports, PDFs, ranking downloads) sit behind a per-IP rate limit.
 *
 * Fast paths must earn their place. bench/pages.bench.ts (1,000 institutions × 20 resolutions,
 * 32 connections, 3 s per target) on the shared 2-core machine with a load average of 22–24
 * (eight other agents), so every p99 missed 50 ms, the static file's included (180–537 ms); the
 * ratio to the static file and the app's CPU per request are what the runs can tell apart.
 * "vs static" / app CPU µs per request, meeting · resolution · scorecard · ranking · API:
 *   precompressed memo + early path:  110 % / 610 · 112 % / 812 · 276 % / 373 · 154 % / 308 · 398 % / 320
 *   precompressed memo only:           86 % / 952 ·  93 % / 1155 · 100 % / 788 ·  70 % / 1266 · 183 % / 597
 *   early path only (gzip per answer): 30 % / 1322 · 60 % / 778 ·  95 % / 571 ·  33 % / 1228 · 167 % / 365
 *   neither:                            85 % / 1918 · 172 % / 1304 · 409 % / 693 · 122 % / 1590 · 491 % / 479
 * Without the precompressed memo the meeting and ranking pages fell under the 40 % target
 * (30 %, 33 %): it stays (`precompress`). Without the early anonymous path (answering memoised
 * reads before sessions, CSRF and the routers) every target that the load let any run meet was
 * still met, so by the rule it was removed: one path for every read. Its saving was CPU (about
 * 35 % on the meeting page); by Little's law a saturated event loop at 32 connections answers in
 * about 32 × CPU per request, ≈ 30–40 ms here without it — under the target on a quiet machine,
 * to be checked there (PAGES_BENCH_PRECOMPRESS=0 measures the other side of the memo).
 */
export interface PublicReadOptions {
  /** Off in tests: every request reads the database it (or a fixture) just wrote. */
  enabled: boolean;
  /** After this, a memoised value is refreshed in the background (served stale meanwhile). */
  ttlMs: number;
  maxAggregates: number;
  /** Total bytes of memoised bodies (identity + gzip). */
  maxBodyBytes: number;
  /** Keep a gzip copy of each memoised body (compressed once, best level). */
  precompress: boolean;
  /** Anonymous requests per minute and IP to heavy answers (report, PDF, ranking downloads). */
  heavyPerMinute: number;
}

export function publicReadOptions(config: Config, options: AppOptions = {}): PublicReadOptions {
  return {
    enabled: !config.isTest,
    ttlMs: 5 * 60_000,
    maxAggregates: 500,
    maxBodyBytes: 64 * 2 ** 20,
    precompress: true,
    heavyPerMinute: 60,
    ...options.publicRead,
  };
}

/** What a memoised answer is made from. */
export interface BodySource {
  type: string;
  body: string | Buffer;
  /** Extra headers of the answer (e.g. Content-Disposition of a download). */
  headers?: Record<string, string>;
}

/** A body prepared once for many readers: bytes, optional gzip copy, their ETags, all its headers. */
interface PreparedBody {
  identity: Buffer;
  etag: string;
  gzip?: Buffer;
  gzipEtag?: string;
  /** Content-Type, the cache policy and the source's own headers. */
  headers: Record<string, string>;
}

/** Computes a value once for many requests (services receive this to memoise their aggregates). */
export type Aggregates = <T>(key: string, compute: () => Promise<T>) => Promise<T>;

/** Computes every time (when the memo is off, and for callers outside a request: CLI, tests). */
export const computeNow: Aggregates = (_key, compute) => compute();

type QuerySchema = z.ZodObject;

export interface PageOptions<S extends QuerySchema> {
  view: string;
  /** The page's query; parameters outside it are redirected away. Default: `lang` only. */
  query?: S;
}

export interface DataOptions<S extends QuerySchema> {
  query?: S;
  /** The body depends on the language (e.g. the report PDF): keyed by it, and private. */
  perLanguage?: boolean;
}

export interface PublicRead {
  readonly enabled: boolean;
  readonly aggregates: Aggregates;
  /** Renders a public page; memoised for anonymous readers of its default view. */
  page<S extends QuerySchema>(req: Request, res: Response, options: PageOptions<S>, build: (query: z.output<S>) => Promise<object>): Promise<void>;
  /** Sends open data or a download (the same for every reader), memoised per validated URL. */
  data<S extends QuerySchema>(req: Request, res: Response, options: DataOptions<S>, produce: (query: z.output<S>) => Promise<BodySource>): Promise<void>;
  /** App middleware, after the session: a signed-in user's write clears the memos. */
  readonly invalidateOnWrite: RequestHandler;
  /** Route middleware: rate limit of anonymous heavy answers. */
  readonly heavyLimit: RequestHandler;
  invalidate(): void;
}

const gzipAsync = promisify(gzip);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const LANG_ONLY = { shape: { lang: true } };

/** Weak ETag of a body's bytes (a gzip copy gets a strong tag of its own: other bytes, other tag). */
function tagOf(bytes: Buffer, weak: boolean): string {
  const hash = createHash('sha1').update(bytes).digest('base64url').slice(0, 27);
  return `${weak ? 'W/' : ''}"${bytes.length.toString(16)}-${hash}${weak ? '' : '-gz'}"`;
}

/** Validated query values that differ from the schema's defaults, as a stable string (lang excluded). */
function canonical(query: Record<string, unknown>, defaults: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const key of Object.keys(query).sort()) {
    const value = query[key];
    if (key === 'lang' || value === undefined || JSON.stringify(value) === JSON.stringify(defaults[key])) continue;
    parts.push(`${key}=${JSON.stringify(value)}`);
  }
  return parts.join('&');
}

function defaultsOf(schema: QuerySchema | undefined): Record<string, unknown> {
  if (!schema) return {};
  const parsed = schema.safeParse({});
  return parsed.success ? (parsed.data as Record<string, unknown>) : {};
}

/** The request URL without query parameters outside `known`, or null when it has none. */
function withoutUnknownParams(req: Request, known: Set<string>): string | null {
  const q = req.originalUrl.indexOf('?');
  if (q < 0) return null;
  // `a[b]` counts as parameter `a` (whichever query parser the app uses).
  const isKnown = (name: string) => known.has(name.split('[')[0]);
  const params = new URLSearchParams(req.originalUrl.slice(q + 1));
  const names = [...new Set(params.keys())];
  if (names.every(isKnown)) return null;
  for (const name of names) if (!isKnown(name)) params.delete(name);
  const rest = params.toString();
  return req.originalUrl.slice(0, q) + (rest ? `?${rest}` : '');
}

const fullPath = (req: Request): string => req.baseUrl + req.path;
const pageKey = (lang: string, path: string): string => `page ${lang} ${path}`;
const dataKey = (lang: string | null, path: string, query: string): string => `data ${lang ?? '*'} ${path}?${query}`;

function renderToString(res: Response, view: string, locals: object): Promise<string> {
  return new Promise((resolve, reject) => {
    res.render(view, locals, (err: Error | null, html?: string) => (err ? reject(err) : resolve(html ?? '')));
  });
}

/** Sends a prepared body: the gzip copy when accepted (compression leaves it alone), else the bytes. */
function sendPrepared(req: Request, res: Response, body: PreparedBody): void {
  setHeaders(res, body.headers);
  const gzipped = body.gzip && body.gzipEtag && req.acceptsEncodings('gzip') === 'gzip';
  if (body.gzip) res.vary('Accept-Encoding');
  // Express answers a matching If-None-Match with 304 from this ETag (res.send → req.fresh).
  res.setHeader('ETag', gzipped ? body.gzipEtag! : body.etag);
  if (gzipped) res.setHeader('Content-Encoding', 'gzip');
  res.send(gzipped ? body.gzip : body.identity);
}

export function createPublicRead(options: PublicReadOptions): PublicRead {
  const aggregateMemo = new Memo<unknown>({ ttlMs: options.ttlMs, max: options.maxAggregates });
  const bodies = new Memo<PreparedBody>({
    ttlMs: options.ttlMs,
    max: options.maxBodyBytes,
    size: (b) => b.identity.length + (b.gzip?.length ?? 0),
  });

  const aggregates: Aggregates = options.enabled
    ? <T>(key: string, compute: () => Promise<T>) => aggregateMemo.get(key, compute) as Promise<T>
    : computeNow;

  async function prepare(source: BodySource, policy: Record<string, string>): Promise<PreparedBody> {
    const headers = { ...policy, ...source.headers, 'Content-Type': source.type };
    // A header value that Node would refuse fails here, before anything is memoised.
    for (const [name, value] of Object.entries(headers)) validateHeaderValue(name, value);
    const identity = Buffer.isBuffer(source.body) ? source.body : Buffer.from(source.body, 'utf8');
    const body: PreparedBody = { identity, etag: tagOf(identity, true), headers };
    if (options.precompress) {
      body.gzip = await gzipAsync(identity, { level: zlib.Z_BEST_COMPRESSION });
      body.gzipEtag = tagOf(body.gzip, false);
    }
    return body;
  }

  function sendDirect(res: Response, source: BodySource, policy: Record<string, string>): void {
    setHeaders(res, { ...policy, ...source.headers, 'Content-Type': source.type });
    res.send(source.body);
  }

  const invalidate = (): void => {
    aggregateMemo.clear();
    bodies.clear();
  };

  return {
    enabled: options.enabled,
    aggregates,
    invalidate,

    async page(req, res, { view, query: schema }, build) {
      const known = new Set(Object.keys((schema ?? LANG_ONLY).shape));
      known.add('lang');
      const canonicalUrl = withoutUnknownParams(req, known);
      if (canonicalUrl !== null) {
        res.redirect(302, canonicalUrl);
        return;
      }
      const query = (schema ? parseQuery(schema, req) : {}) as z.output<NonNullable<typeof schema>>;
      const flash = res.locals.flash as unknown[] | undefined;
      const anonymous = !req.user && (!flash || flash.length === 0);
      const defaultView = canonical(query as Record<string, unknown>, defaultsOf(schema)) === '';
      if (!options.enabled || !anonymous || !defaultView) {
        setHeaders(res, CACHE_POLICY.page);
        res.render(view, await build(query));
        return;
      }
      const body = await bodies.get(pageKey(req.lang, fullPath(req)), async () =>
        prepare({ type: 'text/html; charset=utf-8', body: await renderToString(res, view, await build(query)) }, CACHE_POLICY.page),
      );
      sendPrepared(req, res, body);
    },

    async data(req, res, { query: schema, perLanguage = false }, produce) {
      const query = (schema ? parseQuery(schema, req) : {}) as z.output<NonNullable<typeof schema>>;
      const policy = perLanguage ? CACHE_POLICY.page : CACHE_POLICY.data;
      if (!options.enabled) {
        sendDirect(res, await produce(query), policy);
        return;
      }
      const key = dataKey(perLanguage ? req.lang : null, fullPath(req), canonical(query as Record<string, unknown>, defaultsOf(schema)));
      sendPrepared(req, res, await bodies.get(key, async () => prepare(await produce(query), policy)));
    },

    invalidateOnWrite: function invalidateOnWrite(req, res, next) {
      if (!SAFE_METHODS.has(req.method) && req.user) {
        onHeaders(res, invalidate);
        res.once('close', invalidate);
      }
      next();
    },

    heavyLimit: rateLimit({
      windowMs: 60_000,
      limit: options.heavyPerMinute,
      skip: (req) => Boolean(req.user),
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, _res, next) => next(new AppError(429, 'errors:tooManyRequests', { code: 'rate_limited' })),
    }),
  };
}
