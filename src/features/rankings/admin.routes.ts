/**
 * e-GA pages of the rankings: staff (admins and reviewers) read drafts and published versions;
 * admins compute, recompute, open the reply window, publish, delete and answer objections.
 */
import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../../deps.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import { actorOf, currentUser, requireRole } from '../../middleware/auth.js';
import { parseForm, parseQuery } from '../../middleware/validate.js';
import { meetingOptions } from '../meetings/meetings.service.js';
import {
  createDraft,
  deleteDraft,
  draftFrom,
  isReplyWindowOpen,
  openReplyWindow,
  previewPublication,
  publishRanking,
  recomputeDraft,
} from './ranking-workflow.service.js';
import { answerObjection, listObjections } from './objections.service.js';
import { getRankingEntry, getRankingOverview, listRankings } from './rankings.read.js';
import { adminListModel, adminShowModel, deleteConfirmModel, publishConfirmModel } from './admin.present.js';
import { breakdownRows, findEntry } from './breakdown.present.js';
import { param } from './rankings.http.js';
import {
  adminPageQuery,
  answerForm,
  createDraftForm,
  deleteForm,
  publishForm,
  readWeights,
  recomputeForm,
  replyWindowForm,
} from './rankings.validation.js';
import type { Ranking } from './ranking.model.js';
import { attempt, readForm, submittedValues } from '../csv/admin-forms.js';
import { addCategory, removeCategory } from './award-categories.service.js';
import { certificatesOf, renderCertificates } from './certificates.js';
import { notifyDraftOpened, notifyPublished } from './rankings.notify.js';
import { CATEGORY_GROUPINGS } from '../../domain/award-categories.js';
import { GRADES } from '../../domain/scoring.js';
import { parseFinancialYear } from '../../domain/assessment-period.js';
import { categoryForm, readCriteria } from './rankings.validation.js';

