import { z } from 'zod';
import { INSTITUTION_TYPES, REGIONS } from '../../domain/reference-data.js';
import {
  booleanField,
  enumField,
  idListField,
  optionalIdField,
  optionalText,
  requiredText,
  revisionField,
} from '../csv/fields.js';

/** Institution codes as e-GA assigns them: letters, digits and dashes, e.g. "MIN-001". */
export const INSTITUTION_CODE = /^[A-Z0-9][A-Z0-9-]{0,29}$/;

export const institutionCodeField = z.preprocess(
  (v) => (typeof v === 'string' ? v.trim().toUpperCase() : v),
  z
    .string({ error: 'reference:validation.required' })
    .min(1, { error: 'reference:validation.required' })
    .regex(INSTITUTION_CODE, { error: 'institutions:errors.codeFormat' }),
);

/** The create/edit form (field names as in views/institutions/form.hbs). */
export const institutionFormSchema = z.object({
  code: institutionCodeField,
  nameSw: requiredText(200),
  nameEn: optionalText(200),
  acronym: optionalText(30),
  type: enumField(INSTITUTION_TYPES),
  region: enumField(REGIONS),
  parent: optionalIdField(),
  active: booleanField(false),
});
export type InstitutionForm = z.infer<typeof institutionFormSchema>;

export const institutionEditSchema = institutionFormSchema.extend({ revision: revisionField() });
export type InstitutionEditForm = z.infer<typeof institutionEditSchema>;

export const INSTITUTION_SORTS = ['code', 'name'] as const;

/** Query string of the list page; invalid values fall back to defaults rather than failing. */
export const institutionListQuerySchema = z.object({
  q: z.string().max(100).optional().catch(undefined),
  type: z.enum(INSTITUTION_TYPES).optional().catch(undefined),
  region: z.enum(REGIONS).optional().catch(undefined),
  active: z.enum(['true', 'false']).optional().catch(undefined),
  sort: z.enum(INSTITUTION_SORTS).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100000).optional().catch(undefined),
});
export type InstitutionListQuery = z.infer<typeof institutionListQuerySchema>;

export const INSTITUTION_BULK_FIELDS = ['type', 'region', 'active', 'parent'] as const;
export type InstitutionBulkField = (typeof INSTITUTION_BULK_FIELDS)[number];

/** Bulk edit: the selected ids, the field to change and its new value. */
export const institutionBulkSchema = z
  .object({
    ids: idListField(),
    field: enumField(INSTITUTION_BULK_FIELDS),
    type: z.string().optional(),
    region: z.string().optional(),
    active: z.string().optional(),
    parent: z.string().optional(),
  })
  .transform((input, ctx) => {
    const raw = input[input.field];
    let value: unknown;
    const check = (schema: z.ZodType, v: unknown): unknown => {
      const r = schema.safeParse(v);
      if (!r.success) {
        ctx.addIssue({ code: 'custom', path: [input.field], message: r.error.issues[0]?.message ?? 'reference:validation.choice' });
        return z.NEVER;
      }
      return r.data;
    };
    switch (input.field) {
      case 'type':
        value = check(enumField(INSTITUTION_TYPES), raw);
        break;
      case 'region':
        value = check(enumField(REGIONS), raw);
        break;
      case 'active':
        value = check(z.enum(['true', 'false'], { error: 'reference:validation.choice' }), raw) === 'true';
        break;
      case 'parent':
        value = check(optionalIdField(), raw);
        break;
    }
    return { ids: input.ids, field: input.field, value } as InstitutionBulkChange;
  });

export type InstitutionBulkChange =
  | { ids: string[]; field: 'type'; value: (typeof INSTITUTION_TYPES)[number] }
  | { ids: string[]; field: 'region'; value: (typeof REGIONS)[number] }
  | { ids: string[]; field: 'active'; value: boolean }
  | { ids: string[]; field: 'parent'; value: string | null };
