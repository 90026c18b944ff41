import { Router, type Request, type Response, type NextFunction } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { FeatureDeps } from '../index.js';
import { AppError, NotFoundError, ValidationError } from '../../errors.js';
import { requireAuth, safeNextPath } from '../../middleware/auth.js';
import { ensureCsrfToken } from '../../middleware/csrf.js';
import { parseForm } from '../../middleware/validate.js';
import type { SessionUser } from '../../middleware/express-augment.js';
import { recordAudit } from '../audit/audit.service.js';
import { changePasswordSchema, setPasswordSchema } from './accounts.validation.js';
import { changePassword, findUserBySetPasswordToken, getUser, setPasswordWithToken, toSessionUser } from './users.service.js';
import { MIN_PASSWORD_LENGTH } from './password.js';
import { loginClient, rememberDevice } from './device-cookie.js';

function login(req: Request, user: SessionUser, now: Date): Promise<void> {
  // Passport ≥0.6 regenerates the session id here (prevents session fixation).
  return new Promise((resolve, reject) =>
    req.login(user, (err) => {
      if (err) return reject(err);
      // Start of the absolute lifetime (see absoluteSessionLifetime in middleware/session.ts).
      req.session.signedInAt = now.getTime();
      resolve();
    }),
  );
}

/**
 * Where a user lands after signing in (when no safe `next` was asked for): people who work in
 * the app every week start on their work list, not on the public home page.
 */
export function landingPath(user: Pick<SessionUser, 'role'>): string {
  if (user.role === 'institution') return '/progress';
  if (user.role === 'reviewer') return '/review';
  return '/admin';
}

function logout(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.logout((err) => (err ? reject(err) : resolve())));
}

function translateErrors(req: Request, errors: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, req.t(v, { min: MIN_PASSWORD_LENGTH, count: MIN_PASSWORD_LENGTH })]));
}

/** Sign-in, sign-out, the user's own account page and the one-time set-password pages. */
export function createAccountsRouter(deps: FeatureDeps): Router {
  const router = Router();
  const loginLimiter = rateLimit({
    windowMs: 15 * 60 * 1000,
    limit: deps.options?.loginRateLimit ?? 20,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, _res, next) => next(new AppError(429, 'errors:tooManyRequests', { code: 'rate_limited' })),
  });

  const renderLogin = (req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) => {
    ensureCsrfToken(req, res);
    res.status(status).render('auth/login', {
      pageTitle: req.t('auth:title'),
      next: safeNextPath(req.body?.next ?? req.query.next) ?? '',
      minLength: MIN_PASSWORD_LENGTH,
      ...extra,
    });
  };

  router.get('/login', (req, res) => {
    if (req.user) {
      res.redirect(safeNextPath(req.query.next) ?? landingPath(req.user));
      return;
    }
    renderLogin(req, res, 200);
  });

  router.post('/login', loginLimiter, (req: Request, res: Response, next: NextFunction) => {
    deps.passport.authenticate('local', (err: unknown, user: SessionUser | false) => {
      if (err) return next(err);
      if (!user) {
        const email = typeof req.body?.email === 'string' ? req.body.email.slice(0, 254) : '';
        return renderLogin(req, res, 401, { email, loginError: req.t('auth:invalidCredentials') });
      }
      // Administrators land on the dashboard of what needs their attention; others on the home page.
      login(req, user, deps.now())
        .then(() => {
          rememberDevice(req, res, deps.config, user.id);
          res.redirect(safeNextPath(req.body?.next) ?? landingPath(user));
        })
        .catch(next);
    })(req, res, next);
  });

  router.post('/logout', async (req, res) => {
    const user = req.user;
    if (user) {
      await logout(req);
      await recordAudit({ actor: user, action: 'auth.logout', entity: 'Session', entityId: user.id, summary: user.email, at: deps.now() });
    }
    res.redirect('/');
  });

  const renderAccount = async (req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) => {
    const account = await getUser((req.user as SessionUser).id);
    res.status(status).render('accounts/account', {
      pageTitle: req.t('accounts:account.title'),
      account: account.toObject(),
      minLength: MIN_PASSWORD_LENGTH,
      errors: {},
      ...extra,
    });
  };

  router.get('/account', requireAuth, (req, res) => renderAccount(req, res, 200));

  router.post('/account/password', requireAuth, async (req, res) => {
    const form = parseForm(changePasswordSchema, req.body, req.t);
    if (!form.ok) return renderAccount(req, res, 400, { errors: form.errors });
    try {
      const updated = await changePassword((req.user as SessionUser).id, form.data, deps.now(), {
        client: loginClient(req, deps.config),
        cost: deps.config.passwordCost,
      });
      // The version bump ended every session; start a fresh one for this browser.
      await login(req, toSessionUser(updated), deps.now());
      req.flash('success', req.t('accounts:account.passwordChanged'));
      res.redirect('/account');
    } catch (err) {
      if (err instanceof ValidationError) return renderAccount(req, res, 400, { errors: translateErrors(req, err.fields) });
      throw err;
    }
  });

  const renderSetPassword = (req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) => {
    ensureCsrfToken(req, res);
    res.status(status).render('auth/set-password', {
      pageTitle: req.t('auth:setPassword.title'),
      token: req.params.token,
      minLength: MIN_PASSWORD_LENGTH,
      errors: {},
      ...extra,
    });
  };

  router.get('/set-password/:token', async (req, res) => {
    const user = await findUserBySetPasswordToken(String(req.params.token), deps.now());
    if (!user) throw new NotFoundError('accounts:linkInvalid');
    renderSetPassword(req, res, 200, { account: { name: user.name, email: user.email } });
  });

  router.post('/set-password/:token', async (req, res) => {
    const token = String(req.params.token);
    const user = await findUserBySetPasswordToken(token, deps.now());
    if (!user) throw new NotFoundError('accounts:linkInvalid');
    const account = { name: user.name, email: user.email };
    const form = parseForm(setPasswordSchema, req.body, req.t);
    if (!form.ok) return renderSetPassword(req, res, 400, { account, errors: form.errors });
    try {
      await setPasswordWithToken(token, form.data.password, form.data.confirm, deps.now(), deps.config.passwordCost);
    } catch (err) {
      if (err instanceof ValidationError) return renderSetPassword(req, res, 400, { account, errors: translateErrors(req, err.fields) });
      throw err;
    }
    req.flash('success', req.t('auth:setPassword.done'));
    res.redirect('/login');
  });

  return router;
}
