import { UserModel, type UserDocument } from './user.model.js';
import { burnPasswordCheck, verifyPassword } from './password.js';
import { normalizeEmail, toSessionUser } from './users.service.js';
import { recordAudit } from '../audit/audit.service.js';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MS = 15 * 60 * 1000;

export type CredentialCheck =
  | { ok: true; user: UserDocument }
  | { ok: false; reason: 'unknown' | 'wrong_password' | 'locked' | 'inactive' | 'no_password' };

/**
 * Checks email + password and applies the lockout rule (5 failures → locked 15 minutes).
 * Every outcome is audited. Callers must show the same generic message for every failure.
 */
export async function verifyCredentials(email: unknown, password: unknown, now: Date): Promise<CredentialCheck> {
  if (typeof email !== 'string' || typeof password !== 'string' || email.length > 254 || password.length > 200) {
    return { ok: false, reason: 'unknown' };
  }
  const normalized = normalizeEmail(email);
  const user = await UserModel.findOne({ email: normalized });
  if (!user) {
    await burnPasswordCheck(password);
    await recordAudit({
      actor: null,
      actorKind: 'anonymous',
      actorLabel: { email: normalized.slice(0, 254) },
      action: 'auth.login.failure',
      entity: 'Session',
      summary: 'unknown email',
      at: now,
    });
    return { ok: false, reason: 'unknown' };
  }
  const actor = toSessionUser(user);
  const fail = async (reason: 'locked' | 'inactive' | 'no_password' | 'wrong_password') => {
    await recordAudit({ actor, action: 'auth.login.failure', entity: 'Session', entityId: user._id, summary: reason, at: now });
    return { ok: false as const, reason };
  };

  if (user.lockedUntil && user.lockedUntil > now) {
    await burnPasswordCheck(password);
    return fail('locked');
  }
  if (!user.active) {
    await burnPasswordCheck(password);
    return fail('inactive');
  }
  if (!user.passwordHash) {
    await burnPasswordCheck(password);
    return fail('no_password');
  }
  if (!(await verifyPassword(password, user.passwordHash))) {
    // Atomic increment so parallel attempts all count.
    const updated = await UserModel.findByIdAndUpdate(user._id, { $inc: { failedLogins: 1 } }, { returnDocument: 'after' });
    if (updated && updated.failedLogins >= MAX_FAILED_LOGINS) {
      const lockedUntil = new Date(now.getTime() + LOCK_MS);
      await UserModel.updateOne({ _id: user._id }, { $set: { lockedUntil, failedLogins: 0 } });
      await recordAudit({
        actor,
        action: 'auth.lockout',
        entity: 'User',
        entityId: user._id,
        summary: `locked until ${lockedUntil.toISOString()}`,
        after: { lockedUntil },
        at: now,
      });
    }
    return fail('wrong_password');
  }
  await UserModel.updateOne({ _id: user._id }, { $set: { failedLogins: 0, lockedUntil: null, lastLoginAt: now } });
  await recordAudit({ actor, action: 'auth.login.success', entity: 'Session', entityId: user._id, summary: user.email, at: now });
  return { ok: true, user };
}
