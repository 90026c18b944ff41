import type { Request, Response, NextFunction } from 'express';
import type { Logger } from 'pino';
import { AppError, BadRequestError, ConflictError, NotFoundError } from '../errors.js';
import { translator, DEFAULT_LANGUAGE } from '../i18n/index.js';
import { loggableUrl } from './request-logger.js';
import { isDuplicateKey } from '../db/duplicate-key.js';

interface HttpishError {
  status?: number;
  statusCode?: number;
  type?: string;
  code?: string | number;
  name?: string;
}

/** Turns anything thrown into an AppError (unknown errors become a 500 that hides the details). */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = (err ?? {}) as HttpishError;
  const status = e.status ?? e.statusCode;
  if (e.type === 'entity.too.large' || status === 413 || e.code === 'LIMIT_FILE_SIZE' || e.code === 'LIMIT_FIELD_VALUE') {
    return new AppError(413, 'errors:tooLarge', { code: 'too_large', cause: err });
  }
  if (e.name === 'MulterError') return new BadRequestError('errors:badUpload', { cause: err });
  if (e.type === 'entity.parse.failed' || e.type === 'charset.unsupported' || e.type === 'encoding.unsupported') {
    return new BadRequestError('errors:badRequest', { cause: err });
  }
  if (e.name === 'CastError') return new NotFoundError('errors:notFound', { cause: err });
  if (e.name === 'ValidationError') return new BadRequestError('errors:validation', { cause: err });
  if (isDuplicateKey(e)) return new ConflictError('errors:duplicate', { cause: err });
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError(status, status === 404 ? 'errors:notFound' : 'errors:badRequest', { cause: err });
  }
  return new AppError(500, 'errors:internal', { code: 'internal', cause: err, isOperational: false });
}

const TITLE_KEYS: Record<number, string> = {
  400: 'errors:title400',
  401: 'errors:title401',
  403: 'errors:title403',
  404: 'errors:title404',
  409: 'errors:title409',
  413: 'errors:title413',
  429: 'errors:title429',
};

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function isApiRequest(req: Request): boolean {
  return req.originalUrl === '/api' || req.originalUrl.startsWith('/api/');
}

/** Final 404 for anything no router answered. */
export function notFoundHandler(_req: Request, _res: Response, next: NextFunction): void {
  next(new NotFoundError());
}

/**
 * The one error handler: logs once, answers JSON `{ error: { code, message, details? } }` under
 * /api, otherwise renders views/errors/error.hbs in the user's language. Never shows a stack trace;
 * if rendering fails it sends escaped plain HTML.
 */
export function errorHandler(log: Logger) {
  // Express recognises error middleware by its four parameters.
  return function handleError(err: unknown, req: Request, res: Response, _next: NextFunction): void {
    const appError = toAppError(err);
    const t = req.t ?? translator(DEFAULT_LANGUAGE);
    const lang = req.lang ?? DEFAULT_LANGUAGE;
    const message = t(appError.messageKey, appError.params);

    if (appError.status >= 500) {
      log.error({ err, reqId: req.id, url: loggableUrl(req) }, 'request failed');
    } else {
      log.debug({ status: appError.status, code: appError.code, url: loggableUrl(req) }, 'request rejected');
    }

    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(appError.status);

    if (isApiRequest(req) || (req.accepts(['html', 'json']) === 'json' && !req.accepts('html'))) {
      const body: { error: { code: string; message: string; details?: unknown } } = {
        error: { code: appError.code, message },
      };
      if (appError.details !== undefined && appError.status < 500) body.error.details = appError.details;
      res.json(body);
      return;
    }

    const title = t(TITLE_KEYS[appError.status] ?? 'errors:title500');
    res.locals.lang = lang;
    const sendPlain = () =>
      res
        .type('html')
        .send(
          `<!doctype html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
            `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p><p><a href="/">Maazimio</a></p></body></html>`,
        );
    try {
      res.render(
        'errors/error',
        { title, status: appError.status, message, showLogin: appError.status === 401, pageTitle: title },
        (renderErr: Error | null, html?: string) => {
          if (renderErr || html === undefined) {
            log.error({ err: renderErr }, 'error page failed to render');
            sendPlain();
            return;
          }
          res.type('html').send(html);
        },
      );
    } catch (renderErr) {
      // The view engine itself failed synchronously: still answer, in plain HTML.
      log.error({ err: renderErr }, 'error page failed to render');
      sendPlain();
    }
  };
}
