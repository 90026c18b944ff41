import type { Role } from '../../domain/reference-data.js';
import { recordAudit } from '../audit/audit.service.js';

export interface ProgressAuditEntry {
  action: string;
  entity: string;
  entityId: string;
  summary: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  at?: Date;
}

/**
 * One place where progress, review and notification writes reach the audit log.
 * A null actor is the system (seed, scheduler, CLI).
 */
export async function auditProgress(actor: { id: string; role: Role; name?: string; email?: string } | null, entry: ProgressAuditEntry): Promise<void> {
  await recordAudit({
    actor: actor ? { id: actor.id, role: actor.role, name: actor.name, email: actor.email } : null,
    actorKind: actor ? undefined : 'system',
    ...entry,
  });
}
