/** Request helpers shared by the rankings routers. */
import type { Request } from 'express';
import { ForbiddenError } from '../../errors.js';
import { currentUser } from '../../middleware/auth.js';
import type { Actor } from './ranking-access.js';

/** The signed-in user as a service actor (the routers have already required a role). */
export function actorOf(req: Request): Actor {
  const u = currentUser(req);
  if (!u) throw new ForbiddenError();
  return { id: u.id, role: u.role, institutionId: u.institutionId, name: u.name, email: u.email };
}

/** A route parameter as a string ('' when absent). */
export const param = (req: Request, name: string): string => String((req.params as Record<string, string>)[name] ?? '');
