import { expect } from 'chai';
import { parseWith } from '../../../src/features/csv/fields.js';
import { escapeRegex } from '../../../src/domain/escape-regex.js';
import { institutionBulkSchema, institutionFormSchema, institutionListQuerySchema } from '../../../src/features/institutions/institutions.validation.js';

const base = { code: ' min-001 ', nameSw: 'Wizara ya Fedha', nameEn: '', acronym: 'MoF', type: 'ministry', region: 'Dodoma', parent: '' };

describe('institutions validation', () => {
  it('when the form is valid, then the code is upper-cased, parent is null and an absent checkbox means inactive', () => {
    const r = parseWith(institutionFormSchema, base);
    expect(r).to.deep.equal({
      ok: true,
      data: {
        code: 'MIN-001', nameSw: 'Wizara ya Fedha', nameEn: '', acronym: 'MoF', type: 'ministry', region: 'Dodoma', parent: null, active: false,
        maturityLevel: null, maturityAssessedOn: null, voteCode: '', councilType: null, inScope: false,
      },
    });
  });

  it('when the attributes are given, then the level is a number, the date UTC midnight and the vote code upper-case', () => {
    const r = parseWith(institutionFormSchema, { ...base, maturityLevel: '4', maturityAssessedOn: '2024-06-30', voteCode: ' b6 ', inScope: 'on' });
    expect(r.ok).to.equal(true);
    if (!r.ok) return;
    expect(r.data).to.include({ maturityLevel: 4, voteCode: 'B6', inScope: true, councilType: null });
    expect(r.data.maturityAssessedOn?.toISOString()).to.equal('2024-06-30T00:00:00.000Z');
  });

  it('when the level, vote code or council type are not allowed values, then each field has its message key', () => {
    const r = parseWith(institutionFormSchema, { ...base, maturityLevel: '7', voteCode: 'Vote 50', councilType: 'village', maturityAssessedOn: '2024-02-31' });
    expect(r).to.deep.equal({
      ok: false,
      errors: {
        maturityLevel: 'institutions:errors.maturityLevel',
        maturityAssessedOn: 'reference:validation.date',
        voteCode: 'institutions:errors.voteCode',
        councilType: 'reference:validation.choice',
      },
    });
  });

  it('when the code has spaces or symbols, or type/region are unknown, then each field has its message key', () => {
    const r = parseWith(institutionFormSchema, { ...base, code: 'MIN 001', type: 'castle', region: 'Nairobi', parent: 'xyz' });
    expect(r).to.deep.equal({
      ok: false,
      errors: { code: 'institutions:errors.codeFormat', type: 'reference:validation.choice', region: 'reference:validation.choice', parent: 'reference:validation.id' },
    });
  });

  it('when list query values are invalid, then they are ignored instead of failing', () => {
    const q = institutionListQuerySchema.parse({ type: 'castle', page: '-3', sort: 'name', q: 'tra' });
    expect(q).to.include({ q: 'tra', sort: 'name' });
    expect(q.type).to.equal(undefined);
    expect(q.page).to.equal(undefined);
  });

  it('when a bulk edit names a field, then only that field value is validated and returned', () => {
    const id = '0123456789abcdef01234567';
    expect(institutionBulkSchema.parse({ ids: id, field: 'region', region: 'Geita', type: 'castle' })).to.deep.equal({ ids: [id], field: 'region', value: 'Geita' });
    expect(institutionBulkSchema.parse({ ids: [id], field: 'active', active: 'false' })).to.deep.equal({ ids: [id], field: 'active', value: false });
    expect(institutionBulkSchema.parse({ ids: [id], field: 'parent', parent: '' })).to.deep.equal({ ids: [id], field: 'parent', value: null });
    const bad = parseWith(institutionBulkSchema, { ids: [id], field: 'type', type: 'castle' });
    expect(bad).to.deep.equal({ ok: false, errors: { type: 'reference:validation.choice' } });
    const unknownField = parseWith(institutionBulkSchema, { ids: [id], field: 'code' });
    expect(unknownField.ok).to.equal(false);
  });

  it('when search text has regex characters, then escapeRegex makes them literal', () => {
    const pattern = new RegExp(escapeRegex('a.b*(c)[d]'));
    expect(pattern.test('xa.b*(c)[d]y')).to.equal(true);
    expect(pattern.test('aXbbc')).to.equal(false);
  });
});
