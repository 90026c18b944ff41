import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { assertCsrfAfterParse } from './csrf.js';

/** The message key for a multer limit error, null for any other error. */
function limitMessage(err: unknown): string | null {
  const code = (err as { code?: string }).code;
  if (code === 'LIMIT_FILE_SIZE') return 'progress:evidence.tooLargeAny';
  if (code === 'LIMIT_FILE_COUNT' || code === 'LIMIT_UNEXPECTED_FILE') return 'progress:evidence.tooMany';
  if ((err as { name?: string }).name === 'MulterError') return 'progress:evidence.badUpload';
  return null;
}

/**
 * Runs a multer middleware, then checks the CSRF token from the parsed body (multipart forms
 * are not checked earlier; see MULTIPART_FORM_PATHS in csrf.ts). The token field comes first
 * in every multipart form, so it is parsed even when a file then breaks a limit. Limit errors
 * become a message key for the form (so it can be shown again with what the user typed)
 * instead of an error page; resolves null when the upload went through. A missing or wrong
 * token rejects with a 403 ForbiddenError, other errors reject as they are.
 */
export function runUpload(mw: RequestHandler, req: Request, res: Response): Promise<string | null> {
  return new Promise((resolve, reject) => {
    mw(req, res, (err?: unknown) => {
      try {
        assertCsrfAfterParse(req);
      } catch (csrfErr) {
        reject(csrfErr);
        return;
      }
      if (!err) return resolve(null);
      const key = limitMessage(err);
      if (key) resolve(key);
      else reject(err);
    });
  });
}

/** The same as a route middleware: parse the multipart body with `mw`, then check the CSRF token. */
export function multipartForm(mw: RequestHandler): RequestHandler {
  return function multipartFormMiddleware(req: Request, res: Response, next: NextFunction) {
    mw(req, res, (err?: unknown) => {
      try {
        assertCsrfAfterParse(req);
      } catch (csrfErr) {
        next(csrfErr);
        return;
      }
      next(err);
    });
  };
}
