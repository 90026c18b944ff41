import { expect } from 'chai';
import { parseWith } from '../../../src/features/csv/fields.js';
import { meetingEditSchema, meetingFormSchema } from '../../../src/features/meetings/meetings.validation.js';

const base = {
  number: '4',
  titleSw: 'Kikao Kazi cha Nne',
  titleEn: '',
  themeSw: 'Uzingatiaji wa Sheria',
  themeEn: '',
  venue: 'AICC, Arusha',
  startDate: '2024-02-06',
  endDate: '2024-02-08',
  reportingOpens: '2024-03-01',
  reportingCloses: '2024-12-31',
  status: 'held',
};

describe('meetings validation', () => {
  it('when the form is valid, then numbers and dates are converted', () => {
    const r = meetingFormSchema.parse(base);
    expect(r.number).to.equal(4);
    expect(r.startDate.toISOString()).to.equal('2024-02-06T00:00:00.000Z');
    expect(r.status).to.equal('held');
  });

  it('when a one-day meeting starts and ends the same day, then it is valid', () => {
    expect(meetingFormSchema.safeParse({ ...base, endDate: '2024-02-06' }).success).to.equal(true);
  });

  it('when the end is before the start or the window closes when it opens, then both fields get messages', () => {
    const r = parseWith(meetingFormSchema, { ...base, endDate: '2024-02-05', reportingCloses: '2024-03-01' });
    expect(r).to.deep.equal({ ok: false, errors: { endDate: 'meetings:errors.endBeforeStart', reportingCloses: 'meetings:errors.closesBeforeOpens' } });
  });

  it('when the number is not a positive whole number or the status is unknown, then it is refused', () => {
    const r = parseWith(meetingFormSchema, { ...base, number: '0', status: 'cancelled' });
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(Object.keys(r.errors).sort()).to.deep.equal(['number', 'status']);
  });

  it('when an edit omits the revision, then it is refused', () => {
    const r = parseWith(meetingEditSchema, base);
    expect(r).to.deep.equal({ ok: false, errors: { revision: 'reference:validation.required' } });
    expect(meetingEditSchema.parse({ ...base, revision: '3' }).revision).to.equal(3);
  });
});
