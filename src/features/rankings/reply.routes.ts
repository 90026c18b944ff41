/**
 * The right of reply (institution focal persons): the institution's own draft position while a
 * reply window is open, objections with evidence, and the objection files (also for staff).
 */
import { Router, type Request, type Response } from 'express';
import multer from 'multer';
import type { AppDeps } from '../../deps.js';
import { PROGRESS_STATUSES } from '../../domain/reference-data.js';
import { MAX_EVIDENCE_FILE_BYTES, MAX_EVIDENCE_FILE_MB, MAX_EVIDENCE_FILES } from '../../domain/progress-rules.js';
import { actorOf, requireAuth, requireRole } from '../../middleware/auth.js';
import { parseForm } from '../../middleware/validate.js';
import { runUpload } from '../../middleware/upload.js';
import { checkFiles, deleteFiles, storeFiles } from '../evidence/evidence.service.js';
import { fileObjection, getOwnDraft, openObjectionFile } from './objections.service.js';
import { breakdownRows } from './breakdown.present.js';
import { param } from './rankings.http.js';
import { objectionForm } from './rankings.validation.js';
import { sendStoredFile } from '../evidence/send-file.js';

export function createRankingsReplyRouter(deps: AppDeps): Router {
  const router = Router();
  const institution = requireRole('institution');

  async function renderOwnDraft(req: Request, res: Response, status = 200, form: { values?: unknown; errors?: Record<string, string> } = {}) {
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

  router.get('/rankings/draft', institution, async (req, res) => {
    await renderOwnDraft(req, res);
  });

  const evidenceUpload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_EVIDENCE_FILE_BYTES, files: MAX_EVIDENCE_FILES, fields: 20, fieldSize: 64 * 1024 },
  }).array('files', MAX_EVIDENCE_FILES);

  // Multipart form: the CSRF token travels in the query string (see middleware/csrf.ts).
  router.post('/rankings/draft/:id/objections', institution, async (req, res) => {
    const uploadError = await runUpload(evidenceUpload, req, res);
    const r = parseForm(objectionForm, req.body, req.t);
    const incoming = ((req.files as Express.Multer.File[] | undefined) ?? []).filter((f) => f.size > 0 || f.originalname);
    const checked = uploadError ? null : await checkFiles(incoming);
    if (uploadError || !r.ok || (checked && !checked.ok)) {
      const errors: Record<string, string> = r.ok ? {} : { ...r.errors };
      if (uploadError) errors.files = req.t(uploadError, { max: MAX_EVIDENCE_FILES, maxMb: MAX_EVIDENCE_FILE_MB });
      else if (checked && !checked.ok) errors.files = req.t(checked.message, { max: MAX_EVIDENCE_FILES, ...checked.params });
      await renderOwnDraft(req, res, uploadError === 'progress:evidence.tooLargeAny' ? 413 : 400, { values: r.ok ? req.body : r.values, errors });
      return;
    }
    const actor = actorOf(req);
    const stored = checked && checked.ok ? await storeFiles(checked.files, actor.id) : [];
    try {
      await fileObjection(actor, param(req, 'id'), { ...r.data, files: stored }, deps.now());
    } catch (err) {
      // Nothing half-written: files of a refused objection are removed again.
      await deleteFiles(stored.map((f) => f.fileId));
      throw err;
    }
    req.flash('success', req.t('rankings:flash.objectionFiled'));
    res.redirect(303, '/rankings/draft');
  });

  router.get('/rankings/objections/:id/files/:fileId', requireAuth, async (req, res) => {
    const file = await openObjectionFile(actorOf(req), param(req, 'id'), param(req, 'fileId'));
    sendStoredFile(res, file, 'attachment');
  });

  return router;
}
