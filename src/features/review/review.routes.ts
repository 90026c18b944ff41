import { Router, type Request, type Response } from 'express';
import type { FeatureDeps } from '../index.js';
import { INSTITUTION_TYPES, PROGRESS_STATUSES, REGIONS } from '../../domain/reference-data.js';
import { canAct, type WorkflowState } from '../../domain/progress-workflow.js';
import { ValidationError } from '../../errors.js';
import { requireRole, type SessionUser } from '../../middleware/auth.js';
import { parseForm, parseParams, parseQuery } from '../../middleware/validate.js';
import { InstitutionModel, type Institution } from '../institutions/institution.model.js';
import { MeetingModel, type Meeting } from '../meetings/meeting.model.js';
import { ResolutionModel, type Resolution } from '../resolutions/resolution.model.js';
import { getHistory, openMeetings } from '../progress/progress.service.js';
import { ProgressConflictError } from '../progress/item-writer.js';
import { itemParams } from '../progress/progress.validation.js';
import { previewKind } from '../evidence/evidence.service.js';
import {
  assessDirectly,
  claimedVsVerified,
  extendWindow,
  listExtensions,
  listQueue,
  nextInQueue,
  QUEUE_SORTS,
  QUEUE_STATES,
  returnClaim,
  verifyClaim,
  type ReviewDeps,
} from './review.service.js';
import { gapsCsv, presentGaps } from './gaps.present.js';
import { assessForm, extensionForm, gapsQuery, queueQuery, returnForm, verifyForm } from './review.validation.js';

const user = (req: Request) => req.user as SessionUser;

/** A service's ValidationError as field messages in the user's language. */
function fieldMessages(req: Request, err: ValidationError): Record<string, string> {
  return Object.fromEntries(Object.entries(err.fields).map(([k, v]) => [k, req.t(v)]));
}

/** Runs a service write; a ValidationError comes back as field messages for the form, anything else is thrown. */
async function withFieldErrors<T>(req: Request, write: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; errors: Record<string, string> }> {
  try {
    return { ok: true, value: await write() };
  } catch (err) {
    if (err instanceof ValidationError) return { ok: false, errors: fieldMessages(req, err) };
    throw err;
  }
}

async function filterOptions() {
  const [meetings, resolutions] = await Promise.all([
    MeetingModel.find().sort({ number: -1 }).select({ number: 1, title: 1 }).lean<Meeting[]>(),
    ResolutionModel.find().sort({ number: 1 }).select({ number: 1, title: 1, meeting: 1 }).lean<Resolution[]>(),
  ]);
  const meetingNo = new Map(meetings.map((m) => [String(m._id), m.number]));
  return {
    meetings,
    resolutions: resolutions
      .map((r) => ({ ...r, meetingNumber: meetingNo.get(String(r.meeting)) ?? 0 }))
      .sort((a, b) => b.meetingNumber - a.meetingNumber || a.number - b.number),
    types: INSTITUTION_TYPES,
    regions: REGIONS,
    states: QUEUE_STATES,
  };
}

