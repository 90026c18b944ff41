/**
 * e-GA pages of the rankings: staff (admins and reviewers) read drafts and published versions;
 * admins compute, recompute, open the reply window, publish, delete and answer objections.
 */
import { Router, type Request, type Response } from 'express';
import type { AppDeps } from '../../deps.js';
import { NotFoundError } from '../../errors.js';
import { actorOf, currentUser, requireRole } from '../../middleware/auth.js';
import { parseForm } from '../../middleware/validate.js';
import { meetingOptions } from '../meetings/meetings.service.js';
import { createDraft, deleteDraft, draftFrom, isReplyWindowOpen, openReplyWindow, publishRanking, recomputeDraft } from './ranking-workflow.service.js';
import { answerObjection, listObjections } from './objections.service.js';
import { getRanking, listRankings } from './rankings.read.js';
import { adminListModel, adminShowModel } from './admin.present.js';
import { breakdownRows, findEntry } from './breakdown.present.js';
import { param } from './rankings.http.js';
import { answerForm, createDraftForm, publishForm, readWeights, recomputeForm, replyWindowForm } from './rankings.validation.js';
import type { Ranking } from './ranking.model.js';

export function createRankingsAdminRouter(deps: AppDeps): Router {
  const router = Router();
  const staff = requireRole('admin', 'reviewer');
  const admin = requireRole('admin');
  const canEdit = (req: Request) => currentUser(req)?.role === 'admin';

  async function renderList(req: Request, res: Response, status = 200, form: { values?: Record<string, unknown>; errors?: Record<string, string> } = {}) {
    const [meetings, rankings] = await Promise.all([meetingOptions(), listRankings()]);
    res.status(status).render('rankings/admin-list', {
      pageTitle: req.t('rankings:admin.title'),
      ...adminListModel({ meetings, rankings, canEdit: canEdit(req), ...form }),
    });
  }

  async function renderShow(req: Request, res: Response, ranking: Ranking, status = 200, extra: Record<string, unknown> = {}) {
    const [meetings, objections] = await Promise.all([meetingOptions(), listObjections(String(ranking._id))]);
    res.status(status).render('rankings/admin-show', {
      pageTitle: req.t('rankings:admin.showTitle'),
      ...adminShowModel({ ranking, meetings, objections, canEdit: canEdit(req), replyOpen: isReplyWindowOpen(ranking, deps.now()) }),
      ...extra,
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
    const draft = await createDraft(actorOf(req), f.meeting, {
      cutoff: f.cutoff,
      gradeBands: { A: f.gradeA, B: f.gradeB, C: f.gradeC },
      awards: { winnersPerPeerGroup: f.winnersPerPeerGroup, mostImproved: f.mostImproved },
      includeCarriedOver: f.includeCarriedOver,
    }, deps.now());
    req.flash('success', req.t('rankings:flash.draftComputed'));
    res.redirect(303, `/admin/rankings/${String(draft._id)}`);
  });

  router.get('/admin/rankings/:id', staff, async (req, res) => {
    await renderShow(req, res, await getRanking(param(req, 'id')));
  });

  router.get('/admin/rankings/:id/institutions/:code', staff, async (req, res) => {
    const ranking = await getRanking(param(req, 'id'));
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
    const current = await getRanking(id);
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
      await renderShow(req, res, await getRanking(id), 400, { errors: r.errors, windowValues: r.values });
      return;
    }
    await openReplyWindow(actorOf(req), id, r.data, deps.now());
    req.flash('success', req.t('rankings:flash.windowOpened'));
    res.redirect(303, `/admin/rankings/${id}`);
  });

  router.post('/admin/rankings/:id/publish', admin, async (req, res) => {
    const id = param(req, 'id');
    const r = parseForm(publishForm, req.body, req.t);
    const note = r.ok ? r.data.note : '';
    const published = await publishRanking(actorOf(req), id, note, deps.now());
    req.flash('success', req.t('rankings:flash.published', { version: published.version }));
    res.redirect(303, `/admin/rankings/${id}`);
  });

  router.post('/admin/rankings/:id/new-version', admin, async (req, res) => {
    const draft = await draftFrom(actorOf(req), param(req, 'id'), deps.now());
    req.flash('success', req.t('rankings:flash.draftComputed'));
    res.redirect(303, `/admin/rankings/${String(draft._id)}`);
  });

  router.post('/admin/rankings/:id/delete', admin, async (req, res) => {
    await deleteDraft(actorOf(req), param(req, 'id'), deps.now());
    req.flash('success', req.t('rankings:flash.deleted'));
    res.redirect(303, '/admin/rankings');
  });

  router.post('/admin/objections/:id/answer', admin, async (req, res) => {
    const r = parseForm(answerForm, req.body, req.t);
    const rankingId = typeof req.body?.ranking === 'string' ? req.body.ranking : '';
    if (!r.ok) {
      if (!/^[0-9a-f]{24}$/i.test(rankingId)) throw new NotFoundError('rankings:objectionNotFound');
      await renderShow(req, res, await getRanking(rankingId), 400, { errors: r.errors, answerFor: param(req, 'id') });
      return;
    }
    const o = await answerObjection(actorOf(req), param(req, 'id'), r.data, deps.now());
    req.flash('success', req.t(r.data.decision === 'accept' ? 'rankings:flash.accepted' : 'rankings:flash.rejected'));
    res.redirect(303, `/admin/rankings/${String(o.ranking)}`);
  });

  return router;
}
