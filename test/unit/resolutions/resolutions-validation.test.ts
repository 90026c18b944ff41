import { expect } from 'chai';
import { parseWith } from '../../../src/features/csv/fields.js';
import { resolutionBulkSchema, resolutionFormSchema } from '../../../src/features/resolutions/resolutions.validation.js';

const id = '0123456789abcdef01234567';
const base = {
  meeting: id,
  number: '3',
  titleSw: 'Kuimarisha usalama',
  titleEn: '',
  textSw: 'Taasisi ziimarishe usalama.',
  textEn: '',
  category: 'cybersecurity',
  dueDate: '2025-06-30',
  weight: '',
  appliesTo: 'lga',
  active: 'on',
};

describe('resolutions validation', () => {
  it('when English is empty and weight blank, then it is valid with weight 1; one checkbox becomes a list', () => {
    const r = resolutionFormSchema.parse(base);
    expect(r.weight).to.equal(1);
    expect(r.appliesTo).to.deep.equal(['lga']);
    expect(r.titleEn).to.equal('');
    expect(r.active).to.equal(true);
  });

  it('when Kiswahili text, category or applies-to are missing, then each has a message key', () => {
    const r = parseWith(resolutionFormSchema, { ...base, textSw: ' ', category: '', appliesTo: undefined });
    expect(r).to.deep.equal({
      ok: false,
      errors: { textSw: 'reference:validation.required', category: 'reference:validation.required', appliesTo: 'reference:validation.required' },
    });
  });

  it('when the weight is negative or the meeting id malformed, then it is refused', () => {
    const r = parseWith(resolutionFormSchema, { ...base, weight: '-1', meeting: 'abc' });
    expect(r).to.deep.equal({ ok: false, errors: { meeting: 'reference:validation.id', weight: 'reference:validation.positive' } });
  });

  it('when a bulk edit changes one field, then its value is converted', () => {
    expect(resolutionBulkSchema.parse({ ids: id, field: 'weight', weight: '2.5' })).to.deep.equal({ ids: [id], field: 'weight', value: 2.5 });
    expect(resolutionBulkSchema.parse({ ids: [id], field: 'active', active: 'true' })).to.deep.equal({ ids: [id], field: 'active', value: true });
    expect(resolutionBulkSchema.parse({ ids: [id], field: 'appliesTo', appliesTo: ['lga', 'ministry'] }).value).to.deep.equal(['lga', 'ministry']);
    const due = resolutionBulkSchema.parse({ ids: [id], field: 'dueDate', dueDate: '2026-01-31' });
    expect((due.value as Date).toISOString()).to.equal('2026-01-31T00:00:00.000Z');
    expect(parseWith(resolutionBulkSchema, { ids: [id], field: 'appliesTo' })).to.deep.equal({ ok: false, errors: { appliesTo: 'reference:validation.required' } });
  });
});