/** e-GA verification: queue, review page with verify/return/assess, claimed-vs-verified gaps, window extensions. */
export function createReviewRouter(deps: FeatureDeps): Router {
  const router = Router();
  const staff = requireRole('reviewer', 'admin');
  const reviewDeps = (): ReviewDeps => ({ now: deps.now(), mailer: deps.mailer, baseUrl: deps.config.baseUrl });

  router.get('/review', staff, async (req, res) => {
    const filter = parseQuery(queueQuery, req);
    const result = await listQueue(user(req), filter, deps.now());
    res.render('review/queue', {
      pageTitle: req.t('review:queue.title'),
      ...result,
      filter,
      page: filter.page,
      sorts: QUEUE_SORTS,
      showVerified: filter.state === 'verified',
      ...(await filterOptions()),
    });
  });

  const renderItem = async (req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) => {
    const { id } = parseParams(itemParams, req);
    // The review page shows the last versions only (diffs for those alone); the rest is on the history page.
    const { ctx, entries } = await getHistory(user(req), id, deps.now(), { perPage: 10 });
    const actor = user(req);
    const state = ctx.item.state as WorkflowState;
    const inst = String(ctx.item.institution);
    const can = (a: 'verify' | 'return' | 'assess') => canAct(actor, a, inst, state);
    const ownInstitution = can('assess').allowed === false && (can('assess') as { reason: string }).reason === 'own_institution';
    // After a decision the reviewer goes straight on to the report that has waited longest.
    const nextItemId = state !== 'submitted' ? await nextInQueue(actor, id) : null;
    res.status(status).render('review/item', {
      pageTitle: req.t('review:item.title', { number: ctx.resolution.number, institution: ctx.institution.code }),
      nextItemId,
      ...ctx,
      latestClaim: ctx.latestClaim ? { ...ctx.latestClaim, evidence: ctx.latestClaim.evidence.map((e) => ({ ...e, preview: previewKind(e.contentType) })) } : null,
      entries,
      statuses: PROGRESS_STATUSES,
      canVerify: can('verify').allowed,
      canReturn: can('return').allowed,
      canAssess: can('assess').allowed,
      ownInstitution,
      gap: ctx.item.claimed && ctx.item.verified ? ctx.item.claimed.percent - ctx.item.verified.percent : null,
      values: {
        status: ctx.item.claimed?.status ?? ctx.item.verified?.status ?? 'not_started',
        percent: ctx.item.claimed?.percent ?? ctx.item.verified?.percent ?? 0,
      },
      errors: {},
      ...extra,
    });
  };

  router.get('/review/items/:id', staff, (req, res) => renderItem(req, res, 200));

  /** Shared error handling of the three verdict forms. */
  const handle = async (req: Request, res: Response, form: string, action: () => Promise<unknown>, flashKey: string) => {
    const { id } = parseParams(itemParams, req);
    try {
      await action();
    } catch (err) {
      if (err instanceof ValidationError) return renderItem(req, res, 400, { errors: fieldMessages(req, err), form, submitted: req.body });
      if (err instanceof ProgressConflictError) return renderItem(req, res, 409, { conflict: err.latest, form });
      throw err;
    }
    req.flash('success', req.t(flashKey));
    res.redirect(`/review/items/${id}`);
  };

  router.post('/review/items/:id/verify', staff, async (req, res) => {
    const parsed = parseForm(verifyForm, req.body, req.t);
    if (!parsed.ok) return renderItem(req, res, 400, { errors: parsed.errors, form: 'verify', submitted: parsed.values });
    const f = parsed.data;
    await handle(req, res, 'verify', () =>
      verifyClaim(reviewDeps(), user(req), String(req.params.id), { expectedRevision: f.revision, status: f.status, percent: f.percent, reason: f.reason }),
    'review:item.verifiedFlash');
  });

  router.post('/review/items/:id/return', staff, async (req, res) => {
    const parsed = parseForm(returnForm, req.body, req.t);
    if (!parsed.ok) return renderItem(req, res, 400, { errors: parsed.errors, form: 'return', submitted: parsed.values });
    const f = parsed.data;
    await handle(req, res, 'return', () => returnClaim(reviewDeps(), user(req), String(req.params.id), { expectedRevision: f.revision, comment: f.comment }), 'review:item.returned');
  });

  router.post('/review/items/:id/assess', staff, async (req, res) => {
    const parsed = parseForm(assessForm, req.body, req.t);
    if (!parsed.ok) return renderItem(req, res, 400, { errors: parsed.errors, form: 'assess', submitted: parsed.values });
    const f = parsed.data;
    await handle(
      req,
      res,
      'assess',
      () =>
        assessDirectly(
          user(req),
          { institutionId: f.institution, resolutionId: f.resolution, status: f.status, percent: f.percent, reason: f.reason, expectedRevision: f.revision },
          reviewDeps(),
        ),
      'review:item.assessed',
    );
  });

  /** Direct assessment of any (institution, resolution), also rows never reported. */
  const renderAssess = async (req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) => {
    const [institutions, options] = await Promise.all([
      InstitutionModel.find({ active: true }).sort({ code: 1 }).select({ code: 1, name: 1 }).lean<Institution[]>(),
      filterOptions(),
    ]);
    res.status(status).render('review/assess', {
      pageTitle: req.t('review:assess.title'),
      institutions,
      resolutions: options.resolutions,
      statuses: PROGRESS_STATUSES,
      values: { status: 'in_progress', percent: 0, ...(req.query as Record<string, unknown>) },
      errors: {},
      ...extra,
    });
  };

  router.get('/review/assess', staff, (req, res) => renderAssess(req, res, 200));

  router.post('/review/assess', staff, async (req, res) => {
    const parsed = parseForm(assessForm, req.body, req.t);
    if (!parsed.ok) return renderAssess(req, res, 400, { errors: parsed.errors, values: parsed.values });
    const f = parsed.data;
    const result = await withFieldErrors(req, () =>
      assessDirectly(
        user(req),
        { institutionId: f.institution, resolutionId: f.resolution, status: f.status, percent: f.percent, reason: f.reason },
        reviewDeps(),
      ),
    );
    if (!result.ok) return renderAssess(req, res, 400, { errors: result.errors, values: parsed.data });
    req.flash('success', req.t('review:item.assessed'));
    res.redirect(`/review/items/${String(result.value.item._id)}`);
  });

  router.get('/review/gaps', staff, async (req, res) => {
    const q = parseQuery(gapsQuery, req);
    const all = await claimedVsVerified(user(req), q.meeting, deps.publicRead.aggregates);
    const meetings = await MeetingModel.find().sort({ number: -1 }).select({ number: 1, title: 1 }).lean<Meeting[]>();
    res.render('review/gaps', {
      pageTitle: req.t('review:gaps.title'),
      ...presentGaps(all, q.page, req.t, req.lang),
      meetings,
      filter: q,
      stylesheets: ['/css/public.css'],
    });
  });

  router.get('/review/gaps.csv', staff, async (req, res) => {
    const q = parseQuery(gapsQuery, req);
    const rows = await claimedVsVerified(user(req), q.meeting, deps.publicRead.aggregates);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="claimed-vs-verified.csv"');
    res.send(gapsCsv(rows, req.t));
  });

  const renderExtensions = async (req: Request, res: Response, status: number, extra: Record<string, unknown> = {}) => {
    const [extensions, meetings, institutions] = await Promise.all([
      listExtensions(),
      openMeetings(),
      InstitutionModel.find({ active: true }).sort({ code: 1 }).select({ code: 1, name: 1 }).lean<Institution[]>(),
    ]);
    res.status(status).render('review/extensions', { pageTitle: req.t('review:extensions.title'), extensions, meetings, institutions, values: {}, errors: {}, ...extra });
  };

  router.get('/review/extensions', requireRole('admin'), (req, res) => renderExtensions(req, res, 200));

  router.post('/review/extensions', requireRole('admin'), async (req, res) => {
    const parsed = parseForm(extensionForm, req.body, req.t);
    if (!parsed.ok) return renderExtensions(req, res, 400, { errors: parsed.errors, values: parsed.values });
    const result = await withFieldErrors(req, () =>
      extendWindow(user(req), { meetingId: parsed.data.meeting, institutionId: parsed.data.institution, until: new Date(parsed.data.until.getTime() + 86_400_000 - 1000), reason: parsed.data.reason }, deps.now()),
    );
    if (!result.ok) return renderExtensions(req, res, 400, { errors: result.errors, values: req.body });
    req.flash('success', req.t('review:extensions.saved'));
    res.redirect('/review/extensions');
  });

  return router;
}
