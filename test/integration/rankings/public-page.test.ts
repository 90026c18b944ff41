import { expect } from 'chai';
import request from 'supertest';
import type { Express } from 'express';
import { buildTestApp } from '../../helpers/app.js';
import { createInstitution, createMeeting, createResolution, createUser } from '../../helpers/fixtures.js';
import { createDraft, draftFrom, publishRanking } from '../../../src/features/rankings/ranking-workflow.service.js';
import { PUBLIC_GROUP_TOP, PUBLIC_PAGE_SIZE } from '../../../src/features/rankings/public.present.js';
import { RankingModel } from '../../../src/features/rankings/ranking.model.js';
import { DAY, arrange, record } from './setup.js';

/** Link targets as written by the pagination helper, with the HTML escapes undone. */
const unescaped = (html: string): string => html.replaceAll('&#x3D;', '=').replaceAll('&amp;', '&');

/** The codes in the overall table of a rendered page, in order. */
function overallCodes(html: string): string[] {
  const table = /<table class="data-table" id="overall">([\s\S]*?)<\/table>/.exec(html);
  if (!table) return [];
  return [...table[1].matchAll(/<span class="muted">([A-Z0-9-]+)<\/span>/g)].map((m) => m[1]);
}

describe('rankings public page: pagination and peer groups (integration)', function () {
  this.timeout(60_000);
  let app: Express;
  let id: string;
  /** Codes in rank order (scores are distinct: institution i has 100 − i/2 %). */
  const codes: string[] = [];

  beforeEach(async () => {
    app = buildTestApp().app;
    codes.length = 0;
    const meeting = await createMeeting();
    const res = await createResolution({ meeting, number: 1, weight: 1 });
    const reviewer = await createUser({ role: 'reviewer' });
    const admin = await createUser({ role: 'admin' });
    const t0 = Date.now() - 10 * DAY;
    // 60 ministries (even i) and 60 councils (odd i); 120 ranked in all.
    for (let i = 0; i < 120; i++) {
      const code = `PG-${String(i).padStart(3, '0')}`;
      codes.push(code);
      const inst = await createInstitution({ code, type: i % 2 === 0 ? 'ministry' : 'lga', region: i % 3 === 0 ? 'Mwanza' : 'Dodoma', createdAt: new Date(t0 - DAY) });
      await record(inst, res, reviewer.user._id, { status: 'in_progress', percent: 100 - i / 2, at: new Date(t0) });
    }
    const actor = { id: String(admin.user._id), role: 'admin' as const, institutionId: null, name: 'Afisa' };
    const draft = await createDraft(actor, String(meeting._id), { cutoff: new Date(t0 + DAY) }, new Date());
    id = String((await publishRanking(actor, String(draft._id), '', new Date()))._id);
    const stored = await RankingModel.findById(id).lean();
    expect(stored!.entries.map((e) => e.code)).to.deep.equal(codes);
  });

  it('when the page is opened in Kiswahili, then it shows the first page of the overall table and links to the next', async () => {
    const res = await request(app).get(`/rankings/${id}`);
    expect(res.status).to.equal(200);
    expect(overallCodes(res.text)).to.deep.equal(codes.slice(0, PUBLIC_PAGE_SIZE));
    expect(res.text).to.contain('Taasisi 120');
    expect(res.text).to.contain('zinaonyeshwa 1–50');
    expect(res.text).to.match(/<nav class="pagination" aria-label="[^"]+">/);
    expect(res.text).to.contain('<span aria-current="page">1</span>');
    expect(unescaped(res.text)).to.contain(`href="/rankings/${id}?page=2" rel="next"`);
    // Each peer group shows its top rows and a link to the whole group.
    expect(res.text).to.contain('Tazama zote 60');
    expect(unescaped(res.text)).to.contain(`href="/rankings/${id}?type=ministry#table-h"`);
    expect(unescaped(res.text)).to.contain(`href="/rankings/${id}?type=lga#table-h"`);
    const groupTable = /<h3 id="group-lga">[\s\S]*?<\/table>/.exec(res.text)![0];
    expect((groupTable.match(/<tr>/g) ?? []).length).to.equal(1 + PUBLIC_GROUP_TOP);
    // The downloads stay complete.
    const csv = await request(app).get(`/rankings/${id}/download.csv`);
    expect(csv.text.trim().split('\n')).to.have.length(1 + 120);
  });

  it('when a later page is asked for in English, then it shows those rows and marks the current page', async () => {
    const res = await request(app).get(`/rankings/${id}?page=3&lang=en`);
    expect(res.status).to.equal(200);
    expect(overallCodes(res.text)).to.deep.equal(codes.slice(100, 120));
    expect(res.text).to.contain('120 institutions — showing 101–120');
    expect(res.text).to.contain('<span aria-current="page">3</span>');
    expect(unescaped(res.text)).to.contain(`href="/rankings/${id}?page=2&lang=en" rel="prev"`);
    expect(res.text).to.contain('See all 60 in Local government authorities');
  });

  it('when a peer group is chosen, then the table pages through that group only and keeps the filter in the links', async () => {
    const lgaCodes = codes.filter((_, i) => i % 2 === 1);
    const p1 = await request(app).get(`/rankings/${id}?type=lga&lang=en`);
    expect(overallCodes(p1.text)).to.deep.equal(lgaCodes.slice(0, 50));
    expect(unescaped(p1.text)).to.contain(`href="/rankings/${id}?type=lga&lang=en&page=2" rel="next"`);
    const p2 = await request(app).get(`/rankings/${id}?type=lga&page=2&lang=en`);
    expect(overallCodes(p2.text)).to.deep.equal(lgaCodes.slice(50));
    expect(p2.text).to.contain('60 institutions — showing 51–60');
    const region = await request(app).get(`/rankings/${id}?type=lga&region=Mwanza`);
    expect(overallCodes(region.text)).to.deep.equal(codes.filter((_, i) => i % 2 === 1 && i % 3 === 0));
    expect(region.text).not.to.contain('class="pagination"');
  });

  it('when the page number is not a number or past the end, then the first or the last page is shown', async () => {
    const bad = await request(app).get(`/rankings/${id}?page=abc`);
    expect(bad.status).to.equal(200);
    expect(overallCodes(bad.text)).to.deep.equal(codes.slice(0, 50));
    const past = await request(app).get(`/rankings/${id}?page=999&lang=en`);
    expect(past.status).to.equal(200);
    expect(overallCodes(past.text)).to.deep.equal(codes.slice(100));
    expect(past.text).to.contain('<span aria-current="page">3</span>');
  });
});

