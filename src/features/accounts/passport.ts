import { Passport } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import { Types } from 'mongoose';
import type { AppDeps } from '../../deps.js';
import { UserModel } from './user.model.js';
import { verifyCredentials } from './auth.service.js';
import { toSessionUser } from './users.service.js';
import { loginClient } from './device-cookie.js';

/** What the session stores: the user id and the sessionVersion it was issued for. */
interface SerializedUser {
  id: string;
  v: number;
}

/**
 * One Passport instance per app (tests build many apps). The session keeps { id, v };
 * every request reloads the user and drops the session when the user was deactivated or
 * their sessionVersion changed (password change, deactivation).
 */
export type PassportInstance = InstanceType<typeof Passport>;

export function createPassport(deps: AppDeps): PassportInstance {
  const passport = new Passport();

  passport.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password', passReqToCallback: true }, (req, email, password, done) => {
      verifyCredentials(email, password, loginClient(req, deps.config), deps.now(), deps.config.passwordCost)
        .then((result) => (result.ok ? done(null, toSessionUser(result.user)) : done(null, false, { message: result.reason })))
        .catch(done);
    }),
  );

  passport.serializeUser((user, done) => {
    UserModel.findById(user.id, { sessionVersion: 1 })
      .lean()
      .then((doc) => done(null, { id: user.id, v: doc?.sessionVersion ?? 0 } satisfies SerializedUser))
      .catch(done);
  });

  passport.deserializeUser((stored: SerializedUser, done) => {
    if (!stored || typeof stored.id !== 'string' || !Types.ObjectId.isValid(stored.id)) {
      done(null, false);
      return;
    }
    UserModel.findById(stored.id, { name: 1, email: 1, role: 1, institution: 1, active: 1, sessionVersion: 1 })
      .lean()
      .then((user) => {
        if (!user || !user.active || user.sessionVersion !== stored.v) return done(null, false);
        return done(null, toSessionUser(user));
      })
      .catch(done);
  });

  return passport;
}
