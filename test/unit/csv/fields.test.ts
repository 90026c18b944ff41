import { expect } from 'chai';
import { z } from 'zod';
import {
  booleanField,
  dateField,
  enumListField,
  idListField,
  numberField,
  parseWith,
  requiredText,
  toIsoDate,
} from '../../../src/features/csv/fields.js';

describe('csv/fields', () => {
  it('when a date is written as CSV files write it, then toIsoDate gives YYYY-MM-DD back', () => {
    expect(toIsoDate(new Date('2024-02-08T00:00:00Z'))).to.equal('2024-02-08');
    expect(toIsoDate(null)).to.equal('');
  });

  it('when a date field is blank or malformed, then the message keys say required / date', () => {
    const schema = z.object({ d: dateField() });
    expect(parseWith(schema, { d: '' })).to.deep.equal({ ok: false, errors: { d: 'reference:validation.required' } });
    expect(parseWith(schema, { d: '2024-13-01' })).to.deep.equal({ ok: false, errors: { d: 'reference:validation.date' } });
  });

  it('when numbers come as text, then they are converted; blank uses the default; non-positive is refused', () => {
    const schema = z.object({ w: numberField({ positive: true, defaultValue: 1 }) });
    expect(parseWith(schema, { w: '' })).to.deep.equal({ ok: true, data: { w: 1 } });
    expect(parseWith(schema, { w: '2,5' })).to.deep.equal({ ok: true, data: { w: 2.5 } });
    expect(parseWith(schema, { w: '0' })).to.deep.equal({ ok: false, errors: { w: 'reference:validation.positive' } });
    expect(parseWith(schema, { w: 'abc' })).to.deep.equal({ ok: false, errors: { w: 'reference:validation.number' } });
    const int = z.object({ n: numberField({ integer: true }) });
    expect(parseWith(int, { n: '1.5' })).to.deep.equal({ ok: false, errors: { n: 'reference:validation.integer' } });
    expect(parseWith(int, { n: '' })).to.deep.equal({ ok: false, errors: { n: 'reference:validation.required' } });
  });

  it('when booleans come from checkboxes or CSV words, then they are understood in both languages', () => {
    const checkbox = booleanField(false);
    expect(checkbox.parse(undefined)).to.equal(false);
    expect(checkbox.parse('on')).to.equal(true);
    const cell = booleanField(true);
    expect(cell.parse('')).to.equal(true);
    expect(cell.parse('Hapana')).to.equal(false);
    expect(cell.parse('ndiyo')).to.equal(true);
    expect(cell.parse('FALSE')).to.equal(false);
    expect(cell.safeParse('labda').success).to.equal(false);
  });

  it('when a list comes as repeated fields or a ;-separated cell, then it is de-duplicated and checked', () => {
    const list = enumListField(['a', 'b', 'c'] as const, { min: 1 });
    expect(list.parse(['a', 'b', 'a'])).to.deep.equal(['a', 'b']);
    expect(list.parse('c; a')).to.deep.equal(['c', 'a']);
    expect(list.safeParse([]).success).to.equal(false);
    expect(list.safeParse('a;z').success).to.equal(false);
  });

  it('when bulk ids are given once or many times, then they become a list; none is refused', () => {
    const ids = idListField();
    expect(ids.parse('0123456789abcdef01234567')).to.deep.equal(['0123456789abcdef01234567']);
    const none = z.object({ ids }).safeParse({});
    expect(none.success).to.equal(false);
    expect(none.error?.issues[0]?.message).to.equal('reference:validation.selectRows');
    expect(ids.safeParse(['x']).success).to.equal(false);
  });

  it('when text is too long or blank, then the message keys say so', () => {
    const schema = z.object({ t: requiredText(5) });
    expect(parseWith(schema, { t: '   ' })).to.deep.equal({ ok: false, errors: { t: 'reference:validation.required' } });
    expect(parseWith(schema, { t: '123456' })).to.deep.equal({ ok: false, errors: { t: 'reference:validation.tooLong' } });
    expect(parseWith(schema, { t: ' ok ' })).to.deep.equal({ ok: true, data: { t: 'ok' } });
  });
});
