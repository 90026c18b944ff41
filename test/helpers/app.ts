import type { Express } from 'express';
import { createApp } from '../../src/app.js';
import type { AppDeps, AppOptions } from '../../src/deps.js';
import type { Config } from '../../src/config.js';
import { logger } from '../../src/logger.js';
import { createCapturingMailer, type MailMessage } from '../../src/mail/mailer.js';
import { testConfig } from './config.js';
import type { PublicRead } from '../../src/features/public/public-read.js';

export interface TestApp {
  app: Express;
  deps: AppDeps;
  /** Every message the app "sent". */
  outbox: MailMessage[];
}

export interface TestAppOverrides {
  config?: Config;
  now?: () => Date;
  options?: AppOptions;
  /** A public-read path the test keeps a handle on (e.g. to invalidate after fixture writes). */
  publicRead?: PublicRead;
}

/** Builds the app in-process with a capturing mailer; the database is the one the root hooks opened. */
export function buildTestApp(overrides: TestAppOverrides = {}): TestApp {
  const mailer = createCapturingMailer();
  const deps: AppDeps = {
    config: overrides.config ?? testConfig(),
    logger,
    mailer,
    now: overrides.now ?? (() => new Date()),
    options: { loginRateLimit: 1000, ...overrides.options },
    publicRead: overrides.publicRead,
  };
  return { app: createApp(deps), deps, outbox: mailer.outbox };
}
