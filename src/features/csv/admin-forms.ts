import type { Request } from 'express';
import type { z } from 'zod';
import { ConflictError, ValidationError } from '../../errors.js';
import { parseForm } from '../../middleware/validate.js';

/** Submitted form values without the CSRF token (to re-fill a form). */
export function submittedValues(req: Request): Record<string, unknown> {
  const { _csrf: _ignored, ...values } = (req.body ?? {}) as Record<string, unknown>;
  return values;
}

export type FormOutcome<T> =
  | { ok: true; data: T }
  | { ok: false; status: number; errors: Record<string, string>; values: Record<string, unknown>; conflict?: boolean };

export type FormFailure = Extract<FormOutcome<unknown>, { ok: false }>;

/** Validates a submitted admin form with messages in the user's language. */
export function readForm<S extends z.ZodType>(schema: S, req: Request): FormOutcome<z.output<S>> {
  const r = parseForm(schema, req.body, req.t);
  if (r.ok) return { ok: true, data: r.data };
  return { ok: false, status: 400, errors: r.errors, values: submittedValues(req) };
}

/**
 * Runs a service write; a ValidationError becomes field errors (400) and a ConflictError a
 * conflict (409), both in the user's language, so the handler can re-render its form.
 */
export async function attempt<T>(req: Request, write: () => Promise<T>): Promise<FormOutcome<T>> {
  try {
    return { ok: true, data: await write() };
  } catch (err) {
    if (err instanceof ValidationError) {
      const errors = Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, req.t(v) as string]));
      return { ok: false, status: 400, errors, values: submittedValues(req) };
    }
    if (err instanceof ConflictError) {
      return { ok: false, status: 409, errors: { _form: req.t(err.messageKey) as string }, values: submittedValues(req), conflict: true };
    }
    throw err;
  }
}

/**
 * What an edit form shows again after a failed save: after a revision conflict (someone else saved
 * first) the record as stored now with 409, otherwise the submitted values with their errors.
 */
export async function formAfterFailedEdit<D>(
  failure: FormFailure,
  submittedTo: D,
  reload: () => Promise<D>,
  valuesOf: (doc: D) => Record<string, unknown>,
): Promise<{ status: number; doc: D; values: Record<string, unknown>; errors: Record<string, string>; conflict: boolean }> {
  if (failure.conflict) {
    const current = await reload();
    return { status: 409, doc: current, values: valuesOf(current), errors: failure.errors, conflict: true };
  }
  return { status: failure.status, doc: submittedTo, values: failure.values, errors: failure.errors, conflict: false };
}

