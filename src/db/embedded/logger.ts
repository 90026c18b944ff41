/** The small logging surface the engine needs; pino loggers and console-like objects both fit. */
export interface EngineLogger {
  info(msg: string, extra?: unknown): void;
  warn(msg: string, extra?: unknown): void;
  error(msg: string, extra?: unknown): void;
}

export const silentLogger: EngineLogger = { info() {}, warn() {}, error() {} };

/**
 * Adapts a pino-style logger (`logger.warn(obj, msg)`) to the engine's
 * `(msg, extra)` convention.
 */
export function fromPino(pino: { info(o: object, m: string): void; warn(o: object, m: string): void; error(o: object, m: string): void }): EngineLogger {
  const wrap = (extra: unknown): object => (extra && typeof extra === 'object' ? (extra as object) : extra === undefined ? {} : { extra });
  return {
    info: (m, e) => pino.info(wrap(e), m),
    warn: (m, e) => pino.warn(wrap(e), m),
    error: (m, e) => pino.error(wrap(e), m),
  };
}
