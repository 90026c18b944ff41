import { z } from 'zod';
import { MEETING_STATUSES } from '../../domain/reference-data.js';
import { dateField, enumField, numberField, optionalText, requiredText, revisionField } from '../csv/fields.js';

const meetingFields = z.object({
  number: numberField({ integer: true, positive: true }),
  titleSw: requiredText(300),
  titleEn: optionalText(300),
  themeSw: requiredText(1000),
  themeEn: optionalText(1000),
  venue: requiredText(200),
  startDate: dateField(),
  endDate: dateField(),
  reportingOpens: dateField(),
  reportingCloses: dateField(),
  status: enumField(MEETING_STATUSES),
});

type MeetingDates = Pick<z.infer<typeof meetingFields>, 'startDate' | 'endDate' | 'reportingOpens' | 'reportingCloses'>;

/** Cross-field rules: the meeting ends on or after its first day; the window closes after it opens. */
function checkDates(value: MeetingDates, ctx: z.RefinementCtx): void {
  if (value.endDate < value.startDate) {
    ctx.addIssue({ code: 'custom', path: ['endDate'], message: 'meetings:errors.endBeforeStart' });
  }
  if (value.reportingCloses <= value.reportingOpens) {
    ctx.addIssue({ code: 'custom', path: ['reportingCloses'], message: 'meetings:errors.closesBeforeOpens' });
  }
}

export const meetingFormSchema = meetingFields.superRefine(checkDates);
export type MeetingForm = z.infer<typeof meetingFormSchema>;

export const meetingEditSchema = meetingFields.extend({ revision: revisionField() }).superRefine(checkDates);
export type MeetingEditForm = z.infer<typeof meetingEditSchema>;
