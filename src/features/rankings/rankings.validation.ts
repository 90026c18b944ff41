import { z } from 'zod';
import { CATEGORY_GROUPINGS } from '../../domain/award-categories.js';
import { LAGGARD_VISIBILITY } from '../../domain/assessment-period.js';
import { INSTITUTION_TYPES, PROGRESS_STATUSES, REGIONS } from '../../domain/reference-data.js';
import { GRADES } from '../../domain/scoring.js';
import { formArray, formCheckbox, formOptionalText, formText, objectId } from '../../middleware/validate.js';

const blank = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** "yyyy-mm-ddThh:mm" (datetime-local) or "yyyy-mm-dd", read in Dar es Salaam time (UTC+3). */
export const formDateTime = () =>
  z.preprocess(
    blank,
    z
      .string()
      .trim()
      .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/, 'validation:date')
      .transform((s) => new Date(s.length === 10 ? `${s}T23:59:59+03:00` : `${s.length === 16 ? `${s}:00` : s}+03:00`))
      .refine((d) => !Number.isNaN(d.getTime()), 'validation:date'),
  );

const band = () => z.preprocess(blank, z.coerce.number().min(0).max(100));

export const createDraftForm = z
  .object({
    meeting: objectId(),
    cutoff: formDateTime(),
    gradeA: band().default(75),
    gradeB: band().default(50),
    gradeC: band().default(25),
    winnersPerPeerGroup: z.preprocess(blank, z.coerce.number().int().min(0).max(50)).default(3),
    includeCarriedOver: formCheckbox(),
    mostImproved: formCheckbox(),
    /** A financial year "2023/24"; blank = the one the cutoff falls in. */
    period: z.preprocess(blank, z.string().regex(/^\d{4}\/\d{2}$/, 'awards:period.invalid').optional()),
    needsImprovementVisibility: z.preprocess(blank, z.enum(LAGGARD_VISIBILITY).default('public')),
  })
  .refine((v) => v.gradeA > v.gradeB && v.gradeB > v.gradeC, { message: 'rankings:invalidParameters', path: ['gradeA'] });
export type CreateDraftForm = z.output<typeof createDraftForm>;

/** Recompute: a new cutoff (optional) and weights as fields `weight_<resolutionId>`. */
export const recomputeForm = z.object({ cutoff: z.preprocess(blank, formDateTime().optional()) }).catchall(z.unknown());

export function readWeights(body: Record<string, unknown>): { weights: Record<string, number>; errors: string[] } {
  const weights: Record<string, number> = {};
  const errors: string[] = [];
  for (const [k, v] of Object.entries(body)) {
    const m = /^weight_([0-9a-f]{24})$/i.exec(k);
    if (!m) continue;
    const n = Number(typeof v === 'string' ? v.trim() : v);
    if (!Number.isFinite(n) || n <= 0 || n > 1000) errors.push(k);
    else weights[m[1]] = n;
  }
  return { weights, errors };
}

export const replyWindowForm = z
  .object({ opens: formDateTime(), closes: formDateTime() })
  .refine((v) => v.closes.getTime() > v.opens.getTime(), { message: 'rankings:windowOrder', path: ['closes'] });

/** The explicit "yes" of a confirmation page's submit button (publishing and deleting are irreversible). */
const confirmed = () => z.literal('yes', { error: 'rankings:confirm.required' });

export const publishForm = z.object({ note: formOptionalText(2000), confirm: confirmed() });

export const deleteForm = z.object({ confirm: confirmed() });

/** ?page= of the admin ranking table (a bad value reads as the first page). */
export const adminPageQuery = z.object({
  page: z.preprocess(blank, z.coerce.number().int().min(1).max(100_000).optional()).catch(undefined),
});

const httpUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((s) => /^https?:\/\/[^\s]+$/i.test(s), 'validation:url');

export const objectionForm = z.object({
  resolutionId: objectId(),
  reason: formText(4000),
  requestedStatus: z.preprocess(blank, z.enum(PROGRESS_STATUSES).optional()),
  requestedPercent: z.preprocess(blank, z.coerce.number().int().min(0).max(100).optional()),
  links: z.preprocess(
    (v) => (typeof v === 'string' ? v.split(/\s+/).filter(Boolean) : v),
    formArray(httpUrl).pipe(z.array(httpUrl).max(5)),
  ),
});

export const answerForm = z
  .object({
    // No default: an answer is saved only with an explicit choice (issue 11).
    decision: z.enum(['accept', 'reject'], { error: 'rankings:decisionRequired' }),
    answer: formText(4000),
    status: z.preprocess(blank, z.enum(PROGRESS_STATUSES).optional()),
    percent: z.preprocess(blank, z.coerce.number().int().min(0).max(100).optional()),
  })
  .refine((v) => v.decision === 'reject' || (v.status !== undefined && v.percent !== undefined), {
    message: 'rankings:correctionRequired',
    path: ['status'],
  });

export const publicFilters = z.object({
  type: z.preprocess(blank, z.enum(INSTITUTION_TYPES).optional()).catch(undefined),
  region: z.preprocess(blank, z.enum(REGIONS).optional()).catch(undefined),
  /** Page of the overall table (a bad value reads as the first page; past the end, the last). */
  page: z.preprocess(blank, z.coerce.number().int().min(1).max(100_000).optional()).catch(undefined),
});

export const idParam = z.object({ id: objectId() });
export const codeParam = z.object({ id: objectId(), code: z.string().trim().min(1).max(40) });

/** A new award category; criteria come as fields `crit_<resolutionId>` (weight; blank = not a criterion). */
export const categoryForm = z.object({
  nameSw: formText(200),
  nameEn: formOptionalText(200),
  descriptionSw: formOptionalText(1000),
  descriptionEn: formOptionalText(1000),
  grouping: z.enum(CATEGORY_GROUPINGS),
  top: z.preprocess(blank, z.coerce.number().int().min(1).max(50)),
  minScore: z.preprocess(blank, z.coerce.number().min(0).max(100).optional()),
  minGrade: z.preprocess(blank, z.enum(GRADES).optional()),
});

/** Criteria of a category form: weight per resolution id; `errors` lists bad fields. */
export function readCriteria(body: Record<string, unknown>): { criteria: Array<{ resolutionId: string; weight: number }>; errors: string[] } {
  const criteria: Array<{ resolutionId: string; weight: number }> = [];
  const errors: string[] = [];
  for (const [k, v] of Object.entries(body)) {
    const m = /^crit_([0-9a-f]{24})$/i.exec(k);
    if (!m) continue;
    const text = typeof v === 'string' ? v.trim() : '';
    if (text === '') continue;
    const n = Number(text.replace(',', '.'));
    if (!Number.isFinite(n) || n <= 0 || n > 1000) errors.push(k);
    else criteria.push({ resolutionId: m[1].toLowerCase(), weight: n });
  }
  return { criteria, errors };
}
