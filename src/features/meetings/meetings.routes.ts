import { Router, type Request, type Response } from 'express';
import { MEETING_STATUSES } from '../../domain/reference-data.js';
import { actorOf, requireRole } from '../../middleware/auth.js';
import { attempt, formAfterFailedEdit, readForm, type FormOutcome } from '../csv/admin-forms.js';
import { formatDayMonthYear } from '../../domain/calendar-date.js';
import type { FeatureDeps } from '../index.js';
import type { Meeting } from './meeting.model.js';
import { createMeeting, getMeeting, listMeetings, meetingResolutions, updateMeeting } from './meetings.service.js';
import { meetingEditSchema, meetingFormSchema } from './meetings.validation.js';
import { idRoute, routeId } from '../../middleware/validate.js';

/** Form values (field names of views/meetings/form.hbs) from a stored meeting. */
export function meetingValues(m: Meeting): Record<string, unknown> {
  return {
    number: m.number,
    titleSw: m.title.sw,
    titleEn: m.title.en ?? '',
    themeSw: m.theme.sw,
    themeEn: m.theme.en ?? '',
    venue: m.venue,
    startDate: formatDayMonthYear(m.startDate),
    endDate: formatDayMonthYear(m.endDate),
    reportingOpens: formatDayMonthYear(m.reportingOpens),
    reportingCloses: formatDayMonthYear(m.reportingCloses),
    status: m.status,
    revision: m.revision,
  };
}

/** Meetings administration: admin manages; reviewer reads. */
export function createMeetingsRouter(deps: FeatureDeps): Router {
  const router = Router();
  const admin = requireRole('admin');
  const staff = requireRole('admin', 'reviewer');

  router.get('/admin/meetings', staff, async (req, res) => {
    res.render('meetings/list', { pageTitle: req.t('meetings:list.title'), meetings: await listMeetings() });
  });

  const renderForm = (req: Request, res: Response, status: number, data: { meeting?: Meeting; values: Record<string, unknown>; errors?: Record<string, string>; conflict?: boolean }) => {
    res.status(status).render('meetings/form', {
      pageTitle: req.t(data.meeting ? 'meetings:form.editTitle' : 'meetings:form.newTitle'),
      meeting: data.meeting,
      isEdit: Boolean(data.meeting),
      action: data.meeting ? `/admin/meetings/${String(data.meeting._id)}` : '/admin/meetings',
      values: data.values,
      errors: data.errors ?? {},
      conflict: data.conflict ?? false,
      statuses: MEETING_STATUSES,
    });
  };

  router.get('/admin/meetings/new', admin, (req, res) => renderForm(req, res, 200, { values: { status: 'planned' } }));

  router.post('/admin/meetings', admin, async (req, res) => {
    const form = readForm(meetingFormSchema, req);
    const outcome: FormOutcome<Meeting> = form.ok ? await attempt(req, () => createMeeting(form.data, actorOf(req), deps.now())) : form;
    if (!outcome.ok) return renderForm(req, res, outcome.status, { values: outcome.values, errors: outcome.errors });
    req.flash('success', req.t('meetings:flash.created', { number: outcome.data.number }));
    res.redirect(`/admin/meetings/${String(outcome.data._id)}`);
  });

  const idParam = idRoute();

  router.get('/admin/meetings/:id', staff, idParam, async (req, res) => {
    const meeting = await getMeeting(routeId(req));
    res.render('meetings/detail', {
      pageTitle: req.t('meetings:detail.title', { number: meeting.number }),
      meeting,
      resolutions: await meetingResolutions(String(meeting._id)),
    });
  });

  router.get('/admin/meetings/:id/edit', admin, idParam, async (req, res) => {
    const meeting = await getMeeting(routeId(req));
    renderForm(req, res, 200, { meeting, values: meetingValues(meeting) });
  });

  router.post('/admin/meetings/:id', admin, idParam, async (req, res) => {
    const id = routeId(req);
    const meeting = await getMeeting(id);
    const form = readForm(meetingEditSchema, req);
    const outcome = form.ok ? await attempt(req, () => updateMeeting(id, form.data, actorOf(req), deps.now())) : form;
    if (!outcome.ok) {
      const again = await formAfterFailedEdit(outcome, meeting, () => getMeeting(id), meetingValues);
      return renderForm(req, res, again.status, { meeting: again.doc, values: again.values, errors: again.errors, conflict: again.conflict });
    }
    req.flash('success', req.t('meetings:flash.updated', { number: outcome.data.number }));
    res.redirect(`/admin/meetings/${id}`);
  });

  return router;
}
