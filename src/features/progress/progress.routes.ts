import { Router, type Request, type Response, type NextFunction } from 'express';
import multer from 'multer';
import type { FeatureDeps } from '../index.js';
import { PROGRESS_STATUSES, type ProgressStatus } from '../../domain/reference-data.js';
import { MAX_EVIDENCE_FILE_BYTES, MAX_EVIDENCE_FILE_MB, MAX_EVIDENCE_FILES } from '../../domain/progress-rules.js';
import { ValidationError } from '../../errors.js';
import { requireAuth, requireRole, type SessionUser } from '../../middleware/auth.js';
import { parseForm, parseParams, parseQuery } from '../../middleware/validate.js';
import { runUpload } from '../../middleware/upload.js';
import { openEvidence } from '../evidence/evidence.service.js';
import { assignOwner, focalPersons, getDashboard, getHistory, getItem, submitClaim } from './progress.service.js';
import { ProgressConflictError } from './item-writer.js';
import { applyBulk, exportCsv, latestNarratives, parseCsv, type BulkRowInput, type BulkResult } from './bulk.service.js';
import { claimForm, fileParams, historyQuery, itemParams, ownerForm } from './progress.validation.js';
import { sendStoredFile } from '../evidence/send-file.js';

type Upload = { originalname: string; buffer: Buffer; size: number };

const user = (req: Request) => req.user as SessionUser;

function translateFields(req: Request, fields: Record<string, string>, params: Record<string, unknown> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, req.t(v, { max: MAX_EVIDENCE_FILES, ...params })]));
}

/**
 * A refused report stores nothing, so files chosen with it are not kept: the form says so, naming
 * them, instead of letting them silently disappear (a file input cannot be refilled by a server).
 */
function attachAgain(req: Request, errors: Record<string, string>, files: readonly Upload[]): void {
  if (files.length === 0 || errors.files) return;
  errors.files = req.t('progress:evidence.attachAgain', { count: files.length, names: files.map((f) => f.originalname).join(', ') });
}

