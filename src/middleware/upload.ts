import type { Request, RequestHandler, Response } from 'express';

/**
 * Runs a multer middleware and turns its limit errors into a message key for the form (so the
 * form can be shown again with what the user typed) instead of an error page. Resolves null when
 * the upload went through; other errors reject.
 */
export function runUpload(mw: RequestHandler, req: Request, res: Response): Promise<string | null> {
  return new Promise((resolve, reject) => {
    mw(req, res, (err?: unknown) => {
      if (!err) return resolve(null);
      const code = (err as { code?: string }).code;
      if (code === 'LIMIT_FILE_SIZE') return resolve('progress:evidence.tooLargeAny');
      if (code === 'LIMIT_FILE_COUNT' || code === 'LIMIT_UNEXPECTED_FILE') return resolve('progress:evidence.tooMany');
      if ((err as { name?: string }).name === 'MulterError') return resolve('progress:evidence.badUpload');
      reject(err);
    });
  });
}
