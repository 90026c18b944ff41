import { expect } from 'chai';
import request from 'supertest';
import { buildTestApp } from '../../helpers/app.js';
import { createInstitution, createMeeting, createResolution } from '../../helpers/fixtures.js';
import { daysAgo, progressRow, publishedRanking, DAY } from './public-fixtures.js';

/** A meeting with two resolutions and four institutions in two peer groups and two regions. */
async function scenario() {
  const meeting = await createMeeting({ number: 4, title: { sw: 'Kikao cha Nne cha Serikali Mtandao', en: 'Fourth e-Government Session' }, venue: 'AICC, Arusha' });
  const r1 = await createResolution({
    meeting,
    number: 1,
    title: { sw: 'Kuimarisha usalama wa mifumo', en: 'Strengthen systems security' },
    text: { sw: 'Taasisi zote ziimarishe usalama wa mifumo yao.', en: 'All institutions shall strengthen the security of their systems.' },
    dueDate: new Date(Date.now() - 10 * DAY),
  });
  const r2 = await createResolution({
    meeting,
    number: 2,
    title: { sw: 'Kuunganisha mifumo na GovESB', en: 'Connect systems to GovESB' },
    appliesTo: ['ministry'],
    dueDate: new Date(Date.now() + 100 * DAY),
  });
  await createResolution({ meeting, number: 3, title: { sw: 'Azimio lililositishwa', en: 'Withdrawn resolution' }, active: false });
  const a = await createInstitution({ code: 'MOF', name: { sw: 'Wizara ya Fedha', en: 'Ministry of Finance' }, type: 'ministry', region: 'Dodoma' });
  const b = await createInstitution({ code: 'MOH', name: { sw: 'Wizara ya Afya', en: 'Ministry of Health' }, type: 'ministry', region: 'Dodoma' });
  const c = await createInstitution({ code: 'ARU-CC', name: { sw: 'Halmashauri ya Jiji la Arusha', en: 'Arusha City Council' }, type: 'lga', region: 'Arusha' });
  const d = await createInstitution({ code: 'OLD', name: { sw: 'Taasisi Iliyofungwa' }, type: 'lga', region: 'Arusha', active: false });
  await progressRow(a, r1, { claimed: { status: 'completed', percent: 100, at: daysAgo(20) }, verified: [{ status: 'in_progress', percent: 50, at: daysAgo(15) }, { status: 'completed', percent: 100, at: daysAgo(5) }] });
  await progressRow(b, r1, { claimed: { status: 'completed', percent: 100, at: daysAgo(3) }, verified: [{ status: 'in_progress', percent: 40, at: daysAgo(2) }] });
  // A claim that is not verified does not count publicly.
  await progressRow(c, r1, { claimed: { status: 'completed', percent: 100, at: daysAgo(1) } });
  await progressRow(a, r2, { verified: [{ status: 'not_applicable', percent: 0, at: daysAgo(4) }] });
  await progressRow(d, r1, { verified: [{ status: 'completed', percent: 100, at: daysAgo(4) }] });
  return { meeting, r1, r2, a, b, c, d };
}

