import type { StorageOptions } from './types.js';

export type StorageLogger = NonNullable<StorageOptions['logger']>;

/** Used when the caller passes no logger: warnings and errors go to stderr as JSON lines. */
export const stderrLogger: StorageLogger = {
  info() {},
  warn(msg, extra) {
    process.stderr.write(`${JSON.stringify({ level: 'warn', module: 'storage', msg, extra })}\n`);
  },
  error(msg, extra) {
    process.stderr.write(`${JSON.stringify({ level: 'error', module: 'storage', msg, extra })}\n`);
  },
};
