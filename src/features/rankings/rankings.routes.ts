import { Router, type Request, type Response } from 'express';
import multer from 'multer';
import type { AppDeps } from '../../deps.js';
import { INSTITUTION_TYPES, PROGRESS_STATUSES, REGIONS } from '../../domain/reference-data.js';
import { ForbiddenError, NotFoundError } from '../../errors.js';
import { currentUser, requireAuth, requireRole } from '../../middleware/auth.js';
import { httpCache } from '../../middleware/http-cache.js';
import { parseForm, parseQuery } from '../../middleware/validate.js';
import { runUpload } from '../../middleware/upload.js';
import { MeetingModel } from '../meetings/meeting.model.js';
import { checkFiles, deleteFiles, storeFiles } from '../evidence/evidence.service.js';
import { MAX_EVIDENCE_FILE_BYTES, MAX_EVIDENCE_FILES } from '../../domain/progress-rules.js';
import {
  answerObjection,
  createDraft,
  deleteDraft,
  draftFrom,
  fileObjection,
  getOwnDraft,
  getPublished,
  getPublishedEntry,
  getPublishedSummary,
  listPublishedVersions,
  getRanking,
  isReplyWindowOpen,
  listObjections,
  listPublished,
  listRankings,
  openObjectionFile,
  openReplyWindow,
  publishRanking,
  recomputeDraft,
  type Actor,
} from './rankings.service.js';
import { PUBLIC_GROUP_TOP, PUBLIC_LIST_CAP, peerGroups, publicTables, rankingCharts, toApiRanking, toApiSummary, toCsv } from './rankings.present.js';
import { renderPublic } from '../public/render-cached.js';
import {
  answerForm,
  createDraftForm,
  objectionForm,
  publicFilters,
  publishForm,
  readWeights,
  recomputeForm,
  replyWindowForm,
} from './rankings.validation.js';
import type { Ranking } from './ranking.model.js';

function actorOf(req: Request): Actor {
  const u = currentUser(req);
  if (!u) throw new ForbiddenError();
  return { id: u.id, role: u.role, institutionId: u.institutionId, name: u.name, email: u.email };
}

const param = (req: Request, name: string): string => String((req.params as Record<string, string>)[name] ?? '');

