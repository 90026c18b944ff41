import { z } from 'zod';
import { PROGRESS_STATUSES } from '../../domain/reference-data.js';
import { MAX_NARRATIVE_LENGTH } from '../../domain/progress-rules.js';
import { formArray, objectId, pageParam } from '../../middleware/validate.js';

export const itemParams = z.object({ id: objectId() });
export const fileParams = z.object({ fileId: objectId() });
export const historyQuery = z.object({ page: pageParam() });

/** The single-row report form (multipart; files come through multer). */
export const claimForm = z.object({
  revision: z.coerce.number().int().min(0),
  status: z.enum(PROGRESS_STATUSES, { error: 'progress:rules.statusRequired' }),
  percent: z.preprocess((v) => (v === '' || v === undefined ? 0 : v), z.coerce.number({ error: 'progress:rules.percentRange' })),
  narrative: z.preprocess((v) => (v == null ? '' : v), z.string().max(MAX_NARRATIVE_LENGTH, 'progress:rules.narrativeTooLong')),
  /** One link per line. */
  links: z.preprocess((v) => (v == null ? '' : v), z.string().max(20_000)),
  keep: formArray(z.string().max(2000)),
});

export const ownerForm = z.object({ owner: objectId() });

