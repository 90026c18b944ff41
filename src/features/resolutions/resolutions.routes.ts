import { Router, type Request, type Response } from 'express';
import { INSTITUTION_TYPES, RESOLUTION_CATEGORIES } from '../../domain/reference-data.js';
import { actorOf, requireRole } from '../../middleware/auth.js';
import { attempt, formAfterFailedEdit, readForm, type FormOutcome } from '../csv/admin-forms.js';
import { formatDayMonthYear } from '../../domain/calendar-date.js';
import type { FeatureDeps } from '../index.js';
import { meetingOptions } from '../meetings/meetings.service.js';
import type { Resolution } from './resolution.model.js';
import {
  bulkUpdateResolutions,
  carryOverResolution,
  createResolution,
  getResolution,
  listResolutions,
  nextResolutionNumber,
  updateResolution,
} from './resolutions.service.js';
import {
  carryOverSchema,
  resolutionBulkSchema,
  resolutionEditSchema,
  resolutionFormSchema,
  resolutionListQuerySchema,
  RESOLUTION_BULK_FIELDS,
} from './resolutions.validation.js';
import { idRoute, objectId, routeId } from '../../middleware/validate.js';

/** Form values (field names of views/resolutions/form.hbs) from a stored resolution. */
export function resolutionValues(r: Resolution): Record<string, unknown> {
  return {
    meeting: String(r.meeting),
    number: r.number,
    titleSw: r.title.sw,
    titleEn: r.title.en ?? '',
    textSw: r.text.sw,
    textEn: r.text.en ?? '',
    category: r.category,
    dueDate: formatDayMonthYear(r.dueDate),
    weight: r.weight,
    appliesTo: [...(r.appliesTo ?? [])],
    active: r.active,
    revision: r.revision,
  };
}

