import { createHash } from 'node:crypto';
import { UserModel, type UserDocument } from './user.model.js';
import { burnPasswordCheck, hashPassword, needsRehash, verifyPassword } from './password.js';
import { normalizeEmail, toSessionUser } from './users.service.js';
import { recordAudit } from '../audit/audit.service.js';
import { clearFailures, recordFailure, throttledUntil, type LoginClient } from './login-throttle.js';

export type CredentialCheck =
  | { ok: true; user: UserDocument }
  | { ok: false; reason: 'unknown' | 'wrong_password' | 'throttled' | 'inactive' | 'no_password' };

/**
 * What a failed sign-in stores about an address nobody has: people type passwords into the
 * email field, so only a hash (enough to see the same value tried again) is kept.
 */
export function unknownEmailLabel(email: string): string {
  return `sha256:${createHash('sha256').update(email).digest('hex').slice(0, 16)}`;
}

/**
 * Checks email + password under per-(account, client) throttling (login-throttle.ts): a client
 * that is still waiting after wrong attempts is refused without the password being checked.
 * A right password whose hash uses weaker parameters than `cost` is rehashed. Every outcome is
 * audited. Callers must show the same generic message for every failure.
 */
export async function verifyCredentials(
  email: unknown,
  password: unknown,
  client: LoginClient,
  now: Date,
  cost?: number,
): Promise<CredentialCheck> {
  if (typeof email !== 'string' || typeof password !== 'string' || email.length > 254 || password.length > 200) {
    return { ok: false, reason: 'unknown' };
  }
  const normalized = normalizeEmail(email);
  const user = await UserModel.findOne({ email: normalized });
  if (!user) {
    await burnPasswordCheck(password, cost);
    await recordAudit({
      actor: null,
      actorKind: 'anonymous',
      actorLabel: { email: unknownEmailLabel(normalized) },
      action: 'auth.login.failure',
      entity: 'Session',
      summary: 'unknown email',
      at: now,
    });
    return { ok: false, reason: 'unknown' };
  }
  const actor = toSessionUser(user);
  const fail = async (reason: 'throttled' | 'inactive' | 'no_password' | 'wrong_password') => {
    await recordAudit({ actor, action: 'auth.login.failure', entity: 'Session', entityId: user._id, summary: reason, at: now });
    return { ok: false as const, reason };
  };

  if (await throttledUntil(user._id, client, now)) {
    await burnPasswordCheck(password, cost);
    return fail('throttled');
  }
  if (!user.active) {
    await burnPasswordCheck(password, cost);
    return fail('inactive');
  }
  if (!user.passwordHash) {
    await burnPasswordCheck(password, cost);
    return fail('no_password');
  }
  if (!(await verifyPassword(password, user.passwordHash))) {
    await recordFailure(user._id, client, now);
    return fail('wrong_password');
  }
  await clearFailures(user._id, client);
  const set: Record<string, unknown> = { lastLoginAt: now };
  // Stronger parameters for old hashes, now that the clear password is at hand; the filter keeps
  // a password changed meanwhile from being overwritten.
  if (needsRehash(user.passwordHash, cost)) set.passwordHash = await hashPassword(password, cost);
  await UserModel.updateOne({ _id: user._id, passwordHash: user.passwordHash }, { $set: set });
  await recordAudit({ actor, action: 'auth.login.success', entity: 'Session', entityId: user._id, summary: user.email, at: now });
  return { ok: true, user };
}