/** Institution pages: dashboard, report form, history, owner, bulk form, CSV round trip; evidence files. */
export function createProgressRouter(deps: FeatureDeps): Router {
  const router = Router();
  const institutionOnly = requireRole('institution');
  const evidenceUpload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_EVIDENCE_FILE_BYTES, files: MAX_EVIDENCE_FILES, fields: 50, fieldSize: 64 * 1024 },
  }).array('files', MAX_EVIDENCE_FILES);
  const csvUpload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 2 * 1024 * 1024, files: 1, fields: 10 } }).single('file');

  router.get('/progress', (req: Request, res: Response, next: NextFunction) => {
    // e-GA staff have no institution dashboard; their work list is the review queue.
    if (req.user && req.user.role !== 'institution') return res.redirect('/review');
    next();
  }, institutionOnly, async (req, res) => {
    const dashboard = await getDashboard(user(req), deps.now());
    const counts = {
      total: dashboard.rows.length,
      noReport: dashboard.rows.filter((r) => r.item.state === 'no_report').length,
      returned: dashboard.rows.filter((r) => r.item.state === 'returned').length,
      submitted: dashboard.rows.filter((r) => r.item.state === 'submitted').length,
      verified: dashboard.rows.filter((r) => r.item.state === 'verified').length,
      overdue: dashboard.rows.filter((r) => r.overdue).length,
      dueSoon: dashboard.rows.filter((r) => r.dueSoon).length,
    };
    res.render('progress/dashboard', { pageTitle: req.t('progress:dashboard.title'), ...dashboard, counts });
  });

  const renderItem = async (req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) => {
    const { id } = parseParams(itemParams, req);
    const ctx = await getItem(user(req), id, deps.now());
    const dashboardUsers = req.user?.role === 'institution' ? await focalPersons(ctx.institution._id) : [];
    const claim = ctx.latestClaim;
    res.status(status).render('progress/item', {
      pageTitle: req.t('progress:item.title', { number: ctx.resolution.number }),
      ...ctx,
      users: dashboardUsers,
      statuses: PROGRESS_STATUSES,
      canSubmit: req.user?.role === 'institution' && ctx.window === 'open',
      maxFiles: MAX_EVIDENCE_FILES,
      maxMb: MAX_EVIDENCE_FILE_MB,
      values: {
        status: claim?.status ?? 'not_started',
        percent: claim?.percent ?? 0,
        narrative: claim?.narrative ?? '',
        links: '',
        keep: (claim?.evidence ?? []).map((e) => (e.kind === 'file' ? String(e.fileId) : e.url)),
        revision: ctx.item.revision,
      },
      errors: {},
      ...extra,
    });
  };

  router.get('/progress/items/:id', requireRole('institution', 'reviewer', 'admin'), async (req, res) => {
    if (req.user!.role !== 'institution') return res.redirect(`/review/items/${String(req.params.id)}`);
    await renderItem(req, res, 200);
  });

  router.post('/progress/items/:id/reports', institutionOnly, async (req, res) => {
    const uploadError = await runUpload(evidenceUpload, req, res);
    const { id } = parseParams(itemParams, req);
    const files = ((req.files as Upload[] | undefined) ?? []).map((f) => ({ originalname: f.originalname, buffer: f.buffer, size: f.size }));
    const parsed = parseForm(claimForm, req.body, req.t);
    const submitted = { ...(req.body as Record<string, unknown>), keep: ([] as unknown[]).concat((req.body as { keep?: unknown })?.keep ?? []) };
    if (uploadError || !parsed.ok) {
      const errors = parsed.ok ? {} : parsed.errors;
      if (uploadError) errors.files = req.t(uploadError, { max: MAX_EVIDENCE_FILES, maxMb: MAX_EVIDENCE_FILE_MB });
      else attachAgain(req, errors, files);
      return renderItem(req, res, uploadError === 'progress:evidence.tooLargeAny' ? 413 : 400, { errors, values: submitted });
    }
    const form = parsed.data;
    try {
      await submitClaim(
        user(req),
        id,
        {
          expectedRevision: form.revision,
          status: form.status as ProgressStatus,
          percent: form.percent,
          narrative: form.narrative,
          links: form.links.split(/\r?\n/).map((l) => l.trim()).filter(Boolean),
          keep: form.keep,
          files,
        },
        deps.now(),
      );
    } catch (err) {
      if (err instanceof ValidationError) {
        const errors = translateFields(req, err.fields, { ...err.params, maxMb: MAX_EVIDENCE_FILE_MB });
        attachAgain(req, errors, files);
        return renderItem(req, res, 400, { errors, values: submitted });
      }
      if (err instanceof ProgressConflictError) {
        // Keep what the user typed; show the newer version next to it.
        return renderItem(req, res, 409, { conflict: err.latest, values: { ...submitted, revision: err.latest.revision }, errors: {} });
      }
      throw err;
    }
    req.flash('success', req.t('progress:item.saved'));
    res.redirect(`/progress/items/${id}`);
  });

  router.post('/progress/items/:id/owner', institutionOnly, async (req, res) => {
    const { id } = parseParams(itemParams, req);
    const parsed = parseForm(ownerForm, req.body, req.t);
    if (!parsed.ok) return renderItem(req, res, 400, { errors: { owner: parsed.errors.owner ?? req.t('validation:invalid') } });
    try {
      await assignOwner(user(req), id, parsed.data.owner, deps.now());
    } catch (err) {
      if (err instanceof ValidationError) return renderItem(req, res, 400, { errors: translateFields(req, err.fields) });
      throw err;
    }
    req.flash('success', req.t('progress:owner.saved'));
    res.redirect(`/progress/items/${id}`);
  });

  router.get('/progress/items/:id/history', requireRole('institution', 'reviewer', 'admin'), async (req, res) => {
    const { id } = parseParams(itemParams, req);
    const { page } = parseQuery(historyQuery, req);
    const history = await getHistory(user(req), id, deps.now(), { page });
    const { ctx } = history;
    res.render('progress/history', { pageTitle: req.t('progress:history.title', { number: ctx.resolution.number }), ...ctx, entries: history.entries, page: history.page, pages: history.pages });
  });

  /** The bulk form; after a refused save it shows what the user typed, not the stored values. */
  const renderBulk = async (req: Request, res: Response, status: number, submitted: Record<string, unknown> | null = null, extra: Record<string, unknown> = {}) => {
    const dashboard = await getDashboard(user(req), deps.now());
    const narratives = await latestNarratives(dashboard.rows.map((r) => r.item._id));
    const pick = (key: string, fallback: unknown) => (submitted && typeof submitted[key] === 'string' ? submitted[key] : fallback);
    const rows = dashboard.rows.map((r) => {
      const id = String(r.item._id);
      return {
        ...r,
        open: r.window === 'open',
        v: {
          status: pick(`status_${id}`, r.item.claimed?.status ?? ''),
          percent: pick(`percent_${id}`, r.item.claimed?.percent ?? ''),
          narrative: pick(`narrative_${id}`, narratives.get(id) ?? ''),
          revision: pick(`revision_${id}`, r.item.revision),
        },
      };
    });
    res.status(status).render('progress/bulk', { pageTitle: req.t('progress:bulk.title'), rows, statuses: PROGRESS_STATUSES, ...extra });
  };

  const translateResult = (req: Request, result: BulkResult) =>
    result.verdicts.map((v) => ({ ...v, messages: v.errors.map((e) => req.t(e.key, { max: MAX_EVIDENCE_FILES, ...(e.params ?? {}) })) }));

  router.get('/progress/bulk', institutionOnly, (req, res) => renderBulk(req, res, 200));

  router.post('/progress/bulk', institutionOnly, async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const ids = ([] as unknown[]).concat(body.item ?? []).filter((x): x is string => typeof x === 'string').slice(0, 500);
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    const rows: BulkRowInput[] = ids.map((itemId, i) => ({
      line: i + 1,
      itemId,
      revision: str(body[`revision_${itemId}`]),
      status: str(body[`status_${itemId}`]),
      percent: str(body[`percent_${itemId}`]),
      narrative: str(body[`narrative_${itemId}`]),
    }));
    const result = await applyBulk(user(req), rows, deps.now());
    if (!result.ok) return renderBulk(req, res, 400, body, { result: { ...result, verdicts: translateResult(req, result) } });
    req.flash('success', req.t('progress:bulk.saved', { count: result.written }));
    res.redirect('/progress');
  });

  router.get('/progress/export.csv', institutionOnly, async (req, res) => {
    const csv = await exportCsv(user(req), deps.now(), req.lang);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="maendeleo.csv"');
    res.send(csv);
  });

  router.get('/progress/import', institutionOnly, (req, res) => res.render('progress/import', { pageTitle: req.t('progress:import.title') }));

  router.post('/progress/import', institutionOnly, async (req, res) => {
    const uploadError = await runUpload(csvUpload, req, res);
    const file = req.file as Upload | undefined;
    const render = (status: number, extra: Record<string, unknown>) =>
      res.status(status).render('progress/import', { pageTitle: req.t('progress:import.title'), ...extra });
    if (uploadError || !file) return render(400, { error: req.t(uploadError ?? 'progress:import.noFile', { max: 1 }) });
    const parsed = parseCsv(file.buffer);
    if (!parsed.ok) return render(400, { error: req.t(parsed.key) });
    const result = await applyBulk(user(req), parsed.rows, deps.now());
    if (!result.ok) return render(400, { result: { ...result, verdicts: translateResult(req, result) } });
    return render(200, { result: { ...result, verdicts: translateResult(req, result) }, done: true });
  });

  router.get('/evidence/:fileId', requireAuth, async (req, res) => {
    const { fileId } = parseParams(fileParams, req);
    const file = await openEvidence(user(req), fileId);
    const download = req.query.download === '1' || !file.inline;
    sendStoredFile(res, file, download ? 'attachment' : 'inline');
  });

  return router;
}
