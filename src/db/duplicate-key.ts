import { ValidationError } from '../errors.js';

/** True for MongoDB's duplicate key error (code 11000): a unique index refused the write. */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

/**
 * Runs a write guarded by a unique index; when the index refuses it (a concurrent writer took the
 * value after the friendly pre-check), throws a ValidationError with `fields` so the form can say
 * which value is taken. Other errors pass through unchanged.
 */
export async function duplicateKeyAsFieldError<T>(fields: Record<string, string>, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isDuplicateKey(err)) throw new ValidationError(fields);
    throw err;
  }
}