export function createRankingsAdminRouter(deps: AppDeps): Router {
  const router = Router();
  const staff = requireRole('admin', 'reviewer');
  const admin = requireRole('admin');
  const canEdit = (req: Request) => currentUser(req)?.role === 'admin';

  async function renderList(req: Request, res: Response, status = 200, form: { values?: Record<string, unknown>; errors?: Record<string, string> } = {}) {
    const [meetings, rankings] = await Promise.all([meetingOptions(), listRankings()]);
    res.status(status).render('rankings/admin-list', {
      pageTitle: req.t('rankings:admin.title'),
      ...adminListModel({ meetings, rankings, canEdit: canEdit(req), now: deps.now(), ...form }),
    });
  }

  async function renderShow(
    req: Request,
    res: Response,
    ranking: Ranking,
    status = 200,
    extra: { errors?: Record<string, string>; windowValues?: Record<string, unknown>; answer?: Parameters<typeof adminShowModel>[0]['answer'] } = {},
  ) {
    const [meetings, objections] = await Promise.all([meetingOptions(), listObjections(String(ranking._id))]);
    const { page } = parseQuery(adminPageQuery, req);
    const { answer, ...rest } = extra;
    res.status(status).render('rankings/admin-show', {
      pageTitle: req.t('rankings:admin.showTitle'),
      ...adminShowModel({ ranking, meetings, objections, canEdit: canEdit(req), replyOpen: isReplyWindowOpen(ranking, deps.now()), page, answer }),
      ...rest,
    });
  }

  async function renderPublishConfirm(req: Request, res: Response, id: string, status = 200, form: { values?: Record<string, unknown>; errors?: Record<string, string> } = {}) {
    const [ranking, meetings, preview] = await Promise.all([getRankingOverview(id), meetingOptions(), previewPublication(actorOf(req), id, deps.now())]);
    res.status(status).render('rankings/admin-confirm-publish', {
      pageTitle: req.t('rankings:confirm.publishTitle'),
      ...publishConfirmModel({ ranking, meetings, preview }),
      values: form.values ?? {},
      errors: form.errors ?? {},
    });
  }

  async function renderDeleteConfirm(req: Request, res: Response, id: string, status = 200, errors: Record<string, string> = {}) {
    const [ranking, meetings, objections] = await Promise.all([getRankingOverview(id), meetingOptions(), listObjections(id)]);
    if (ranking.status !== 'draft') throw new NotFoundError('rankings:notFound');
    res.status(status).render('rankings/admin-confirm-delete', {
      pageTitle: req.t('rankings:confirm.deleteTitle'),
      ...deleteConfirmModel({ ranking, meetings, objections }),
      errors,
    });
  }

  router.get('/admin/rankings', staff, async (req, res) => {
    await renderList(req, res);
  });

  router.post('/admin/rankings', admin, async (req, res) => {
    const r = parseForm(createDraftForm, req.body, req.t);
    if (!r.ok) {
      await renderList(req, res, 400, { values: r.values, errors: r.errors });
      return;
    }
    const f = r.data;
    const period = f.period ? parseFinancialYear(f.period) : null;
    if (f.period && !period) {
      await renderList(req, res, 400, { values: submittedValues(req), errors: { period: req.t('awards:period.invalid') } });
      return;
    }
    const draft = await createDraft(actorOf(req), f.meeting, {
      ...(period ? { period } : {}),
      needsImprovementVisibility: f.needsImprovementVisibility,
      cutoff: f.cutoff,
      gradeBands: { A: f.gradeA, B: f.gradeB, C: f.gradeC },
      awards: { winnersPerPeerGroup: f.winnersPerPeerGroup, mostImproved: f.mostImproved },
      includeCarriedOver: f.includeCarriedOver,
    }, deps.now());
    req.flash('success', req.t('rankings:flash.draftComputed'));
    res.redirect(303, `/admin/rankings/${String(draft._id)}`);
  });

  router.get('/admin/rankings/:id', staff, async (req, res) => {
    await renderShow(req, res, await getRankingOverview(param(req, 'id')));
  });

  router.get('/admin/rankings/:id/institutions/:code', staff, async (req, res) => {
    const ranking = await getRankingEntry(param(req, 'id'), param(req, 'code'));
    const entry = findEntry(ranking, param(req, 'code'));
    if (!entry) throw new NotFoundError('rankings:institutionNotRanked');
    res.render('rankings/institution', {
      pageTitle: `${entry.code} — ${req.t('rankings:breakdown.title')}`,
      ranking,
      entry,
      lines: breakdownRows(ranking, entry),
      backUrl: `/admin/rankings/${String(ranking._id)}`,
      isDraft: ranking.status === 'draft',
    });
  });

  router.post('/admin/rankings/:id/recompute', admin, async (req, res) => {
    const id = param(req, 'id');
    const r = parseForm(recomputeForm, req.body, req.t);
    const { weights, errors } = readWeights((req.body ?? {}) as Record<string, unknown>);
    const current = await getRankingOverview(id);
    if (!r.ok || errors.length > 0) {
      const fieldErrors: Record<string, string> = r.ok ? {} : r.errors;
      for (const k of errors) fieldErrors[k] = req.t('rankings:invalidWeight');
      await renderShow(req, res, current, 400, { errors: fieldErrors });
      return;
    }
    const merged = Object.fromEntries(current.parameters.resolutions.map((x) => [String(x.resolution), x.weight]));
    Object.assign(merged, weights);
    await recomputeDraft(actorOf(req), id, deps.now(), { ...(r.data.cutoff ? { cutoff: r.data.cutoff } : {}), weights: merged });
    req.flash('success', req.t('rankings:flash.recomputed'));
    res.redirect(303, `/admin/rankings/${id}`);
  });

  router.post('/admin/rankings/:id/reply-window', admin, async (req, res) => {
    const id = param(req, 'id');
    const r = parseForm(replyWindowForm, req.body, req.t);
    if (!r.ok) {
      await renderShow(req, res, await getRankingOverview(id), 400, { errors: r.errors, windowValues: r.values });
      return;
    }
    await openReplyWindow(actorOf(req), id, r.data, deps.now());
    await notifyDraftOpened({ mailer: deps.mailer, baseUrl: deps.config.baseUrl, now: deps.now() }, await getRankingOverview(id));
    req.flash('success', req.t('rankings:flash.windowOpened'));
    res.redirect(303, `/admin/rankings/${id}`);
  });

  // Publishing is irreversible: the admin page links to a confirmation page that says what will
  // happen (or why it cannot), and only its explicit "yes" publishes.
  router.get('/admin/rankings/:id/publish', admin, async (req, res) => {
    await renderPublishConfirm(req, res, param(req, 'id'));
  });

  router.post('/admin/rankings/:id/publish', admin, async (req, res) => {
    const id = param(req, 'id');
    const r = parseForm(publishForm, req.body, req.t);
    if (!r.ok) {
      await renderPublishConfirm(req, res, id, 400, { values: r.values, errors: r.errors });
      return;
    }
    let published;
    try {
      published = await publishRanking(actorOf(req), id, r.data.note, deps.now());
    } catch (err) {
      // A missing note (new version) or a cutoff still ahead: shown on the confirmation page.
      if (!(err instanceof ValidationError)) throw err;
      const errors = Object.fromEntries(Object.entries(err.fields).map(([k, key]) => [k, req.t(key)]));
      await renderPublishConfirm(req, res, id, 400, { values: { note: r.data.note }, errors });
      return;
    }
    await notifyPublished({ mailer: deps.mailer, baseUrl: deps.config.baseUrl, now: deps.now() }, published);
    req.flash('success', req.t('rankings:flash.published', { version: published.version }));
    res.redirect(303, `/admin/rankings/${id}`);
  });

  router.post('/admin/rankings/:id/new-version', admin, async (req, res) => {
    const draft = await draftFrom(actorOf(req), param(req, 'id'), deps.now());
    req.flash('success', req.t('rankings:flash.draftComputed'));
    res.redirect(303, `/admin/rankings/${String(draft._id)}`);
  });

  router.get('/admin/rankings/:id/delete', admin, async (req, res) => {
    await renderDeleteConfirm(req, res, param(req, 'id'));
  });

  router.post('/admin/rankings/:id/delete', admin, async (req, res) => {
    const r = parseForm(deleteForm, req.body, req.t);
    if (!r.ok) {
      await renderDeleteConfirm(req, res, param(req, 'id'), 400, r.errors);
      return;
    }
    await deleteDraft(actorOf(req), param(req, 'id'), deps.now());
    req.flash('success', req.t('rankings:flash.deleted'));
    res.redirect(303, '/admin/rankings');
  });

  const renderCategoryForm = async (req: Request, res: Response, ranking: Ranking, status: number, form: { values?: Record<string, unknown>; errors?: Record<string, string> } = {}) => {
    res.status(status).render('rankings/category-form', {
      pageTitle: req.t('awards:form.title'),
      ranking,
      resolutions: ranking.parameters.resolutions.map((r) => ({ ...r, id: String(r.resolution), field: `crit_${String(r.resolution)}` })),
      groupings: CATEGORY_GROUPINGS,
      grades: GRADES,
      values: { grouping: 'maturity', top: 3, ...form.values },
      errors: form.errors ?? {},
    });
  };

  router.get('/admin/rankings/:id/categories/new', admin, async (req, res) => {
    const ranking = await getRankingOverview(param(req, 'id'));
    if (ranking.status !== 'draft') throw new NotFoundError('rankings:notFound');
    await renderCategoryForm(req, res, ranking, 200);
  });

  router.post('/admin/rankings/:id/categories', admin, async (req, res) => {
    const id = param(req, 'id');
    const form = readForm(categoryForm, req);
    const { criteria, errors: criteriaErrors } = readCriteria((req.body ?? {}) as Record<string, unknown>);
    const outcome = form.ok && criteriaErrors.length === 0
      ? await attempt(req, () =>
          addCategory(actorOf(req), id, {
            name: { sw: form.data.nameSw, ...(form.data.nameEn ? { en: form.data.nameEn } : {}) },
            description: { sw: form.data.descriptionSw, ...(form.data.descriptionEn ? { en: form.data.descriptionEn } : {}) },
            grouping: form.data.grouping,
            criteria,
            winners: { top: form.data.top, minScore: form.data.minScore ?? null, minGrade: form.data.minGrade ?? null },
          }, deps.now()),
        )
      : { ok: false as const, status: 400, errors: form.ok ? {} : form.errors, values: submittedValues(req) };
    if (!outcome.ok) {
      const errors = { ...outcome.errors };
      if (criteriaErrors.length > 0) errors.criteria = req.t('awards:errors.weight');
      return renderCategoryForm(req, res, await getRankingOverview(id), outcome.status, { values: outcome.values, errors });
    }
    req.flash('success', req.t('awards:flash.added', { name: outcome.data.name.sw }));
    res.redirect(303, `/admin/rankings/${id}#categories-h`);
  });

  router.post('/admin/rankings/:id/categories/:key/delete', admin, async (req, res) => {
    const id = param(req, 'id');
    await removeCategory(actorOf(req), id, param(req, 'key'), deps.now());
    req.flash('success', req.t('awards:flash.removed'));
    res.redirect(303, `/admin/rankings/${id}#categories-h`);
  });

  // Certificates of a published ranking's category winners: one, or all as one multi-page PDF.
  const sendCertificates = async (res: Response, ranking: Ranking, filename: string, only?: { key: string; institution: string }) => {
    if (ranking.status !== 'published') throw new NotFoundError('rankings:notFound');
    const meeting = (await meetingOptions()).find((m) => String(m._id) === String(ranking.meeting));
    const certs = certificatesOf(ranking, meeting?.number ?? 0, deps.config.baseUrl, only);
    if (certs.length === 0) throw new NotFoundError('awards:errors.notFound');
    const pdf = await renderCertificates(certs);
    res.setHeader('Content-Disposition', `attachment; filename="${filename}"`);
    res.type('application/pdf').send(pdf);
  };

  router.get('/admin/rankings/:id/certificates.pdf', staff, async (req, res) => {
    const ranking = await getRankingOverview(param(req, 'id'));
    await sendCertificates(res, ranking, `vyeti-tuzo-${String(ranking._id)}-v${ranking.version ?? 0}.pdf`);
  });

  router.get('/admin/rankings/:id/certificates/:key/:file', staff, async (req, res) => {
    const m = /^([0-9a-f]{24})\.pdf$/i.exec(param(req, 'file'));
    if (!m) throw new NotFoundError('awards:errors.notFound');
    const ranking = await getRankingOverview(param(req, 'id'));
    await sendCertificates(res, ranking, `cheti-${param(req, 'key')}-${m[1]}.pdf`, { key: param(req, 'key'), institution: m[1].toLowerCase() });
  });

  router.post('/admin/objections/:id/answer', admin, async (req, res) => {
    const r = parseForm(answerForm, req.body, req.t);
    const rankingId = typeof req.body?.ranking === 'string' ? req.body.ranking : '';
    if (!r.ok) {
      if (!/^[0-9a-f]{24}$/i.test(rankingId)) throw new NotFoundError('rankings:objectionNotFound');
      await renderShow(req, res, await getRankingOverview(rankingId), 400, { errors: r.errors, answer: { objectionId: param(req, 'id'), values: r.values, errors: r.errors } });
      return;
    }
    const o = await answerObjection(actorOf(req), param(req, 'id'), r.data, deps.now());
    req.flash('success', req.t(r.data.decision === 'accept' ? 'rankings:flash.accepted' : 'rankings:flash.rejected'));
    res.redirect(303, `/admin/rankings/${String(o.ranking)}`);
  });

  return router;
}
