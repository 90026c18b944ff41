/**
 * Who may do what with rankings, checked by the services themselves (the routers check too, but
 * a service may be called from elsewhere: the CLI, the seed, another feature).
 */
import type { Actor } from '../../domain/actor.js';
import { ForbiddenError, NotFoundError } from '../../errors.js';
import { Types } from 'mongoose';

/** Creating, recomputing, publishing and deleting rankings, and answering objections: e-GA admins only. */
export function assertAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw new ForbiddenError();
}

/** A ranking or objection id from a URL; anything else is "not found" (existence is not revealed). */
export function rankingId(id: string, notFoundKey = 'rankings:notFound'): Types.ObjectId {
  if (!Types.ObjectId.isValid(id) || !/^[0-9a-f]{24}$/i.test(id)) throw new NotFoundError(notFoundKey);
  return new Types.ObjectId(id);
}