describe('public pages', () => {
  describe('GET /meetings', () => {
    it('when meetings exist, then the archive lists number, venue, resolution count and completion in Kiswahili', async () => {
      await scenario();
      const { app } = buildTestApp();
      const res = await request(app).get('/meetings').expect(200);
      expect(res.text).to.contain('Kumbukumbu ya vikao');
      expect(res.text).to.contain('Kikao cha Nne cha Serikali Mtandao');
      expect(res.text).to.contain('AICC, Arusha');
      // r1: MOF 100, MOH 40, ARU-CC not reported (0) ; r2: MOF not applicable, MOH not reported (0) → 140/4 = 35 %
      expect(res.text).to.match(/35\s?%/);
      expect(res.headers.etag).to.match(/^W\//);
    });

    it('when asked in English, then the archive is in English', async () => {
      await scenario();
      const { app } = buildTestApp();
      const res = await request(app).get('/meetings?lang=en').expect(200);
      expect(res.text).to.contain('Meetings archive');
      expect(res.text).to.contain('Fourth e-Government Session');
    });

    it('when there is no meeting, then the archive says so', async () => {
      const { app } = buildTestApp();
      const res = await request(app).get('/meetings?lang=en').expect(200);
      expect(res.text).to.contain('No meetings yet.');
    });
  });

  describe('GET /meetings/:id', () => {
    it('when a meeting has verified progress, then each active resolution shows counts by verified status and overdue marks', async () => {
      const { meeting } = await scenario();
      const { app } = buildTestApp();
      const res = await request(app).get(`/meetings/${meeting.id}?lang=en`).expect(200);
      const text = res.text.replace(/\s+/g, ' ');
      expect(res.text).to.contain('Strengthen systems security');
      expect(res.text).to.contain('Connect systems to GovESB');
      expect(res.text).not.to.contain('Withdrawn resolution');
      // r1 applies to MOF (completed), MOH (in progress), ARU-CC (claim only → not reported); OLD is inactive.
      expect(text).to.contain('Completed: 1 · In progress: 1 · Not started: 0 · Not applicable: 0 · Not reported: 1');
      // r2 applies to ministries only: MOF not applicable, MOH not reported.
      expect(text).to.contain('Completed: 0 · In progress: 0 · Not started: 0 · Not applicable: 1 · Not reported: 1');
      expect(res.text.match(/badge-overdue/g)).to.have.length(1);
      expect(res.text).to.contain('By peer group');
      expect(res.text).to.contain('Local government authority');
      expect(res.text).to.contain('By region');
      expect(res.text).to.contain('role="img"');
      expect(res.text).to.contain('The ranking for this meeting has not been published yet.');
    });

    it('when the peer-group and region charts are shown, then each has one table toggle (no second table), regions run from most to least complete, and chart and table round alike', async () => {
      const { meeting } = await scenario();
      const { app } = buildTestApp();
      const res = await request(app).get(`/meetings/${meeting.id}?lang=en`).expect(200);
      const regions = res.text.slice(res.text.indexOf('id="regions-h"'), res.text.indexOf('id="ranking-h"'));
      expect(regions.match(/<details/g)).to.have.length(1);
      expect(regions.match(/<table/g)).to.have.length(1);
      // Dodoma: (100 + 40 + 0) / 3 = 46.7 %; Arusha: 0 %. Alphabetical order would put Arusha first.
      expect(regions.indexOf('Dodoma')).to.be.lessThan(regions.indexOf('Arusha'));
      expect(regions).to.contain('class="chart-value">46.7%</text>');
      expect(regions).to.match(/<th scope="row">Dodoma<\/th><td>1<\/td><td>1<\/td><td>0<\/td><td>1<\/td><td>1<\/td><td>46.7%<\/td>/);
      const types = res.text.slice(res.text.indexOf('id="types-h"'), res.text.indexOf('id="regions-h"'));
      expect(types.match(/<details/g)).to.have.length(1);
      expect(types.match(/<table/g)).to.have.length(1);
    });

    it('when a ranking is published, then its winners are shown', async () => {
      const { meeting, a, b } = await scenario();
      await publishedRanking(meeting, { entries: [{ institution: a, score: 100, rank: 1, grade: 'A' }, { institution: b, score: 40, rank: 2, grade: 'C' }] });
      const { app } = buildTestApp();
      const res = await request(app).get(`/meetings/${meeting.id}`).expect(200);
      expect(res.text).to.contain('Washindi');
      expect(res.text).to.match(/<a href="\/institutions\/MOF">Wizara ya Fedha<\/a>/);
    });

    it('when the id is unknown or malformed, then 404', async () => {
      const { app } = buildTestApp();
      await request(app).get('/meetings/64b7f0000000000000000000').expect(404);
      await request(app).get('/meetings/not-an-id').expect(404);
    });

    it('when the page has not changed, then If-None-Match gets 304', async () => {
      const { meeting } = await scenario();
      const { app } = buildTestApp();
      const first = await request(app).get(`/meetings/${meeting.id}`).expect(200);
      await request(app).get(`/meetings/${meeting.id}`).set('If-None-Match', first.headers.etag).expect(304);
    });
  });

  describe('GET /resolutions/:id', () => {
    it('when opened, then it shows both texts, category, due date and every applicable active institution with its verified status', async () => {
      const { r1 } = await scenario();
      const { app } = buildTestApp();
      const res = await request(app).get(`/resolutions/${r1.id}?lang=en`).expect(200);
      expect(res.text).to.contain('Taasisi zote ziimarishe usalama wa mifumo yao.');
      expect(res.text).to.contain('All institutions shall strengthen the security of their systems.');
      expect(res.text).to.contain('Cybersecurity');
      expect(res.text).to.contain('Overdue');
      expect(res.text).to.contain('3 institutions found.');
      expect(res.text).to.contain('Ministry of Finance');
      expect(res.text).to.contain('Arusha City Council');
      expect(res.text).not.to.contain('Taasisi Iliyofungwa');
      expect(res.text).to.match(/badge-not_reported">Not reported/);
    });

    it('when filtered by status, type, region or text, then only matching rows remain', async () => {
      const { r1 } = await scenario();
      const { app } = buildTestApp();
      const byStatus = await request(app).get(`/resolutions/${r1.id}?lang=en&status=completed`).expect(200);
      expect(byStatus.text).to.contain('1 institutions found.');
      expect(byStatus.text).to.contain('Ministry of Finance');
      expect(byStatus.text).not.to.contain('Ministry of Health</a>');
      const byType = await request(app).get(`/resolutions/${r1.id}?lang=en&type=lga&region=`).expect(200);
      expect(byType.text).to.contain('1 institutions found.');
      expect(byType.text).to.contain('Arusha City Council');
      const byRegion = await request(app).get(`/resolutions/${r1.id}?lang=en&region=Dodoma`).expect(200);
      expect(byRegion.text).to.contain('2 institutions found.');
      const byText = await request(app).get(`/resolutions/${r1.id}?lang=en&q=afya`).expect(200);
      expect(byText.text).to.contain('1 institutions found.');
      expect(byText.text).to.contain('Ministry of Health');
      const regexLike = await request(app).get(`/resolutions/${r1.id}?lang=en&q=.*`).expect(200);
      expect(regexLike.text).to.contain('0 institutions found.');
    });

    it('when sorted by percent descending, then the highest verified percent comes first', async () => {
      const { r1 } = await scenario();
      const { app } = buildTestApp();
      const res = await request(app).get(`/resolutions/${r1.id}?lang=en&sort=percent&dir=desc`).expect(200);
      const order = ['Ministry of Finance', 'Ministry of Health', 'Arusha City Council'].map((n) => res.text.indexOf(`>${n}</a>`));
      expect(order[0]).to.be.greaterThan(0);
      expect(order[0]).to.be.lessThan(order[1]);
      expect(order[1]).to.be.lessThan(order[2]);
      expect(res.text).to.contain('aria-sort="descending"');
    });

    it('when there are more rows than a page, then it paginates with links that keep the filters', async () => {
      const meeting = await createMeeting();
      const r = await createResolution({ meeting, appliesTo: ['lga'] });
      for (let i = 0; i < 55; i++) await createInstitution({ code: `LGA-${String(i).padStart(3, '0')}`, type: 'lga', region: 'Mwanza' });
      const { app } = buildTestApp();
      const p1 = await request(app).get(`/resolutions/${r.id}?lang=en&sort=code&region=Mwanza`).expect(200);
      expect(p1.text).to.contain('55 institutions found.');
      expect(p1.text).to.contain('>LGA-000<');
      expect(p1.text).not.to.contain('>LGA-050<');
      const unescaped = p1.text.replace(/&#x3D;/g, '=').replace(/&amp;/g, '&');
      expect(unescaped).to.match(/href="\/resolutions\/[0-9a-f]+\?lang=en&sort=code&region=Mwanza&page=2"/);
      const p2 = await request(app).get(`/resolutions/${r.id}?lang=en&sort=code&region=Mwanza&page=2`).expect(200);
      expect(p2.text).to.contain('>LGA-050<');
      expect(p2.text).not.to.contain('>LGA-000<');
    });

    it('when a parameter is invalid, then 400 with a message in the user language', async () => {
      const { r1 } = await scenario();
      const { app } = buildTestApp();
      await request(app).get(`/resolutions/${r1.id}?status=bogus`).expect(400);
      await request(app).get(`/resolutions/${r1.id}?page=0`).expect(400);
      const bad = await request(app).get(`/resolutions/${r1.id}?lang=en&sort=bogus`).expect(400);
      expect(bad.text).to.contain('lang="en"');
    });

    it('when a resolution was carried over, then both pages link to each other', async () => {
      const { r1 } = await scenario();
      const next = await createMeeting({ number: 5, title: { sw: 'Kikao cha Tano', en: 'Fifth Session' } });
      const copy = await createResolution({ meeting: next, number: 1, title: { sw: 'Usalama wa mifumo (umehamishwa)', en: 'Systems security (carried over)' }, carriedOverFrom: r1._id });
      const { app } = buildTestApp();
      const res = await request(app).get(`/resolutions/${copy.id}?lang=en`).expect(200);
      expect(res.text).to.contain('Carried over from');
      expect(res.text).to.contain(`href="/resolutions/${r1.id}"`);
      const origin = await request(app).get(`/resolutions/${r1.id}?lang=en`).expect(200);
      expect(origin.text).to.contain('Carried over to');
      expect(origin.text).to.contain(`href="/resolutions/${copy.id}"`);
    });

    it('when the id is unknown, then 404', async () => {
      const { app } = buildTestApp();
      await request(app).get('/resolutions/64b7f0000000000000000000').expect(404);
      await request(app).get('/resolutions/xyz').expect(404);
    });
  });

  describe('GET /institutions/:code', () => {
    it('when an institution has progress, then the scorecard shows verified status, history and claimed vs verified', async () => {
      const { a } = await scenario();
      const { app } = buildTestApp();
      const res = await request(app).get('/institutions/mof?lang=en').expect(200);
      expect(res.text).to.contain('Ministry of Finance');
      expect(res.text).to.contain('Strengthen systems security');
      expect(res.text).to.contain('Connect systems to GovESB');
      expect(res.text).to.contain('2 versions');
      expect(res.text).to.contain('No ranking has been published yet.');
      expect(a.code).to.equal('MOF');
    });

    it('when rankings are published, then rank, grade and a trend chart are shown', async () => {
      const { meeting, a, b } = await scenario();
      await publishedRanking(meeting, { version: 1, publishedAt: daysAgo(10), entries: [{ institution: b, score: 60, rank: 1, grade: 'B' }, { institution: a, score: 50, rank: 2, grade: 'B' }] });
      await publishedRanking(meeting, { version: 2, publishedAt: daysAgo(1), entries: [{ institution: a, score: 100, rank: 1, grade: 'A' }, { institution: b, score: 40, rank: 2, grade: 'C' }] });
      const { app } = buildTestApp();
      const res = await request(app).get('/institutions/MOF').expect(200);
      expect(res.text).to.contain('Nafasi ya jumla kwa kila toleo');
      expect(res.text).to.contain('<polyline');
      expect(res.text).to.contain('grade-A');
      expect(res.text).to.contain('grade-B');
    });

    it('when the code is unknown, then 404', async () => {
      const { app } = buildTestApp();
      await request(app).get('/institutions/NOPE').expect(404);
    });
  });
});
