import type { Express } from 'express';
import { createApp } from '../../src/app.js';
import type { AppDeps, AppOptions } from '../../src/deps.js';
import type { Config } from '../../src/config.js';
import { logger } from '../../src/logger.js';
import { createCapturingMailer, type MailMessage } from '../../src/mail/mailer.js';
import { testConfig } from './config.js';

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
  };
  return { app: createApp(deps), deps, outbox: mailer.outbox };
}
