/**
 * Accepted objections correct the verified value through the progress feature's normal path:
 * a direct assessment by the reviewer (`assessDirectly` in progress/review.service.ts), which
 * writes a new immutable report version and an audit entry.
 */
import type { ProgressStatus } from '../../domain/reference-data.js';
import type { SessionUser } from '../../middleware/auth.js';

export interface CorrectionInput {
  institutionId: string;
  resolutionId: string;
  status: ProgressStatus;
  percent: number;
  reason: string;
}

type AssessDirectly = (
  actor: Pick<SessionUser, 'id' | 'role' | 'institutionId'>,
  input: CorrectionInput,
  now?: Date,
) => Promise<unknown>;

// Resolved at run time so the rankings feature does not need the review module to compile.
const REVIEW_MODULE = '../progress/review.service.js';

export async function applyCorrection(
  actor: Pick<SessionUser, 'id' | 'role' | 'institutionId'>,
  input: CorrectionInput,
  now: Date,
): Promise<void> {
  const mod = (await import(REVIEW_MODULE)) as { assessDirectly?: AssessDirectly };
  if (typeof mod.assessDirectly !== 'function') throw new Error('progress review service has no assessDirectly');
  await mod.assessDirectly(actor, input, now);
}
