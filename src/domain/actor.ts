import type { Role } from './reference-data.js';

/**
 * The person a service acts for. Routes build it from the signed-in user (`actorOf(req)` in
 * src/middleware/auth.ts); services check permissions and record audit entries with it.
 * The signed-in session user is structurally an Actor, so no copy is needed in between.
 */
export interface Actor {
  id: string;
  role: Role;
  /** The institution a focal person belongs to; null for e-GA staff. */
  institutionId: string | null;
  name?: string;
  email?: string;
}
