import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

/**
 * Root logger used by modules that import it directly (`logger.child({ module })`).
 * server.ts and tests replace its level through createLogger/setRootLogLevel; it starts quiet
 * under mocha (which sets no NODE_ENV) only when a test hook lowers it.
 */
export const logger: Logger = pino({ level: 'info', base: undefined, redact: ['req.headers.cookie', 'password'] });

/** Builds a logger for the app from config and aligns the root logger's level with it. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  logger.level = config.logLevel;
  return logger;
}

export default logger;
