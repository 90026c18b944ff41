import { z } from 'zod';
import { INSTITUTION_TYPES, REGIONS } from '../../domain/reference-data.js';
import { STATUS_KEYS } from './public.stats.js';
import { RESOLUTION_SORTS } from './public.service.js';

const blankToUndefined = (v: unknown) => (v === '' ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());

/** Query of the resolution page's table (a GET form; empty selects mean "all"). */
export const resolutionTableQuerySchema = z.object({
  q: optional(z.string().trim().max(100)),
  type: optional(z.enum(INSTITUTION_TYPES)),
  region: optional(z.enum(REGIONS)),
  status: optional(z.enum(STATUS_KEYS)),
  sort: z.preprocess(blankToUndefined, z.enum(RESOLUTION_SORTS).default('name')),
  dir: z.preprocess(blankToUndefined, z.enum(['asc', 'desc']).default('asc')),
  page: z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(100000).default(1)),
  lang: z.string().optional(),
});

/** Anything else in the query of a public page is ignored except `lang`. */
export const pageQuerySchema = z.object({ lang: z.string().optional() }).loose();
