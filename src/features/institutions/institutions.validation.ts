import { z } from 'zod';
import { VOTE_CODE, parseMaturityLevel } from '../../domain/institution-attributes.js';
import { COUNCIL_TYPES, INSTITUTION_TYPES, REGIONS, type MaturityLevel } from '../../domain/reference-data.js';
import {
  booleanField,
  enumField,
  idListField,
  optionalDateField,
  optionalEnumField,
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

/** A maturity level 1-5 from a select or a CSV cell; blank means not assessed (null). */
export function maturityLevelField() {
  return z.preprocess(
    (v) => (v === undefined || v === null || (typeof v === 'string' && v.trim() === '') ? null : typeof v === 'number' ? String(v) : v),
    z
      .string({ error: 'reference:validation.choice' })
      .nullable()
      .transform((v, ctx): MaturityLevel | null => {
        if (v === null) return null;
        const level = parseMaturityLevel(v);
        if (level === null) ctx.addIssue({ code: 'custom', message: 'institutions:errors.maturityLevel' });
        return level;
      }),
  );
}

/** A budget vote (Fungu) code; blank means none. */
export function voteCodeField() {
  return z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toUpperCase() : v === undefined || v === null ? '' : v),
    z.string().refine((s) => s === '' || VOTE_CODE.test(s), { error: 'institutions:errors.voteCode' }),
  );
}

/** The attribute fields shared by the form and the attributes CSV. */
export const institutionAttributeFields = {
  maturityLevel: maturityLevelField(),
  maturityAssessedOn: optionalDateField(),
  voteCode: voteCodeField(),
  councilType: optionalEnumField(COUNCIL_TYPES),
  inScope: booleanField(false),
};

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
  ...institutionAttributeFields,
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

export const INSTITUTION_BULK_FIELDS = ['type', 'region', 'active', 'parent', 'maturityLevel', 'councilType', 'inScope'] as const;
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
    maturityLevel: z.string().optional(),
    maturityAssessedOn: z.string().optional(),
    councilType: z.string().optional(),
    inScope: z.string().optional(),
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
      case 'councilType':
        value = check(optionalEnumField(COUNCIL_TYPES), raw);
        break;
      case 'inScope':
        value = check(z.enum(['true', 'false'], { error: 'reference:validation.choice' }), raw) === 'true';
        break;
      case 'maturityLevel': {
        // A level is always set together with the date it was assessed (or both cleared).
        const level = check(maturityLevelField(), raw) as MaturityLevel | null;
        const on = check(optionalDateField(), input.maturityAssessedOn) as Date | null;
        if (level !== null && on === null) ctx.addIssue({ code: 'custom', path: ['maturityAssessedOn'], message: 'institutions:errors.maturityDateMissing' });
        value = { level, on: level === null ? null : on };
        break;
      }
    }
    return { ids: input.ids, field: input.field, value } as InstitutionBulkChange;
  });

export type InstitutionBulkChange =
  | { ids: string[]; field: 'type'; value: (typeof INSTITUTION_TYPES)[number] }
  | { ids: string[]; field: 'region'; value: (typeof REGIONS)[number] }
  | { ids: string[]; field: 'active'; value: boolean }
  | { ids: string[]; field: 'parent'; value: string | null }
  | { ids: string[]; field: 'councilType'; value: (typeof COUNCIL_TYPES)[number] | null }
  | { ids: string[]; field: 'inScope'; value: boolean }
  | { ids: string[]; field: 'maturityLevel'; value: { level: MaturityLevel | null; on: Date | null } };
