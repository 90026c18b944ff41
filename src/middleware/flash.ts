import type { Request, Response, NextFunction } from 'express';
import { startSession } from './session.js';

/**
 * Session-backed one-time messages: `req.flash('success', req.t(key))` before a redirect;
 * the next rendered page shows them (res.locals.flash) and they are removed.
 */
export function flashMiddleware(req: Request, res: Response, next: NextFunction): void {
  req.flash = (type, text) => {
    startSession(req);
    if (!req.session) return;
    req.session.flash = [...(req.session.flash ?? []), { type, text }];
  };
  const pending = req.session?.flash;
  if (pending && pending.length > 0 && req.method === 'GET') {
    res.locals.flash = pending;
    delete req.session.flash;
  } else {
    res.locals.flash = [];
  }
  next();
}
