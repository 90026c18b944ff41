import type { SessionUser } from '../../middleware/auth.js';
import { logger } from '../../logger.js';

const log = logger.child({ module: 'progress' });

export interface ProgressAuditEntry {
  action: string;
  entity: string;
  entityId: string;
  summary: string;
  before?: unknown;
  after?: unknown;
}

/** One place where progress, review and notification writes reach the audit log. */
export async function auditProgress(actor: Pick<SessionUser, 'id' | 'role'> | null, entry: ProgressAuditEntry): Promise<void> {
  log.info({ actor: actor?.id, ...entry }, 'audit');
}
