import { expect } from 'chai';
import request from 'supertest';
import { buildTestApp } from '../../helpers/app.js';
import { createInstitution, createMeeting, createResolution } from '../../helpers/fixtures.js';
import { daysAgo, progressRow } from '../public/public-fixtures.js';

async function scenario() {
  const m4 = await createMeeting({ number: 4, title: { sw: 'Kikao cha Nne', en: 'Fourth Session' }, venue: 'AICC, Arusha' });
  const m3 = await createMeeting({ number: 3, title: { sw: 'Kikao cha Tatu' }, venue: 'Dodoma' });
  const r1 = await createResolution({ meeting: m4, number: 1, title: { sw: 'Usalama wa mifumo', en: 'Systems security' }, weight: 2 });
  const r2 = await createResolution({ meeting: m4, number: 2, title: { sw: '=Fomula hatari', en: 'GovESB' }, appliesTo: ['ministry'] });
  const a = await createInstitution({ code: 'MOF', name: { sw: 'Wizara ya Fedha', en: 'Ministry of Finance' }, type: 'ministry', region: 'Dodoma' });
  const b = await createInstitution({ code: 'ARU', name: { sw: 'Halmashauri ya Arusha' }, type: 'lga', region: 'Arusha' });
  await progressRow(a, r1, { verified: [{ status: 'completed', percent: 100, at: new Date('2024-05-01T10:00:00Z') }] });
  await progressRow(b, r1, { claimed: { status: 'in_progress', percent: 30, at: daysAgo(1) } });
  await progressRow(a, r2, { verified: [{ status: 'in_progress', percent: 60, at: daysAgo(2) }] });
  return { m4, m3, r1, r2, a, b };
}

