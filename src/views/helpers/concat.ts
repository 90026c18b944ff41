import { splitArgs } from './context.js';

/** {{t (concat "common:roles." role)}} — joins its arguments into one string (dynamic keys). */
export function concat(...args: unknown[]): string {
  return splitArgs(args)
    .values.map((v) => (v === null || v === undefined ? '' : String(v)))
    .join('');
}