async function meetingsById() {
  const meetings = await MeetingModel.find({}, { number: 1, title: 1 }).sort({ number: -1 }).lean();
  return { meetings, byId: new Map(meetings.map((m) => [String(m._id), m])) };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- lean ranking sub-documents in view models */
function findEntry(r: Ranking, code: string): any {
  const wanted = code.trim().toUpperCase();
  return (r.entries as any[]).find((e) => e.code === wanted) ?? null;
}

/** Breakdown lines enriched with resolution titles for display. */
function breakdownRows(r: Ranking, entry: any) {
  const titles = new Map((r.parameters.resolutions as any[]).map((x) => [String(x.resolution), x.title]));
  return entry.breakdown.map((b: any) => ({
    ...b,
    title: titles.get(String(b.resolution)),
    resolutionId: String(b.resolution),
    claimDiffers: b.claimedStatus != null && (b.claimedStatus !== b.status || b.claimedPercent !== b.percent),
  }));
}
/* eslint-enable @typescript-eslint/no-explicit-any */

function adminShowRenderer(now: () => Date) {
  return async function renderAdminShow(req: Request, res: Response, ranking: Ranking, status = 200, extra: Record<string, unknown> = {}) {
  const { byId } = await meetingsById();
  const objections = await listObjections(String(ranking._id));
  const codeOf = new Map(ranking.entries.map((e) => [String(e.institution), e.code]));
  const numberOf = new Map(ranking.parameters.resolutions.map((x) => [String(x.resolution), x.number]));
  const user = currentUser(req);
  res.status(status).render('rankings/admin-show', {
    pageTitle: req.t('rankings:admin.showTitle'),
    ranking,
    meeting: byId.get(String(ranking.meeting)),
    isDraft: ranking.status === 'draft',
    replyOpen: isReplyWindowOpen(ranking, now()),
    canEdit: user?.role === 'admin',
    objections: objections.map((o) => ({
      ...o,
      id: String(o._id),
      code: codeOf.get(String(o.institution)) ?? '',
      number: numberOf.get(String(o.resolution)) ?? '',
      isOpen: o.state === 'open',
    })),
    statuses: PROGRESS_STATUSES,
    groups: peerGroups(ranking, {}).groups,
    ...extra,
  });
  };
}

/** Translated labels the views look up by value: {{lookup @root.labels.types type}}. */
function labelsFor(req: Request) {
  const map = (keys: readonly string[], prefix: string) => Object.fromEntries(keys.map((k) => [k, req.t(`${prefix}.${k}`)]));
  return {
    types: map(INSTITUTION_TYPES, 'rankings:types'),
    statuses: map([...PROGRESS_STATUSES, 'not_reported'], 'rankings:statuses'),
    objectionStates: map(['open', 'accepted', 'rejected'], 'rankings:objectionStates'),
    objectionClass: { open: 'warning', accepted: 'success', rejected: 'muted' },
    gradeClass: { A: 'success', B: 'info', C: 'warning', D: 'danger' },
  };
}

/* eslint-disable @typescript-eslint/no-explicit-any -- award sub-documents with the institution name added */
function namedAwards(r: Ranking) {
  const names = new Map((r.entries as any[]).map((e) => [String(e.institution), e.name]));
  const named = (list: any[] | undefined) => (list ?? []).map((a) => ({ ...a, name: names.get(String(a.institution)) ?? { sw: a.code } }));
  return { winners: named(r.awards?.winners), mostImproved: named(r.awards?.mostImproved), needsImprovement: named(r.awards?.needsImprovement) };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

export function createRankingsRouter(deps: AppDeps): Router {
  const router = Router();
  const renderAdminShow = adminShowRenderer(deps.now);
  router.use(['/admin/rankings', '/admin/objections', '/rankings'], (req, res, next) => {
    res.locals.labels = labelsFor(req);
    next();
  });
  const staff = requireRole('admin', 'reviewer');
  const admin = requireRole('admin');
  const apiCache = httpCache({ cacheControl: 'public, max-age=300' });
  const pageCache = httpCache({ vary: 'Cookie' });

  /* ---------- e-GA administration ---------- */

  async function renderAdminList(req: Request, res: Response, status = 200, form: Record<string, unknown> = {}) {
    const { meetings, byId } = await meetingsById();
    const rankings = await listRankings();
    res.status(status).render('rankings/admin-list', {
      pageTitle: req.t('rankings:admin.title'),
      meetings,
      canEdit: currentUser(req)?.role === 'admin',
      rankings: rankings.map((r) => ({ ...r, id: String(r._id), meeting: byId.get(String(r.meeting)), isDraft: r.status === 'draft' })),
      values: { gradeA: 75, gradeB: 50, gradeC: 25, winnersPerPeerGroup: 3, mostImproved: 'on', ...form.values as object },
      errors: form.errors ?? {},
    });
  }

  router.get('/admin/rankings', staff, async (req, res) => {
    await renderAdminList(req, res);
  });

  router.post('/admin/rankings', admin, async (req, res) => {
    const r = parseForm(createDraftForm, req.body, req.t);
    if (!r.ok) {
      await renderAdminList(req, res, 400, { values: r.values, errors: r.errors });
      return;
    }
    const f = r.data;
    const draft = await createDraft(actorOf(req), f.meeting, {
      cutoff: f.cutoff,
      gradeBands: { A: f.gradeA, B: f.gradeB, C: f.gradeC },
      awards: { winnersPerPeerGroup: f.winnersPerPeerGroup, mostImproved: f.mostImproved },
      includeCarriedOver: f.includeCarriedOver,
    });
    req.flash('success', req.t('rankings:flash.draftComputed'));
    res.redirect(303, `/admin/rankings/${String(draft._id)}`);
  });

  router.get('/admin/rankings/:id', staff, async (req, res) => {
    await renderAdminShow(req, res, await getRanking(param(req, 'id')));
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
    if (!r.ok || errors.length > 0) {
      const fieldErrors: Record<string, string> = r.ok ? {} : r.errors;
      for (const k of errors) fieldErrors[k] = req.t('rankings:invalidWeight');
      await renderAdminShow(req, res, await getRanking(id), 400, { errors: fieldErrors });
      return;
    }
    const current = await getRanking(id);
    const merged = Object.fromEntries(current.parameters.resolutions.map((x) => [String(x.resolution), x.weight]));
    Object.assign(merged, weights);
    await recomputeDraft(actorOf(req), id, { ...(r.data.cutoff ? { cutoff: r.data.cutoff } : {}), weights: merged });
    req.flash('success', req.t('rankings:flash.recomputed'));
    res.redirect(303, `/admin/rankings/${id}`);
  });

  router.post('/admin/rankings/:id/reply-window', admin, async (req, res) => {
    const id = param(req, 'id');
    const r = parseForm(replyWindowForm, req.body, req.t);
    if (!r.ok) {
      await renderAdminShow(req, res, await getRanking(id), 400, { errors: r.errors, windowValues: r.values });
      return;
    }
    await openReplyWindow(actorOf(req), id, r.data);
    req.flash('success', req.t('rankings:flash.windowOpened'));
    res.redirect(303, `/admin/rankings/${id}`);
  });

  router.post('/admin/rankings/:id/publish', admin, async (req, res) => {
    const id = param(req, 'id');
    const r = parseForm(publishForm, req.body, req.t);
    const note = r.ok ? r.data.note : '';
    const published = await publishRanking(actorOf(req), id, note);
    req.flash('success', req.t('rankings:flash.published', { version: published.version }));
    res.redirect(303, `/admin/rankings/${id}`);
  });

  router.post('/admin/rankings/:id/new-version', admin, async (req, res) => {
    const draft = await draftFrom(actorOf(req), param(req, 'id'));
    req.flash('success', req.t('rankings:flash.draftComputed'));
    res.redirect(303, `/admin/rankings/${String(draft._id)}`);
  });

  router.post('/admin/rankings/:id/delete', admin, async (req, res) => {
    await deleteDraft(actorOf(req), param(req, 'id'));
    req.flash('success', req.t('rankings:flash.deleted'));
    res.redirect(303, '/admin/rankings');
  });

  router.post('/admin/objections/:id/answer', staff, async (req, res) => {
    const r = parseForm(answerForm, req.body, req.t);
    const rankingId = typeof req.body?.ranking === 'string' ? req.body.ranking : '';
    if (!r.ok) {
      if (!/^[0-9a-f]{24}$/i.test(rankingId)) throw new NotFoundError('rankings:objectionNotFound');
      await renderAdminShow(req, res, await getRanking(rankingId), 400, { errors: r.errors, answerFor: param(req, 'id') });
      return;
    }
    const o = await answerObjection(actorOf(req), param(req, 'id'), r.data, deps.now());
    req.flash('success', req.t(r.data.decision === 'accept' ? 'rankings:flash.accepted' : 'rankings:flash.rejected'));
    res.redirect(303, `/admin/rankings/${String(o.ranking)}`);
  });

  /* ---------- right of reply: the institution's own draft position ---------- */

  async function renderOwnDraft(req: Request, res: Response, status = 200, form: Record<string, unknown> = {}) {
    const view = await getOwnDraft(actorOf(req), deps.now());
    res.status(status).render('rankings/draft-own', {
      pageTitle: req.t('rankings:draft.title'),
      view,
      lines: view?.entry ? breakdownRows(view.ranking, view.entry) : [],
      statuses: PROGRESS_STATUSES,
      values: form.values ?? {},
      errors: form.errors ?? {},
    });
  }

  router.get('/rankings/draft', requireRole('institution'), async (req, res) => {
    await renderOwnDraft(req, res);
  });

  const evidenceUpload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_EVIDENCE_FILE_BYTES, files: MAX_EVIDENCE_FILES, fields: 20, fieldSize: 64 * 1024 },
  }).array('files', MAX_EVIDENCE_FILES);

  // Multipart form: the CSRF token travels in the query string (see middleware/csrf.ts).
  router.post('/rankings/draft/:id/objections', requireRole('institution'), async (req, res) => {
    const uploadError = await runUpload(evidenceUpload, req, res);
    const r = parseForm(objectionForm, req.body, req.t);
    const incoming = ((req.files as Express.Multer.File[] | undefined) ?? []).filter((f) => f.size > 0 || f.originalname);
    const checked = uploadError ? null : await checkFiles(incoming);
    if (uploadError || !r.ok || (checked && !checked.ok)) {
      const errors: Record<string, string> = r.ok ? {} : { ...r.errors };
      if (uploadError) errors.files = req.t(uploadError, { max: MAX_EVIDENCE_FILES, maxMb: 10 });
      else if (checked && !checked.ok) errors.files = req.t(checked.message, { max: MAX_EVIDENCE_FILES, ...checked.params });
      await renderOwnDraft(req, res, uploadError === 'progress:evidence.tooLargeAny' ? 413 : 400, { values: r.ok ? req.body : r.values, errors });
      return;
    }
    const actor = actorOf(req);
    const stored = checked && checked.ok ? await storeFiles(checked.files, actor.id) : [];
    try {
      await fileObjection(actor, param(req, 'id'), { ...r.data, files: stored }, deps.now());
    } catch (err) {
      await deleteFiles(stored.map((f) => f.fileId));
      throw err;
    }
    req.flash('success', req.t('rankings:flash.objectionFiled'));
    res.redirect(303, '/rankings/draft');
  });

  router.get('/rankings/objections/:id/files/:fileId', requireAuth, async (req, res) => {
    const file = await openObjectionFile(actorOf(req), param(req, 'id'), param(req, 'fileId'));
    const name = encodeURIComponent(file.filename);
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Length', String(file.size));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('Content-Disposition', `attachment; filename="${file.filename.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${name}`);
    file.stream.on('error', () => res.destroy());
    file.stream.pipe(res);
  });

  /* ---------- public pages (no login) ---------- */

  router.get('/rankings', pageCache, async (req, res) => {
    const { byId } = await meetingsById();
    const rankings = await listPublished();
    res.render('rankings/public-list', {
      pageTitle: req.t('rankings:public.listTitle'),
      rankings: rankings.map((r) => ({
        ...r,
        id: String(r._id),
        meeting: byId.get(String(r.meeting)),
        ranked: r.entries.length,
        winners: r.awards?.winners.length ?? 0,
      })),
    });
  });

  router.get('/rankings/:id/download.json', apiCache, async (req, res) => {
    const ranking = await getPublished(param(req, 'id'));
    res.setHeader('Content-Disposition', `attachment; filename="ranking-${String(ranking._id)}-v${ranking.version}.json"`);
    res.type('application/json').send(JSON.stringify(toApiRanking(ranking), null, 2));
  });

  router.get('/rankings/:id/download.csv', apiCache, async (req, res) => {
    const ranking = await getPublished(param(req, 'id'));
    res.setHeader('Content-Disposition', `attachment; filename="ranking-${String(ranking._id)}-v${ranking.version}.csv"`);
    res.type('text/csv; charset=utf-8').send(toCsv(ranking));
  });

  // Published rankings are immutable; the rendered pages are memoised for anonymous visitors by
  // language and URL under the public data stamp (renderPublic), so a published new version
  // (which changes the version list) is picked up like any other write.
  router.get('/rankings/:id', pageCache, async (req, res) => {
    const id = param(req, 'id');
    const filters = parseQuery(publicFilters, req);
    await renderPublic(req, res, 'rankings/public-show', async () => {
      const ranking = await getPublishedSummary(id);
      const { byId } = await meetingsById();
      const versions = await listPublishedVersions(ranking.meeting);
      const tables = publicTables(ranking, filters);
      const awards = namedAwards(ranking);
      return {
        pageTitle: req.t('rankings:public.title', { version: ranking.version }),
        ranking,
        id: String(ranking._id),
        meeting: byId.get(String(ranking.meeting)),
        ...tables,
        groupTop: PUBLIC_GROUP_TOP,
        filters,
        filtered: Boolean(filters.type || filters.region),
        types: INSTITUTION_TYPES,
        regions: REGIONS,
        charts: rankingCharts(ranking, req.t),
        awards: { ...awards, needsImprovement: awards.needsImprovement.slice(0, PUBLIC_LIST_CAP) },
        versions: versions.map((v) => ({ id: String(v._id), version: v.version, publishedAt: v.publishedAt, current: String(v._id) === String(ranking._id) })),
        resolutions: ranking.parameters.resolutions,
      };
    });
  });

  router.get('/rankings/:id/institutions/:code', pageCache, async (req, res) => {
    const id = param(req, 'id');
    const code = param(req, 'code');
    await renderPublic(req, res, 'rankings/institution', async () => {
      const ranking = await getPublishedEntry(id, code);
      const entry = findEntry(ranking, code);
      if (!entry) throw new NotFoundError('rankings:institutionNotRanked');
      return {
        pageTitle: `${entry.code} — ${req.t('rankings:breakdown.title')}`,
        ranking,
        entry,
        lines: breakdownRows(ranking, entry),
        backUrl: `/rankings/${String(ranking._id)}`,
        isDraft: false,
        objections: ranking.objections.filter((o) => o.code === entry.code),
      };
    });
  });

  /* ---------- open data (read-only JSON) ---------- */

  router.get('/api/v1/rankings', apiCache, async (_req, res) => {
    const rankings = await listPublished();
    res.json({ data: rankings.map(toApiSummary) });
  });

  router.get('/api/v1/rankings/:id', apiCache, async (req, res) => {
    const ranking = await getPublished(param(req, 'id'));
    res.json({ data: toApiRanking(ranking) });
  });

  return router;
}
