import { pino, type DestinationStream, type Logger } from 'pino';
import { PinoPretty } from 'pino-pretty';
import type { Config } from './config.js';

export type { Logger };

/**
 * Root logger used by modules that import it directly (`logger.child({ module })`).
 * server.ts and tests replace its level through createLogger/setRootLogLevel; it starts quiet
 * under mocha (which sets no NODE_ENV) only when a test hook lowers it.
 */
export const logger: Logger = pino({ level: 'info', base: undefined, redact: ['req.headers.cookie', 'password'] }, destination());

/**
 * A person at a terminal reads one short line per event; a service manager, a pipe or a log
 * shipper gets JSON lines. Both are synchronous so the start-up banner (process.stdout) comes
 * after every log line written before it.
 */
function destination(): DestinationStream {
  if (process.stdout.isTTY) return PinoPretty({ sync: true, colorize: true, ignore: 'pid,hostname', translateTime: 'SYS:HH:MM:ss' });
  return pino.destination({ dest: 1, sync: true });
}

/** Builds a logger for the app from config and aligns the root logger's level with it. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  logger.level = config.logLevel;
  return logger;
}

export default logger;