describe('open data API', () => {
  describe('GET /api/v1/meetings', () => {
    it('when meetings exist, then it lists exactly the documented fields with totals', async () => {
      const { m4 } = await scenario();
      const { app } = buildTestApp();
      const res = await request(app).get('/api/v1/meetings').expect(200).expect('Content-Type', /json/);
      expect(res.body.meta).to.deep.equal({ page: 1, limit: 100, total: 2, pages: 1 });
      expect(res.body.data.map((m: { number: number }) => m.number)).to.deep.equal([3, 4]);
      const four = res.body.data[1];
      expect(Object.keys(four).sort()).to.deep.equal(['endDate', 'id', 'number', 'startDate', 'title', 'venue']);
      expect(four).to.include({ id: m4.id, venue: 'AICC, Arusha', startDate: m4.startDate.toISOString() });
      expect(four.title).to.deep.equal({ sw: 'Kikao cha Nne', en: 'Fourth Session' });
      expect(res.body.data[0].title).to.deep.equal({ sw: 'Kikao cha Tatu', en: null });
      expect(res.headers['cache-control']).to.equal('public, max-age=60');
    });

    it('when paginated, then page and limit slice the list and keep the total', async () => {
      await scenario();
      const { app } = buildTestApp();
      const res = await request(app).get('/api/v1/meetings?page=2&limit=1').expect(200);
      expect(res.body.meta).to.deep.equal({ page: 2, limit: 1, total: 2, pages: 2 });
      expect(res.body.data).to.have.length(1);
      expect(res.body.data[0].number).to.equal(4);
    });

    it('when a parameter is bad, then 400 with a JSON message', async () => {
      const { app } = buildTestApp();
      for (const qs of ['limit=1001', 'limit=0', 'page=0', 'page=abc', 'format=xml']) {
        const res = await request(app).get(`/api/v1/meetings?${qs}`).expect(400);
        expect(res.body.error.message).to.be.a('string').and.not.equal('');
      }
      const en = await request(app).get('/api/v1/meetings?limit=5000&lang=en').expect(400);
      const sw = await request(app).get('/api/v1/meetings?limit=5000&lang=sw').expect(400);
      expect(en.body.error.message).not.to.equal(sw.body.error.message);
    });

    it('when the ETag matches, then 304; after a change, then 200 with a new ETag', async () => {
      await scenario();
      const { app } = buildTestApp();
      const first = await request(app).get('/api/v1/meetings').expect(200);
      expect(first.headers.etag).to.match(/^W\/"/);
      await request(app).get('/api/v1/meetings').set('If-None-Match', first.headers.etag).expect(304);
      await createMeeting({ number: 9 });
      const changed = await request(app).get('/api/v1/meetings').set('If-None-Match', first.headers.etag).expect(200);
      expect(changed.headers.etag).not.to.equal(first.headers.etag);
    });

    it('when CSV is asked for, then the same table comes as CSV by suffix or by format', async () => {
      await scenario();
      const { app } = buildTestApp();
      const bySuffix = await request(app).get('/api/v1/meetings.csv').expect(200).expect('Content-Type', /text\/csv/);
      const lines = bySuffix.text.replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(lines[0]).to.equal('id,number,title_sw,title_en,venue,startDate,endDate');
      expect(lines).to.have.length(3);
      const byFormat = await request(app).get('/api/v1/meetings?format=csv').expect(200);
      expect(byFormat.text).to.equal(bySuffix.text);
    });
  });

  describe('GET /api/v1/meetings/:id/resolutions', () => {
    it('when a meeting has resolutions, then each carries the documented fields and verified progress counts', async () => {
      const { m4, r1 } = await scenario();
      const { app } = buildTestApp();
      const res = await request(app).get(`/api/v1/meetings/${m4.id}/resolutions`).expect(200);
      expect(res.body.meta.total).to.equal(2);
      const first = res.body.data[0];
      expect(Object.keys(first).sort()).to.deep.equal(['appliesTo', 'category', 'dueDate', 'id', 'number', 'progress', 'title', 'weight']);
      expect(first).to.include({ id: r1.id, number: 1, category: 'cybersecurity', weight: 2 });
      // MOF verified completed; ARU only claimed → not reported.
      expect(first.progress).to.deep.equal({ completed: 1, in_progress: 0, not_started: 0, not_applicable: 0, not_reported: 1 });
      expect(res.body.data[1].progress).to.deep.equal({ completed: 0, in_progress: 1, not_started: 0, not_applicable: 0, not_reported: 0 });
      expect(res.body.data[1].appliesTo).to.deep.equal(['ministry']);
    });

    it('when downloaded as CSV, then formula-like text is neutralised', async () => {
      const { m4 } = await scenario();
      const { app } = buildTestApp();
      const res = await request(app).get(`/api/v1/meetings/${m4.id}/resolutions.csv`).expect(200);
      expect(res.text).to.contain(",'=Fomula hatari,");
      expect(res.text).to.contain('not_reported');
    });

    it('when the meeting is unknown or the id malformed, then 404 JSON', async () => {
      const { app } = buildTestApp();
      const res = await request(app).get('/api/v1/meetings/64b7f0000000000000000000/resolutions?lang=en').expect(404);
      expect(res.body.error.message).to.equal('Meeting not found.');
      await request(app).get('/api/v1/meetings/nope/resolutions').expect(404);
    });
  });

  describe('GET /api/v1/institutions', () => {
    it('when institutions exist, then active ones are listed with code, name, type and region, filterable', async () => {
      await scenario();
      await createInstitution({ code: 'ZZZ', active: false });
      const { app } = buildTestApp();
      const res = await request(app).get('/api/v1/institutions').expect(200);
      expect(res.body.meta.total).to.equal(2);
      expect(res.body.data[0]).to.deep.equal({ code: 'ARU', name: { sw: 'Halmashauri ya Arusha', en: null }, type: 'lga', region: 'Arusha' });
      const lga = await request(app).get('/api/v1/institutions?type=lga').expect(200);
      expect(lga.body.data.map((i: { code: string }) => i.code)).to.deep.equal(['ARU']);
      await request(app).get('/api/v1/institutions?type=bank').expect(400);
      const csv = await request(app).get('/api/v1/institutions.csv').expect(200);
      expect(csv.text).to.contain('MOF,Wizara ya Fedha,Ministry of Finance,ministry,Dodoma');
    });
  });

  describe('GET /api/v1/institutions/:code/progress', () => {
    it('when asked for a meeting, then each applicable resolution has its verified status, or not_reported with nulls', async () => {
      const { m4, r1, r2 } = await scenario();
      const { app } = buildTestApp();
      const mof = await request(app).get(`/api/v1/institutions/MOF/progress?meeting=${m4.id}`).expect(200);
      expect(mof.body.meetingId).to.equal(m4.id);
      expect(mof.body.data).to.deep.equal([
        { resolutionId: r1.id, number: 1, status: 'completed', percent: 100, verifiedAt: '2024-05-01T10:00:00.000Z' },
        { resolutionId: r2.id, number: 2, status: 'in_progress', percent: 60, verifiedAt: mof.body.data[1].verifiedAt },
      ]);
      const aru = await request(app).get(`/api/v1/institutions/aru/progress?meeting=${m4.id}`).expect(200);
      expect(aru.body.data).to.deep.equal([{ resolutionId: r1.id, number: 1, status: 'not_reported', percent: null, verifiedAt: null }]);
    });

    it('when no meeting is given, then the latest meeting is used', async () => {
      const { m4 } = await scenario();
      const { app } = buildTestApp();
      const res = await request(app).get('/api/v1/institutions/MOF/progress').expect(200);
      expect(res.body.meetingId).to.equal(m4.id);
      expect(res.body.data).to.have.length(2);
    });

    it('when the institution or meeting is unknown, then 404; a malformed meeting id, then 400', async () => {
      const { m4 } = await scenario();
      const { app } = buildTestApp();
      await request(app).get(`/api/v1/institutions/NOPE/progress?meeting=${m4.id}`).expect(404);
      await request(app).get('/api/v1/institutions/MOF/progress?meeting=64b7f0000000000000000000').expect(404);
      const bad = await request(app).get('/api/v1/institutions/MOF/progress?meeting=xyz&lang=en').expect(400);
      expect(bad.body.error).to.have.property('message');
    });

    it('when downloaded as CSV, then it has the documented columns', async () => {
      const { m4 } = await scenario();
      const { app } = buildTestApp();
      const res = await request(app).get(`/api/v1/institutions/MOF/progress.csv?meeting=${m4.id}`).expect(200);
      expect(res.text.replace(/^\uFEFF/, '').split('\r\n')[0]).to.equal('resolutionId,number,status,percent,verifiedAt');
    });
  });

  describe('OpenAPI', () => {
    it('when fetched, then /api/openapi.json is an OpenAPI 3 document covering every open-data path', async () => {
      const { app } = buildTestApp();
      const res = await request(app).get('/api/openapi.json').expect(200);
      expect(res.body.openapi).to.match(/^3\./);
      expect(Object.keys(res.body.paths)).to.include.members([
        '/api/v1/meetings',
        '/api/v1/meetings/{id}/resolutions',
        '/api/v1/institutions',
        '/api/v1/institutions/{code}/progress',
        '/api/v1/rankings',
        '/api/v1/rankings/{id}',
      ]);
      // Every $ref points at an existing schema.
      const refs = JSON.stringify(res.body).match(/#\/components\/schemas\/\w+/g) ?? [];
      for (const ref of refs) expect(res.body.components.schemas).to.have.property(ref.split('/').pop() as string);
    });

    it('when /api/docs is opened, then a readable page lists the endpoints in the chosen language', async () => {
      const { app } = buildTestApp();
      const sw = await request(app).get('/api/docs').expect(200);
      expect(sw.text).to.contain('Takwimu huria (API)');
      expect(sw.text).to.contain('GET /api/v1/meetings/{id}/resolutions');
      expect(sw.text).to.contain('GET /api/v1/rankings/{id}');
      const en = await request(app).get('/api/docs?lang=en').expect(200);
      expect(en.text).to.contain('Open data (API)');
    });
  });
});
