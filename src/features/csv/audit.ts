import type { Role } from '../../domain/reference-data.js';
import { recordAudit } from '../audit/audit.service.js';

/** The acting user as services see it. */
export interface Actor {
  id: string;
  role: Role;
  institutionId: string | null;
  name?: string;
  email?: string;
}

/**
 * Records one audit entry for an administration write. One adapter so the admin features
 * (institutions, meetings, resolutions, CSV) all describe their writes the same way.
 * `summary` is the one line shown in the audit list (codes/numbers, not prose).
 */
export async function auditWrite(
  actor: Actor,
  action: string,
  entity: string,
  entityId: string | null,
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
  summary?: string,
): Promise<void> {
  await recordAudit({
    actor: { id: actor.id, role: actor.role, name: actor.name, email: actor.email },
    action,
    entity,
    entityId,
    summary: summary ?? `${action} ${entityId ?? ''}`.trim(),
    before,
    after,
  });
}
