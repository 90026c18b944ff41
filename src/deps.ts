import type { Config } from './config.js';
import type { Logger } from './logger.js';
import type { Mailer } from './mail/mailer.js';
import type { PublicRead, PublicReadOptions } from './features/public/public-read.js';

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
  /**
   * The public-read path; createApp builds one from the config and options when absent. Given
   * by callers that must reach it from outside (the pages benchmark clears its memos).
   */
  publicRead?: PublicRead;
}

export interface AppOptions {
  /** POST /login attempts allowed per IP per 15 minutes (default 20). */
  loginRateLimit?: number;
  /** The public-read memos and limits (off in tests unless a test turns them on). */
  publicRead?: Partial<PublicReadOptions>;
}