describe('rankings public page: version difference (integration)', function () {
  this.timeout(30_000);

  it('when a line becomes not applicable, then the difference names the statuses without a stray percent', async () => {
    const app = buildTestApp().app;
    const s = await arrange();
    const actor = { id: String(s.admin.user._id), role: 'admin' as const, institutionId: null, name: 'Afisa Mkuu' };
    const d1 = await createDraft(actor, String(s.meeting._id), { cutoff: s.cutoff }, new Date());
    const v1 = await publishRanking(actor, String(d1._id), '', new Date());
    // A's resolution 2 (in progress 40%) is verified as not applicable, dated before the cutoff.
    await record(s.a, s.r2, s.reviewer.user._id, { status: 'not_applicable', percent: 0, at: new Date(s.cutoff.getTime() - DAY) });
    const d2 = await draftFrom(actor, String(v1._id), new Date());
    const v2 = await publishRanking(actor, String(d2._id), 'Azimio 2 halihusu Wizara A', new Date());
    const stored = await RankingModel.findById(v2._id).lean();
    const line = stored!.diff.find((d) => d.code === 'MIN-A')!;
    expect(line.reasons[0]).to.include({ number: 2, fromStatus: 'in_progress', fromPercent: 40, toStatus: 'not_applicable', toPercent: 0 });

    const en = await request(app).get(`/rankings/${String(v2._id)}?lang=en`);
    expect(en.status).to.equal(200);
    expect(en.text).to.contain('Resolution 2: In progress 40% → Not applicable</td>');
    expect(en.text).not.to.contain('Not applicable 0');
    const sw = await request(app).get(`/rankings/${String(v2._id)}`);
    expect(sw.text).to.match(/Azimio 2: [^<]+ 40% → [^<0-9]+<\/td>/);
  });
});
