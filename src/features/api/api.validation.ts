import { z } from 'zod';
import { INSTITUTION_TYPES, REGIONS } from '../../domain/reference-data.js';
import { INSTITUTION_CODE } from '../institutions/institutions.validation.js';
import { objectId } from '../../middleware/validate.js';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

const blank = (v: unknown) => (v === '' ? undefined : v);

/** `?page`, `?limit`, `?format` shared by every list; unknown parameters are ignored. */
export const listQuerySchema = z.object({
  page: z.preprocess(blank, z.coerce.number().int().min(1).max(1_000_000).optional()),
  limit: z.preprocess(blank, z.coerce.number().int().min(1).max(MAX_LIMIT).optional()),
  format: z.preprocess(blank, z.enum(['json', 'csv']).optional()),
  lang: z.string().optional(),
});

export const institutionsQuerySchema = listQuerySchema.extend({
  type: z.preprocess(blank, z.enum(INSTITUTION_TYPES).optional()),
  region: z.preprocess(blank, z.enum(REGIONS).optional()),
});

export const progressQuerySchema = listQuerySchema.extend({
  meeting: z.preprocess(blank, objectId('api:invalidMeetingId').optional()),
});

export type ListQuery = z.output<typeof listQuerySchema>;

/**
 * `:code` of /api/v1/institutions/:code/progress: an institution code in any letter case, nothing
 * else (no trimming either: a code with a line break is a 400, not a header injection).
 */
export const institutionCodeParams = z.object({
  code: z.string().transform((s) => s.toUpperCase()).pipe(z.string().regex(INSTITUTION_CODE, 'api:invalidInstitutionCode')),
});
