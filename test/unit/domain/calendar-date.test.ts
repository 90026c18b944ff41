import { expect } from 'chai';
import { eatToday, formatDayMonthYear, parseCalendarDate } from '../../../src/domain/calendar-date.js';

describe('domain/calendar-date', () => {
  it('when a date is typed as dd/mm/yyyy or d/m/yyyy, then it is that calendar day (UTC midnight)', () => {
    expect(parseCalendarDate('06/02/2024')?.toISOString()).to.equal('2024-02-06T00:00:00.000Z');
    expect(parseCalendarDate(' 6/2/2024 ')?.toISOString()).to.equal('2024-02-06T00:00:00.000Z');
  });

  it('when a date comes as yyyy-mm-dd (CSV, API), then it is accepted too', () => {
    expect(parseCalendarDate('2024-02-06')?.toISOString()).to.equal('2024-02-06T00:00:00.000Z');
  });

  it('when a date does not exist or is in another shape, then it is refused', () => {
    for (const bad of ['31/02/2024', '2024-02-30', '13/13/2024', '02-06-2024', '6 Feb 2024', '', '2024/02/06']) {
      expect(parseCalendarDate(bad), bad).to.equal(null);
    }
  });

  it('when a stored day or instant is shown, then it is dd/mm/yyyy of the day in Dar es Salaam', () => {
    expect(formatDayMonthYear(new Date('2024-02-06T00:00:00Z'))).to.equal('06/02/2024');
    // 22:30 UTC is already 01:30 the next day in Dar es Salaam.
    expect(formatDayMonthYear(new Date('2024-02-06T22:30:00Z'))).to.equal('07/02/2024');
    expect(formatDayMonthYear(null)).to.equal('');
    expect(formatDayMonthYear('not a date')).to.equal('');
  });

  it('when it is late evening UTC, then today in Dar es Salaam is already the next day', () => {
    expect(eatToday(new Date('2024-12-31T21:00:00Z')).toISOString()).to.equal('2025-01-01T00:00:00.000Z');
    expect(eatToday(new Date('2024-12-31T20:59:59Z')).toISOString()).to.equal('2024-12-31T00:00:00.000Z');
  });
});
