import { Router, type Request, type Response } from 'express';
import type { FeatureDeps } from '../index.js';
import { ROLES, LANGUAGES } from '../../domain/reference-data.js';
import { ValidationError } from '../../errors.js';
import { actorOf, requireRole } from '../../middleware/auth.js';
import { parseParams, parseQuery, idRoute } from '../../middleware/validate.js';
import type { SessionUser } from '../../middleware/express-augment.js';
import { InstitutionModel } from '../institutions/institution.model.js';
import { idParams, userListQuery } from './accounts.validation.js';
import { createUser, getUser, issueSetPasswordLink, listUsers, setUserActive, validateNewUser } from './users.service.js';

async function institutionOptions() {
  return InstitutionModel.find({}, { code: 1, name: 1, acronym: 1 }).sort({ code: 1 }).lean();
}

/** Users administration (admin only): list, create with a one-time link, deactivate/reactivate. */
export function createUsersAdminRouter(deps: FeatureDeps): Router {
  const router = Router();
  const adminOnly = requireRole('admin');

  router.get('/admin/users', adminOnly, async (req, res) => {
    const query = parseQuery(userListQuery, req);
    const result = await listUsers({
      q: query.q,
      role: query.role,
      institution: query.institution,
      active: query.status === undefined ? undefined : query.status === 'active',
      page: query.page,
    }, actorOf(req));
    res.render('accounts/users-list', {
      pageTitle: req.t('accounts:users.title'),
      ...result,
      filter: query,
      roles: ROLES,
      institutions: await institutionOptions(),
    });
  });

  const renderForm = async (req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) => {
    res.status(status).render('accounts/user-form', {
      pageTitle: req.t('accounts:users.newTitle'),
      roles: ROLES,
      languages: LANGUAGES,
      institutions: await institutionOptions(),
      values: { role: 'institution', language: 'sw' },
      errors: {},
      ...extra,
    });
  };

  router.get('/admin/users/new', adminOnly, (req, res) => renderForm(req, res, 200));

  router.post('/admin/users', adminOnly, async (req, res) => {
    const actor = req.user as SessionUser;
    const check = await validateNewUser(req.body);
    if (!check.ok) {
      const errors = Object.fromEntries(Object.entries(check.errors).map(([k, v]) => [k, req.t(v, { count: 200 })]));
      const { _csrf: _ignored, ...values } = (req.body ?? {}) as Record<string, unknown>;
      return renderForm(req, res, 400, { errors, values });
    }
    let user;
    try {
      user = await createUser(check.data, actor, { now: deps.now() });
    } catch (err) {
      if (err instanceof ValidationError) {
        const errors = Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, req.t(v)]));
        return renderForm(req, res, 400, { errors, values: req.body });
      }
      throw err;
    }
    const link = await issueSetPasswordLink(user._id.toString(), actor, { baseUrl: deps.config.baseUrl, mailer: deps.mailer, now: deps.now() });
    res.status(201).render('accounts/user-link', {
      pageTitle: req.t('accounts:users.createdTitle'),
      account: user.toObject(),
      link,
      created: true,
    });
  });

  router.get('/admin/users/:id', adminOnly, idRoute(), async (req, res) => {
    const { id } = parseParams(idParams, req);
    const account = await getUser(id);
    res.render('accounts/user-detail', {
      pageTitle: account.name,
      account: account.toObject(),
      isSelf: id === (req.user as SessionUser).id,
    });
  });

  router.post('/admin/users/:id/link', adminOnly, idRoute(), async (req, res) => {
    const { id } = parseParams(idParams, req);
    const account = await getUser(id);
    const link = await issueSetPasswordLink(id, req.user as SessionUser, { baseUrl: deps.config.baseUrl, mailer: deps.mailer, now: deps.now() });
    res.render('accounts/user-link', { pageTitle: req.t('accounts:users.linkTitle'), account: account.toObject(), link, created: false });
  });

  router.post('/admin/users/:id/deactivate', adminOnly, idRoute(), async (req, res) => {
    const { id } = parseParams(idParams, req);
    const user = await setUserActive(id, false, req.user as SessionUser, deps.now());
    req.flash('success', req.t('accounts:users.deactivated', { name: user.name }));
    res.redirect(`/admin/users/${id}`);
  });

  router.post('/admin/users/:id/reactivate', adminOnly, idRoute(), async (req, res) => {
    const { id } = parseParams(idParams, req);
    const user = await setUserActive(id, true, req.user as SessionUser, deps.now());
    req.flash('success', req.t('accounts:users.reactivated', { name: user.name }));
    res.redirect(`/admin/users/${id}`);
  });

  return router;
}
