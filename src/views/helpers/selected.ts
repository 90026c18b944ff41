import { SafeString, type SafeStringValue } from './context.js';

function matches(value: unknown, current: unknown): boolean {
  if (Array.isArray(current)) return current.some((c) => String(c) === String(value));
  return current !== undefined && current !== null && String(current) === String(value);
}

/** <option value="x" {{selected "x" current}}> — current may be a value or an array of values. */
export function selected(value: unknown, current: unknown): SafeStringValue {
  return new SafeString(matches(value, current) ? 'selected' : '');
}

/** <input type="checkbox" {{checked "x" current}}> or {{checked flag}} for a boolean. */
export function checked(value: unknown, ...rest: unknown[]): SafeStringValue {
  if (rest.length <= 1) return new SafeString(value === true || value === 'on' || value === 'true' ? 'checked' : '');
  return new SafeString(matches(value, rest[0]) ? 'checked' : '');
}
