import type { Actor } from '../domain/actor.js';
import type { Role } from '../domain/reference-data.js';
import { ForbiddenError } from '../errors.js';

/**
 * Least privilege in the services themselves: the routers check roles too, but a service can be
 * reached from elsewhere (the CSV engine, another feature, the CLI, a route wired by mistake).
 * Throws a 403 ForbiddenError unless the actor has one of `roles`.
 */
export function assertRole(actor: Actor | null | undefined, ...roles: Role[]): asserts actor is Actor {
  if (!actor || !roles.includes(actor.role)) throw new ForbiddenError();
}
