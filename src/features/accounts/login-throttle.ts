import { createHash } from 'node:crypto';
import { Schema, model, trusted, type Types } from 'mongoose';

/**
 * Sign-in throttling per (account, client) instead of a hard account lock: a lock let anyone who
 * knew an address (the admin's is in the README) keep its owner out. Wrong passwords slow down
 * only the client that typed them; the owner's usual browser (recognised by its signed device
 * cookie, see device-cookie.ts) has its own counter, so an attacker elsewhere never delays it.
 * Clients without that cookie also share a per-account counter with a higher threshold, which
 * slows guessing spread over many addresses without touching the owner's browser.
 */

/** Where an attempt comes from: the request's address and, when present and valid for this account, its device id. */
export interface LoginClient {
  ip: string;
  /** From a valid device cookie: the account it was issued to and the browser's id (null when absent or invalid). */
  device: { userId: string; id: string } | null;
}

/** Wrong attempts that cost nothing; each further one doubles the wait, from 1 s up to 15 minutes. */
export const FREE_FAILURES = 3;
/** Unknown clients together: this many failures before the shared counter starts to delay them. */
export const SHARED_FREE_FAILURES = 20;
export const MAX_DELAY_MS = 15 * 60 * 1000;
/** A counter is forgotten this long after its last failure. */
const FORGET_AFTER_MS = 24 * 3600 * 1000;

const throttleSchema = new Schema(
  {
    _id: { type: String, required: true },
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    failures: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false },
);
throttleSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
throttleSchema.index({ user: 1 });
export const LoginThrottleModel = model('LoginThrottle', throttleSchema, 'loginthrottles');

/** The wait after `failures` wrong attempts counted under a key whose first `free` cost nothing. */
export function delayAfter(failures: number, free = FREE_FAILURES): number {
  if (failures < free) return 0;
  return Math.min(MAX_DELAY_MS, 1000 * 2 ** Math.min(failures - free, 30));
}

function keyFor(userId: string | Types.ObjectId, client: LoginClient): { key: string; free: number }[] {
  const user = String(userId);
  // Only hashes are stored: the collection should not become a list of who signs in from where.
  const h = (s: string) => createHash('sha256').update(s).digest('base64url');
  if (client.device && client.device.userId === user) return [{ key: h(`${user}|device|${client.device.id}`), free: FREE_FAILURES }];
  return [
    { key: h(`${user}|ip|${client.ip}`), free: FREE_FAILURES },
    { key: h(`${user}|unknown-clients`), free: SHARED_FREE_FAILURES },
  ];
}

/** When this client may try this account's password again (null: now). */
export async function throttledUntil(userId: string | Types.ObjectId, client: LoginClient, now: Date): Promise<Date | null> {
  const keys = keyFor(userId, client).map((k) => k.key);
  const docs = await LoginThrottleModel.find({ _id: trusted({ $in: keys }), nextAttemptAt: trusted({ $gt: now }) }, { nextAttemptAt: 1 }).lean();
  if (docs.length === 0) return null;
  return new Date(Math.max(...docs.map((d) => d.nextAttemptAt.getTime())));
}

/** Counts one wrong password for this client (atomic increments, so parallel attempts all count). */
export async function recordFailure(userId: string | Types.ObjectId, client: LoginClient, now: Date): Promise<void> {
  const expiresAt = new Date(now.getTime() + FORGET_AFTER_MS);
  for (const { key, free } of keyFor(userId, client)) {
    const doc = await LoginThrottleModel.findOneAndUpdate(
      { _id: key },
      { $inc: { failures: 1 }, $set: { user: userId, expiresAt }, $setOnInsert: { nextAttemptAt: now } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    const wait = delayAfter(doc?.failures ?? 1, free);
    if (wait > 0) await LoginThrottleModel.updateOne({ _id: key }, { $set: { nextAttemptAt: new Date(now.getTime() + wait) } });
  }
}

/** A right password: this client's counter starts again (the shared one stays: others may still be guessing). */
export async function clearFailures(userId: string | Types.ObjectId, client: LoginClient): Promise<void> {
  await LoginThrottleModel.deleteOne({ _id: keyFor(userId, client)[0].key });
}

/** Every counter of an account (a new password was set through an admin's link, or the account was reactivated). */
export async function clearAllFailures(userId: string | Types.ObjectId): Promise<void> {
  await LoginThrottleModel.deleteMany({ user: userId });
}
