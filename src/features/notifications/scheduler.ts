import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../../deps.js';
import { logger } from '../../logger.js';
import { settleAllPending } from '../progress/item-writer.js';
import { LockModel } from './notification.model.js';
import { sendReminders } from './reminders.js';
import { op } from '../progress/query.js';
import { isDuplicateKey } from '../../db/duplicate-key.js';

const log = logger.child({ module: 'scheduler' });

const DAY_MS = 24 * 60 * 60 * 1000;
const CHECK_EVERY_MS = 60 * 60 * 1000;
export const DAILY_LOCK = 'daily-reminders';

/**
 * Tries to take the named lock until `now + ttlMs`. Exactly one caller wins while the lock is
 * held: the filter matches only an expired lock, and when no document matches the upsert tries to
 * insert the same _id, which the unique _id refuses for every caller but one.
 */
export async function acquireLock(name: string, holder: string, ttlMs: number, now: Date): Promise<boolean> {
  try {
    const doc = await LockModel.findOneAndUpdate(
      { _id: name, until: op({ $lte: now }) },
      { $set: { holder, until: new Date(now.getTime() + ttlMs) } },
      { upsert: true, returnDocument: 'after' },
    ).lean<{ holder: string }>();
    return doc?.holder === holder;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/**
 * One tick of the daily job: the instance that takes the day's lock repairs interrupted progress
 * writes and sends the reminders; the others do nothing. Returns whether this instance ran it.
 */
export async function runDailyJobs(deps: Pick<AppDeps, 'config' | 'mailer'>, now: Date, holder: string): Promise<boolean> {
  // The lock lasts a little under a day so the hourly check of the next day can take it.
  if (!(await acquireLock(DAILY_LOCK, holder, DAY_MS - CHECK_EVERY_MS, now))) return false;
  await settleAllPending();
  await sendReminders(now, { mailer: deps.mailer, baseUrl: deps.config.baseUrl, reminderDays: deps.config.reminderDays });
  return true;
}

export interface Scheduler {
  stop(): void;
}

/**
 * Starts the in-app daily scheduler: checks once shortly after start and then every hour; the
 * MongoDB lock makes sure only one of several app instances runs the job per day. Timers are
 * unref'd so they never keep the process alive. Called by server.ts after the database is up.
 */
export function startScheduler(deps: Pick<AppDeps, 'config' | 'mailer' | 'now'>): Scheduler {
  const holder = randomUUID();
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await runDailyJobs(deps, deps.now(), holder);
    } catch (err) {
      log.error({ err }, 'daily job failed');
    } finally {
      running = false;
    }
  };
  const first = setTimeout(() => void tick(), 30_000);
  first.unref();
  const every = setInterval(() => void tick(), CHECK_EVERY_MS);
  every.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(every);
    },
  };
}
