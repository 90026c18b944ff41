/**
 * Accepted objections correct the verified value through the normal verification path: a direct
 * assessment by the reviewer (`assessDirectly` in review/review.service.ts), which writes a new
 * immutable report version, notifies the institution and is audited there.
 */
import type { ProgressStatus } from '../../domain/reference-data.js';
import type { Actor } from '../../domain/actor.js';
import { assessDirectly } from '../review/review.service.js';

export interface CorrectionInput {
  institutionId: string;
  resolutionId: string;
  status: ProgressStatus;
  percent: number;
  reason: string;
}

export async function applyCorrection(
  actor: Actor,
  input: CorrectionInput,
  now: Date,
): Promise<void> {
  await assessDirectly(actor, input, { now });
}
