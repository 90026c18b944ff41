import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Mailer } from './mail/mailer.js';

/**
 * Everything createApp needs from the outside world. Features receive it in their
 * create<Name>Router(deps) and pass pieces (mailer, now) on to services.
 */
export interface AppDeps {
  config: Config;
  logger: Logger;
  mailer: Mailer;
  /** Clock; tests pin it to make time-dependent rules (lockout, deadlines) deterministic. */
  now: () => Date;
  /** Optional tuning, mostly for tests. */
  options?: AppOptions;
}

export interface AppOptions {
  /** POST /login attempts allowed per IP per 15 minutes (default 20). */
  loginRateLimit?: number;
}
