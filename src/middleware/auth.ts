import type { Request, Response, NextFunction } from 'express';
import type { Actor } from '../domain/actor.js';
import type { Role } from '../domain/reference-data.js';
import { ForbiddenError, UnauthorizedError } from '../errors.js';
import type { SessionUser } from './express-augment.js';

export type { SessionUser };

/** The signed-in user, or undefined for the anonymous public. */
export function currentUser(req: Request): SessionUser | undefined {
  return req.user ?? undefined;
}

/** The acting user of a route that requireAuth/requireRole already guarded. */
export function actorOf(req: Request): Actor {
  const u = req.user;
  if (!u) throw new UnauthorizedError();
  return { id: u.id, role: u.role, institutionId: u.institutionId, name: u.name, email: u.email };
}

function isApi(req: Request): boolean {
  return req.originalUrl.startsWith('/api/') || req.originalUrl === '/api';
}

/**
 * Only same-site paths are allowed as a return target ("/x", not "//evil" or "http://...").
 * Returns undefined for anything else.
 */
export function safeNextPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) return undefined;
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return undefined;
  if (/[\r\n\t]/.test(value) || value.includes('\\')) return undefined;
  return value;
}

/** Anonymous → redirect to /login?next=<path> (HTML) or 401 JSON (under /api). */
export function requireAuth(req: Request, res: Response, next: NextFunction): void {
  if (req.user) {
    next();
    return;
  }
  if (isApi(req) || req.method !== 'GET') {
    next(new UnauthorizedError());
    return;
  }
  res.redirect(`/login?next=${encodeURIComponent(req.originalUrl)}`);
}

/** Signed-in with one of the roles, else 403 (anonymous is handled like requireAuth). */
export function requireRole(...roles: Role[]) {
  return function requireRoleMiddleware(req: Request, res: Response, next: NextFunction): void {
    requireAuth(req, res, (err?: unknown) => {
      if (err) {
        next(err);
        return;
      }
      if (!req.user || !roles.includes(req.user.role)) {
        next(new ForbiddenError());
        return;
      }
      next();
    });
  };
}

/** Exposes the user and role flags to views: user, isAdmin, isReviewer, isInstitution. */
export function userLocals(req: Request, res: Response, next: NextFunction): void {
  const user = req.user;
  res.locals.user = user;
  res.locals.isAdmin = user?.role === 'admin';
  res.locals.isReviewer = user?.role === 'reviewer';
  res.locals.isInstitution = user?.role === 'institution';
  res.locals.isStaff = user?.role === 'admin' || user?.role === 'reviewer';
  next();
}
