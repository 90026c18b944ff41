import { randomUUID } from 'node:crypto';
import type { Express, Request, RequestHandler, Response } from 'express';
import type { Logger } from '../logger.js';

const childLogger = Symbol('childLogger');
const started = Symbol('started');

type LevelName = 'error' | 'info' | 'debug';

/** 5xx → error, 4xx → info, the rest → debug (production logs at info: failures only). */
function levelFor(res: Response): LevelName {
  return res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : 'debug';
}

/** A path segment that looks like a token (one-time links, ids of 20+ URL-safe characters). */
const TOKEN_SEGMENT = /^[A-Za-z0-9_-]{20,}$/;

/**
 * What the log says about the URL: the route pattern when a route matched
 * (`/set-password/:token`), else the path with token-like segments replaced; query values are
 * never logged (`?_csrf=…&page=…`). 4xx answers are logged at info, and a failed set-password
 * post must not leave a still-valid link in the logs.
 */
export function loggableUrl(req: Pick<Request, 'originalUrl' | 'baseUrl' | 'route'>): string {
  const raw = req.originalUrl;
  const q = raw.indexOf('?');
  const pathname = q === -1 ? raw : raw.slice(0, q);
  const routePath = (req.route as { path?: unknown } | undefined)?.path;
  const path =
    typeof routePath === 'string'
      ? `${req.baseUrl}${routePath}`
      : pathname
          .split('/')
          .map((segment) => (TOKEN_SEGMENT.test(segment) ? ':redacted' : segment))
          .join('/');
  if (q === -1) return path;
  const keys = raw
    .slice(q + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => `${pair.split('=')[0].slice(0, 40)}=…`);
  return `${path}?${keys.join('&')}`;
}

/**
 * Request ids and access logging at the cost of what is actually logged: every request gets an
 * id (req.id and the X-Request-Id header); `req.log` is a child logger bound to that id, created
 * the first time something uses it; when the response ends, one line is written only if its
 * level is enabled — nothing is serialised for requests that are not logged. (pino-http built a
 * child logger with the whole serialised request for every request, logged or not.)
 *
 * Installs the `req.log` getter on the app's request prototype and returns the middleware.
 */
export function requestLogger(app: Express, logger: Logger, options: { ignore?: (req: Request) => boolean } = {}): RequestHandler {
  Object.defineProperty(app.request, 'log', {
    configurable: true,
    get(this: Request & { [childLogger]?: Logger }) {
      return (this[childLogger] ??= logger.child({ reqId: this.id }));
    },
  });
  // One shared listener (no closure per request); the request and start time ride on the response.
  function logCompleted(this: Response): void {
    const res = this as Response & { [started]?: number };
    const level = levelFor(res);
    if (!logger.isLevelEnabled(level)) return;
    const req = res.req;
    logger[level](
      {
        req: { id: req.id, method: req.method, url: loggableUrl(req), remoteAddress: req.socket.remoteAddress },
        res: { statusCode: res.statusCode },
        responseTime: Math.round(performance.now() - (res[started] ?? 0)),
      },
      res.writableFinished ? 'request completed' : 'request aborted',
    );
  }
  return function requestLoggerMiddleware(req, res, next) {
    const id = randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    if (options.ignore?.(req)) {
      next();
      return;
    }
    (res as Response & { [started]?: number })[started] = performance.now();
    res.on('close', logCompleted);
    next();
  };
}
