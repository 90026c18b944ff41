import { z } from 'zod';
import { INSTITUTION_TYPES, RESOLUTION_CATEGORIES } from '../../domain/reference-data.js';
import {
  booleanField,
  dateField,
  enumField,
  enumListField,
  idField,
  idListField,
  numberField,
  optionalText,
  requiredText,
  revisionField,
} from '../csv/fields.js';
import { objectId } from '../../middleware/validate.js';

export const resolutionFormSchema = z.object({
  meeting: idField(),
  number: numberField({ integer: true, positive: true }),
  titleSw: requiredText(300),
  titleEn: optionalText(300),
  textSw: requiredText(10000),
  textEn: optionalText(10000),
  category: enumField(RESOLUTION_CATEGORIES),
  dueDate: dateField(),
  weight: numberField({ positive: true, defaultValue: 1 }),
  appliesTo: enumListField(INSTITUTION_TYPES, { min: 1 }),
  active: booleanField(false),
});
export type ResolutionForm = z.infer<typeof resolutionFormSchema>;

export const resolutionEditSchema = resolutionFormSchema.extend({ revision: revisionField() });
export type ResolutionEditForm = z.infer<typeof resolutionEditSchema>;

export const resolutionListQuerySchema = z.object({
  meeting: objectId().optional().catch(undefined),
  category: z.enum(RESOLUTION_CATEGORIES).optional().catch(undefined),
  active: z.enum(['true', 'false']).optional().catch(undefined),
  q: z.string().max(100).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).optional().catch(undefined),
});
export type ResolutionListQuery = z.infer<typeof resolutionListQuerySchema>;

export const carryOverSchema = z.object({ targetMeeting: idField() });

export const RESOLUTION_BULK_FIELDS = ['category', 'weight', 'dueDate', 'active', 'appliesTo'] as const;
export type ResolutionBulkField = (typeof RESOLUTION_BULK_FIELDS)[number];

export type ResolutionBulkChange =
  | { ids: string[]; field: 'category'; value: (typeof RESOLUTION_CATEGORIES)[number] }
  | { ids: string[]; field: 'weight'; value: number }
  | { ids: string[]; field: 'dueDate'; value: Date }
  | { ids: string[]; field: 'active'; value: boolean }
  | { ids: string[]; field: 'appliesTo'; value: (typeof INSTITUTION_TYPES)[number][] };

const bulkValueSchemas: Record<ResolutionBulkField, z.ZodType> = {
  category: enumField(RESOLUTION_CATEGORIES),
  weight: numberField({ positive: true }),
  dueDate: dateField(),
  active: z.enum(['true', 'false'], { error: 'reference:validation.choice' }).transform((v) => v === 'true'),
  appliesTo: enumListField(INSTITUTION_TYPES, { min: 1 }),
};

/** Bulk edit: the selected ids, the field to change and its new value (in the field's own input). */
export const resolutionBulkSchema = z
  .object({
    ids: idListField(),
    field: enumField(RESOLUTION_BULK_FIELDS),
    category: z.unknown().optional(),
    weight: z.unknown().optional(),
    dueDate: z.unknown().optional(),
    active: z.unknown().optional(),
    appliesTo: z.unknown().optional(),
  })
  .transform((input, ctx) => {
    const r = bulkValueSchemas[input.field].safeParse(input[input.field]);
    if (!r.success) {
      ctx.addIssue({ code: 'custom', path: [input.field], message: r.error.issues[0]?.message ?? 'reference:validation.choice' });
      return z.NEVER;
    }
    return { ids: input.ids, field: input.field, value: r.data } as ResolutionBulkChange;
  });
