import { expect } from 'chai';
import { INSTITUTION_TYPES, REGIONS, RESOLUTION_CATEGORIES } from '../../../src/domain/reference-data.js';
import { INSTITUTION_CODE } from '../../../src/features/institutions/institutions.validation.js';
import { SAMPLE_INSTITUTIONS } from '../../../src/seed/samples/institutions.data.js';
import { SAMPLE_MEETINGS, SAMPLE_RESOLUTIONS } from '../../../src/seed/samples/meetings.data.js';

describe('demo reference data', () => {
  it('when counted, then there are at least 60 institutions over all seven types and many regions', () => {
    expect(SAMPLE_INSTITUTIONS.length).to.be.greaterThanOrEqual(60);
    expect(new Set(SAMPLE_INSTITUTIONS.map((i) => i.type))).to.have.property('size', INSTITUTION_TYPES.length);
    expect(new Set(SAMPLE_INSTITUTIONS.map((i) => i.region)).size).to.be.greaterThanOrEqual(20);
  });

  it('when checked, then codes are unique and valid, regions known, names bilingual and every parent listed earlier', () => {
    const seen = new Set<string>();
    for (const i of SAMPLE_INSTITUTIONS) {
      expect(INSTITUTION_CODE.test(i.code), i.code).to.equal(true);
      expect(seen.has(i.code), i.code).to.equal(false);
      expect((REGIONS as readonly string[]).includes(i.region), i.region).to.equal(true);
      expect(i.sw.length > 0 && i.en.length > 0, i.code).to.equal(true);
      if (i.parent) expect(seen.has(i.parent), `${i.code} -> ${i.parent}`).to.equal(true);
      seen.add(i.code);
    }
  });

  it('when the 4th session is read, then it matches the published facts (AICC Arusha, 6-8 Feb 2024, theme)', () => {
    const m4 = SAMPLE_MEETINGS.find((m) => m.number === 4);
    expect(m4).to.include({ venue: 'AICC, Arusha', startDate: '2024-02-06', endDate: '2024-02-08', reportingOpens: '2024-03-01', status: 'held', reportingCloses: null });
    expect(m4?.theme.sw).to.equal('Uzingatiaji wa Sheria, Sera, Kanuni, Viwango na Miongozo ya Serikali Mtandao kwa ubadilishanaji Salama wa Taarifa');
    expect(m4?.theme.en.length).to.be.greaterThan(20);
  });

  it('when resolutions are read, then the 4th session has ten new ones plus a carried-over one, all bilingual', () => {
    const fourth = SAMPLE_RESOLUTIONS.filter((r) => r.meeting === 4);
    expect(fourth.filter((r) => !r.carriedOverFrom)).to.have.length(10);
    const carried = fourth.filter((r) => r.carriedOverFrom);
    expect(carried.length).to.be.within(1, 2);
    for (const c of carried) expect(SAMPLE_RESOLUTIONS.some((r) => `${r.meeting}/${r.number}` === c.carriedOverFrom && r.meeting === 3)).to.equal(true);
    for (const r of SAMPLE_RESOLUTIONS) {
      expect(r.title.sw && r.title.en && r.text.sw && r.text.en, `${r.meeting}/${r.number}`).to.be.a('string');
      expect((RESOLUTION_CATEGORIES as readonly string[]).includes(r.category)).to.equal(true);
    }
    const text = fourth.map((r) => r.text.en).join(' ');
    for (const topic of ['GovESB', 'security', 'GovNet', 'data centre', 'capacity', 'e-Government Act']) expect(text).to.include(topic);
  });
});