/** Resolutions administration: admin manages (create, edit, carry over, bulk edit); reviewer reads. */
export function createResolutionsRouter(_deps: FeatureDeps): Router {
  const router = Router();
  const admin = requireRole('admin');
  const staff = requireRole('admin', 'reviewer');

  const renderList = async (req: Request, res: Response, status = 200, bulk: { errors?: Record<string, string>; values?: Record<string, unknown> } = {}) => {
    const parsed = resolutionListQuerySchema.safeParse(req.method === 'GET' ? req.query : {});
    const query = parsed.success ? parsed.data : {};
    const result = await listResolutions(query);
    res.status(status).render('resolutions/list', {
      pageTitle: req.t('resolutions:list.title'),
      ...result,
      pages: result.pageCount,
      filter: query,
      meetings: await meetingOptions(),
      categories: RESOLUTION_CATEGORIES,
      types: INSTITUTION_TYPES,
      bulkFields: RESOLUTION_BULK_FIELDS,
      bulkErrors: bulk.errors ?? {},
      bulkValues: bulk.values ?? {},
    });
  };

  router.get('/admin/resolutions', staff, (req, res) => renderList(req, res));

  const renderForm = async (req: Request, res: Response, status: number, data: { resolution?: Resolution; values: Record<string, unknown>; errors?: Record<string, string>; conflict?: boolean }) => {
    res.status(status).render('resolutions/form', {
      pageTitle: req.t(data.resolution ? 'resolutions:form.editTitle' : 'resolutions:form.newTitle'),
      resolution: data.resolution,
      isEdit: Boolean(data.resolution),
      action: data.resolution ? `/admin/resolutions/${String(data.resolution._id)}` : '/admin/resolutions',
      values: data.values,
      errors: data.errors ?? {},
      conflict: data.conflict ?? false,
      meetings: await meetingOptions(),
      categories: RESOLUTION_CATEGORIES,
      types: INSTITUTION_TYPES,
    });
  };

  router.get('/admin/resolutions/new', admin, async (req, res) => {
    const meetings = await meetingOptions();
    const wanted = typeof req.query.meeting === 'string' && objectId().safeParse(req.query.meeting).success ? req.query.meeting : undefined;
    const meeting = meetings.find((m) => String(m._id) === wanted) ?? meetings[0];
    const values: Record<string, unknown> = { appliesTo: [...INSTITUTION_TYPES], active: true, weight: 1 };
    if (meeting) {
      values.meeting = String(meeting._id);
      values.number = await nextResolutionNumber(meeting._id);
    }
    await renderForm(req, res, 200, { values });
  });

  router.post('/admin/resolutions', admin, async (req, res) => {
    const form = readForm(resolutionFormSchema, req);
    const outcome: FormOutcome<Resolution> = form.ok ? await attempt(req, () => createResolution(form.data, actorOf(req))) : form;
    if (!outcome.ok) return renderForm(req, res, outcome.status, { values: outcome.values, errors: outcome.errors });
    req.flash('success', req.t('resolutions:flash.created', { number: outcome.data.number }));
    res.redirect(`/admin/resolutions/${String(outcome.data._id)}`);
  });

  router.post('/admin/resolutions/bulk', admin, async (req, res) => {
    const form = readForm(resolutionBulkSchema, req);
    const outcome = form.ok ? await attempt(req, () => bulkUpdateResolutions(form.data, actorOf(req))) : form;
    if (!outcome.ok) return renderList(req, res, outcome.status, { errors: outcome.errors, values: outcome.values });
    req.flash('success', req.t('resolutions:flash.bulkUpdated', { count: outcome.data }));
    res.redirect('/admin/resolutions');
  });

  const idParam = idRoute();

  const renderDetail = async (req: Request, res: Response, status = 200, carry: { errors?: Record<string, string>; values?: Record<string, unknown> } = {}) => {
    const resolution = await getResolution(routeId(req));
    const later = (await meetingOptions()).filter((m) => m.number > resolution.meetingDoc.number);
    res.status(status).render('resolutions/detail', {
      pageTitle: req.t('resolutions:detail.title', { meeting: resolution.meetingDoc.number, number: resolution.number }),
      resolution,
      laterMeetings: later,
      carryErrors: carry.errors ?? {},
      carryValues: carry.values ?? {},
    });
  };

  router.get('/admin/resolutions/:id', staff, idParam, (req, res) => renderDetail(req, res));

  router.get('/admin/resolutions/:id/edit', admin, idParam, async (req, res) => {
    const resolution = await getResolution(routeId(req));
    await renderForm(req, res, 200, { resolution, values: resolutionValues(resolution) });
  });

  router.post('/admin/resolutions/:id', admin, idParam, async (req, res) => {
    const id = routeId(req);
    const resolution = await getResolution(id);
    const form = readForm(resolutionEditSchema, req);
    const outcome = form.ok ? await attempt(req, () => updateResolution(id, form.data, actorOf(req))) : form;
    if (!outcome.ok) {
      const again = await formAfterFailedEdit(outcome, resolution, () => getResolution(id), resolutionValues);
      return renderForm(req, res, again.status, { resolution: again.doc, values: again.values, errors: again.errors, conflict: again.conflict });
    }
    req.flash('success', req.t('resolutions:flash.updated', { number: outcome.data.number }));
    res.redirect(`/admin/resolutions/${id}`);
  });

  router.post('/admin/resolutions/:id/carry-over', admin, idParam, async (req, res) => {
    const id = routeId(req);
    const form = readForm(carryOverSchema, req);
    const outcome = form.ok ? await attempt(req, () => carryOverResolution(id, form.data.targetMeeting, actorOf(req))) : form;
    if (!outcome.ok) return renderDetail(req, res, outcome.status, { errors: outcome.errors, values: outcome.values });
    req.flash('success', req.t('resolutions:flash.carriedOver', { number: outcome.data.number }));
    res.redirect(`/admin/resolutions/${String(outcome.data._id)}`);
  });

  return router;
}
