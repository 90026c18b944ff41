import { z } from 'zod';
import { parseCalendarDate } from '../../domain/calendar-date.js';
import { objectId } from '../../middleware/validate.js';

/**
 * Zod field builders shared by the admin forms and the CSV rows. Both arrive as strings
 * (urlencoded bodies, CSV cells), so every builder accepts strings and converts them.
 * Messages are i18n keys (namespace "reference"), translated where they are shown.
 */

export const MSG = {
  required: 'reference:validation.required',
  tooLong: 'reference:validation.tooLong',
  date: 'reference:validation.date',
  number: 'reference:validation.number',
  positive: 'reference:validation.positive',
  integer: 'reference:validation.integer',
  choice: 'reference:validation.choice',
  boolean: 'reference:validation.boolean',
  id: 'reference:validation.id',
} as const;

function blankToUndefined(value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' && value.trim() === '') return undefined;
  return typeof value === 'string' ? value.trim() : value;
}

/** A required trimmed string of at most `max` characters. */
export function requiredText(max = 500) {
  return z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : v),
    z.string({ error: MSG.required }).min(1, { error: MSG.required }).max(max, { error: MSG.tooLong }),
  );
}

/** An optional trimmed string; blank becomes ''. */
export function optionalText(max = 500) {
  return z.preprocess(
    (v) => (v === undefined || v === null ? '' : typeof v === 'string' ? v.trim() : v),
    z.string({ error: MSG.required }).max(max, { error: MSG.tooLong }),
  );
}


/** Formats a date as "YYYY-MM-DD" (UTC), the format forms and CSV files use. */
export function toIsoDate(date: Date | null | undefined): string {
  if (!date) return '';
  return new Date(date).toISOString().slice(0, 10);
}

/** A required calendar date: "dd/mm/yyyy" from forms, "YYYY-MM-DD" from CSV files. */
export function dateField() {
  return z.preprocess(
    blankToUndefined,
    z
      .string({ error: MSG.required })
      .transform((v, ctx) => {
        const d = parseCalendarDate(v);
        if (!d) {
          ctx.addIssue({ code: 'custom', message: MSG.date });
          return z.NEVER;
        }
        return d;
      }),
  );
}

/** An optional calendar date ("dd/mm/yyyy" or "YYYY-MM-DD"); blank means none (null). */
export function optionalDateField() {
  return z.preprocess(
    (v) => blankToUndefined(v) ?? null,
    z
      .string({ error: MSG.date })
      .nullable()
      .transform((v, ctx) => {
        if (v === null) return null;
        const d = parseCalendarDate(v);
        if (!d) ctx.addIssue({ code: 'custom', message: MSG.date });
        return d;
      }),
  );
}

/** An optional one-of-a-list value; blank means none (null). */
export function optionalEnumField<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess((v) => blankToUndefined(v) ?? null, z.enum(values, { error: MSG.choice }).nullable());
}

/** A required number; `positive` rejects 0 and negatives. */
export function numberField(options: { positive?: boolean; integer?: boolean; defaultValue?: number } = {}) {
  return z.preprocess(
    (v) => {
      const b = blankToUndefined(v);
      if (b === undefined) return options.defaultValue;
      if (typeof b === 'string') {
        const n = Number(b.replace(',', '.'));
        return Number.isFinite(n) ? n : b;
      }
      return b;
    },
    z
      .number({ error: (issue) => (issue.input === undefined ? MSG.required : MSG.number) })
      .refine((n) => !options.integer || Number.isInteger(n), { error: MSG.integer })
      .refine((n) => !options.positive || n > 0, { error: MSG.positive }),
  );
}

/** One of a fixed list of values. */
export function enumField<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess(blankToUndefined, z.enum(values, { error: (issue) => (issue.input === undefined ? MSG.required : MSG.choice) }));
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on', 'ndiyo', 'y']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off', 'hapana', 'n']);

/**
 * A boolean from a checkbox ("on" or absent) or a CSV cell ("true"/"false", "yes"/"no", "ndiyo"/"hapana").
 * `whenMissing` is used for an absent/blank value (false for checkboxes, true for CSV "active").
 */
export function booleanField(whenMissing: boolean) {
  return z.preprocess(
    (v) => {
      if (Array.isArray(v)) v = v[v.length - 1];
      const b = blankToUndefined(v);
      if (b === undefined) return whenMissing;
      if (typeof b === 'boolean') return b;
      const s = String(b).toLowerCase();
      if (TRUE_WORDS.has(s)) return true;
      if (FALSE_WORDS.has(s)) return false;
      return s;
    },
    z.boolean({ error: MSG.boolean }),
  );
}

/** A list of enum values from repeated form fields (array) or a ";"/","-separated string. */
export function enumListField<const T extends readonly [string, ...string[]]>(values: T, options: { min?: number } = {}) {
  return z.preprocess(
    (v) => {
      if (v === undefined || v === null) return [];
      const list = Array.isArray(v) ? v : String(v).split(/[;,]/);
      return [...new Set(list.map((x) => String(x).trim()).filter((x) => x.length > 0))];
    },
    z.array(z.enum(values, { error: MSG.choice })).min(options.min ?? 0, { error: MSG.required }),
  );
}

/** An optional MongoDB id from a select; blank means none (null). */
export function optionalIdField() {
  return z.preprocess(
    (v) => blankToUndefined(v) ?? null,
    objectId(MSG.id).nullable(),
  );
}

/** A required MongoDB id. */
export function idField() {
  return z.preprocess(
    blankToUndefined,
    z.string({ error: MSG.required }).pipe(objectId(MSG.id)),
  );
}

/** The hidden revision field of edit forms. */
export function revisionField() {
  return numberField({ integer: true });
}

/** A list of ids from checkboxes (bulk edit). */
export function idListField() {
  return z.preprocess(
    (v) => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]),
    z
      .array(objectId(MSG.id))
      .min(1, { error: 'reference:validation.selectRows' }),
  );
}

/** Field name -> message key, from zod issues (first issue per field wins). */
export type FieldMessageKeys = Record<string, string>;

export function issuesToFieldKeys(error: z.ZodError): FieldMessageKeys {
  const out: FieldMessageKeys = {};
  for (const issue of error.issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '_form';
    if (!(field in out)) out[field] = issue.message;
  }
  return out;
}

export type ParseResult<T> = { ok: true; data: T } | { ok: false; errors: FieldMessageKeys };

/** Validates form/CSV input and returns data or field -> message-key errors (never throws). */
export function parseWith<T>(schema: z.ZodType<T>, input: unknown): ParseResult<T> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, errors: issuesToFieldKeys(result.error) };
}
