import type { Request, Response, NextFunction } from 'express';
import { Types } from 'mongoose';
import { z, type ZodType } from 'zod';
import type { TFunction } from 'i18next';
import { EAT_OFFSET_MS, parseCalendarDate } from '../domain/calendar-date.js';
import { BadRequestError, NotFoundError } from '../errors.js';

/**
 * Zod at the edge, messages in the user's language.
 *
 * Forms (HTML): `const r = parseForm(schema, req.body, req.t)`; when `!r.ok`, re-render the form
 * with status 400, `errors: r.errors` (field → localized message) and `values: r.values`.
 * Query/params: `validate({ query, params })` middleware (400 on bad input), or the typed
 * `parseQuery(schema, req)` / `parseParams(schema, req)` inside a handler.
 *
 * Custom messages in schemas may be i18n keys ("accounts:passwordTooShort"); they are translated.
 */

type Issue = z.core.$ZodIssue;

const KEY_PATTERN = /^[a-zA-Z]+:[\w.-]+$/;

/** Maps a zod issue to a message in the language of `t`. */
export function localizeIssue(issue: Issue, t: TFunction): string {
  if (issue.message && KEY_PATTERN.test(issue.message) && t(issue.message) !== issue.message) {
    return t(issue.message, issue as unknown as Record<string, unknown>);
  }
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined || issue.input === null || issue.input === '') return t('validation:required');
      return t('validation:invalidType');
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') return min <= 1 ? t('validation:required') : t('validation:minLength', { count: min });
      if (issue.origin === 'array' || issue.origin === 'set') return t('validation:minItems', { count: min });
      if (issue.origin === 'date') return t('validation:dateTooEarly');
      return issue.inclusive ? t('validation:min', { min }) : t('validation:greaterThan', { min });
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') return t('validation:maxLength', { count: max });
      if (issue.origin === 'array' || issue.origin === 'set') return t('validation:maxItems', { count: max });
      if (issue.origin === 'date') return t('validation:dateTooLate');
      return issue.inclusive ? t('validation:max', { max }) : t('validation:lessThan', { max });
    }
    case 'invalid_format':
      if (issue.format === 'email') return t('validation:email');
      if (issue.format === 'url') return t('validation:url');
      if (issue.format === 'date' || issue.format === 'datetime') return t('validation:date');
      return t('validation:format');
    case 'invalid_value':
      return t('validation:invalidOption');
    case 'not_multiple_of':
      return t('validation:invalidType');
    case 'unrecognized_keys':
      return t('validation:unknownField');
    default:
      return t('validation:invalid');
  }
}

/** Field → localized message; the first issue per field wins. Root-level issues go under "_form". */
export function localizeIssues(issues: readonly Issue[], t: TFunction): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '_form';
    if (!(field in errors)) errors[field] = localizeIssue(issue, t);
  }
  return errors;
}

export type FormResult<T> =
  | { ok: true; data: T }
  | { ok: false; errors: Record<string, string>; values: Record<string, unknown> };

/** Parses a submitted form; on failure returns localized field errors and the submitted values. */
export function parseForm<S extends ZodType>(schema: S, body: unknown, t: TFunction): FormResult<z.output<S>> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return { ok: true, data: result.data };
  const values: Record<string, unknown> = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      // Never echo secrets or the CSRF token back into the form.
      if (k === '_csrf' || /password/i.test(k)) continue;
      values[k] = v;
    }
  }
  return { ok: false, errors: localizeIssues(result.error.issues, t), values };
}

function parseOrThrow<S extends ZodType>(schema: S, input: unknown, t: TFunction): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) {
    throw new BadRequestError('errors:badRequest', { details: localizeIssues(result.error.issues, t) });
  }
  return result.data;
}

/** Typed query parsing inside a handler; 400 with localized details on bad input. */
export function parseQuery<S extends ZodType>(schema: S, req: Request): z.output<S> {
  return parseOrThrow(schema, req.query, req.t);
}

export function parseParams<S extends ZodType>(schema: S, req: Request): z.output<S> {
  return parseOrThrow(schema, req.params, req.t);
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Parsed values from validate({ query, params, body }). */
      valid: { query?: unknown; params?: unknown; body?: unknown };
    }
  }
}

/** Middleware: validates query/params (and optionally a JSON body); throws BadRequestError (400). */
export function validate(schemas: { query?: ZodType; params?: ZodType; body?: ZodType }) {
  return function validateMiddleware(req: Request, _res: Response, next: NextFunction): void {
    req.valid = req.valid ?? {};
    if (schemas.params) req.valid.params = parseOrThrow(schemas.params, req.params, req.t);
    if (schemas.query) req.valid.query = parseOrThrow(schemas.query, req.query, req.t);
    if (schemas.body) req.valid.body = parseOrThrow(schemas.body, req.body, req.t);
    next();
  };
}

/* Building blocks for form schemas (HTML forms send strings, missing checkboxes, single-or-many values). */

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** Required trimmed text. */
export const formText = (max = 500) => z.string().trim().min(1).max(max);
/** Optional trimmed text; '' becomes ''. */
export const formOptionalText = (max = 5000) => z.preprocess((v) => (v === undefined || v === null ? '' : v), z.string().trim().max(max));
/** A checkbox: present ("on"/"true"/"1") → true, absent → false. */
export const formCheckbox = () => z.preprocess((v) => v === true || v === 'on' || v === 'true' || v === '1', z.boolean());
/** A number field; '' is "missing". */
export const formNumber = () => z.preprocess(emptyToUndefined, z.coerce.number());
/** A dd/mm/yyyy (or yyyy-mm-dd) date field, read as midnight in Dar es Salaam (UTC+3). */
export const formDate = () =>
  z.preprocess(
    emptyToUndefined,
    z.string().transform((s, ctx) => {
      const day = parseCalendarDate(s);
      if (!day) {
        ctx.addIssue({ code: 'custom', message: 'validation:date' });
        return z.NEVER;
      }
      return new Date(day.getTime() - EAT_OFFSET_MS);
    }),
  );
/** A field that may be sent once or many times; always an array. */
export const formArray = <T extends ZodType>(item: T) =>
  z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(item));
/** A MongoDB ObjectId as a 24-hex string. */
export const objectId = (message = 'validation:invalidId') => z.string().regex(/^[a-f0-9]{24}$/i, message);
/**
 * For routes with `:id` in their path: a segment that is not an ObjectId is not this route, so
 * `/admin/users/import` and `/admin/users/:id` answer the same whatever order their routers are
 * mounted in. A well-formed id that matches nothing is the service's 404.
 */
export function idRoute(name = 'id') {
  const schema = objectId();
  return (req: Request, _res: Response, next: NextFunction): void => {
    next(schema.safeParse(req.params[name]).success ? undefined : 'route');
  };
}
/**
 * The `:id` (or `name`) segment of a route as an ObjectId, validated with objectId(). Services take
 * the ObjectId and do not check the format again. A malformed segment is "not found".
 */
export function routeId(req: Request, name = 'id'): Types.ObjectId {
  const parsed = objectId().safeParse(req.params[name]);
  if (!parsed.success) throw new NotFoundError();
  return new Types.ObjectId(parsed.data);
}
/** Optional ObjectId: '' → null. */
export const formOptionalObjectId = () => z.preprocess((v) => (v === '' || v === undefined ? null : v), objectId().nullable());
/** Page number from a query string (default 1). */
export const pageParam = () => z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(100000).default(1));
