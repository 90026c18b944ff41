import { expect } from 'chai';
import request from 'supertest';
import { Types } from 'mongoose';
import type { Express } from 'express';
import { buildTestApp } from '../../helpers/app.js';
import { createInstitution, createResolution } from '../../helpers/fixtures.js';
import { createDraft, publishRanking } from '../../../src/features/rankings/ranking-workflow.service.js';
import { getLatestPublishedRanking, listPublishedRankings } from '../../../src/features/rankings/rankings.query.js';
import { RankingModel } from '../../../src/features/rankings/ranking.model.js';
import { decodeLines } from '../../../src/db/ranking-lines.codec.js';
import { DAY, arrange, record, type Scenario } from './setup.js';

/* Independent recomputation from the published JSON alone (no import of the scoring code). */
type Frac = [bigint, bigint];
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));
const norm = ([n, d]: Frac): Frac => {
  const g = gcd(n, d) || 1n;
  return [n / g, d / g];
};
function dec(x: number): Frac {
  const [i, f = ''] = String(x).split('.');
  return norm([BigInt(i + f), 10n ** BigInt(f.length)]);
}
const addF = (a: Frac, b: Frac): Frac => norm([a[0] * b[1] + b[0] * a[1], a[1] * b[1]]);
const mulF = (a: Frac, b: Frac): Frac => norm([a[0] * b[0], a[1] * b[1]]);
const cmpF = (a: Frac, b: Frac) => {
  const l = a[0] * b[1];
  const r = b[0] * a[1];
  return l < r ? -1 : l > r ? 1 : 0;
};
const round2 = ([n, d]: Frac) => Number((2n * n * 100n + d) / (2n * d)) / 100;

interface ApiLine { resolutionId: string; weight: number; status: string; percent: number | null; points: number | null; verifiedAt: string | null; counted: boolean }
interface ApiEntry { code: string; type: string; score: number; scoreExact: string; rank: number; rankInType: number; grade: string; completed: number; breakdown: ApiLine[] }

function recompute(json: { parameters: { gradeBands: { A: number; B: number; C: number }; resolutions: { resolutionId: string; weight: number; appliesTo: string[] }[] }; entries: ApiEntry[] }) {
  const weights = new Map(json.parameters.resolutions.map((r) => [r.resolutionId, r]));
  const rows = json.entries.map((e) => {
    let num: Frac = [0n, 1n];
    let den: Frac = [0n, 1n];
    let completed = 0;
    let latest: number | null = null;
    for (const l of e.breakdown) {
      const res = weights.get(l.resolutionId)!;
      expect(res.weight).to.equal(l.weight);
      expect(res.appliesTo).to.include(e.type);
      if (l.status === 'not_applicable') continue;
      const points = l.status === 'completed' ? 100 : l.status === 'not_reported' ? 0 : (l.percent as number);
      expect(l.points).to.equal(points);
      num = addF(num, mulF(dec(l.weight), dec(points)));
      den = addF(den, dec(l.weight));
      if (l.status === 'completed') completed += 1;
      if (l.verifiedAt) latest = Math.max(latest ?? 0, Date.parse(l.verifiedAt));
    }
    const score = norm([num[0] * den[1], num[1] * den[0]]);
    const b = json.parameters.gradeBands;
    const grade = cmpF(score, dec(b.A)) >= 0 ? 'A' : cmpF(score, dec(b.B)) >= 0 ? 'B' : cmpF(score, dec(b.C)) >= 0 ? 'C' : 'D';
    return { e, score, completed, latest, grade };
  });
  const keys = (a: (typeof rows)[number], b: (typeof rows)[number]) =>
    cmpF(b.score, a.score) || b.completed - a.completed || (a.latest === b.latest ? 0 : a.latest === null ? 1 : b.latest === null ? -1 : a.latest - b.latest);
  const rankOf = (list: typeof rows, r: (typeof rows)[number]) => 1 + list.filter((o) => keys(o, r) < 0).length;
  for (const r of rows) {
    expect(`${r.score[0]}/${r.score[1]}`, r.e.code).to.equal(r.e.scoreExact);
    expect(round2(r.score), r.e.code).to.equal(r.e.score);
    expect(r.grade, r.e.code).to.equal(r.e.grade);
    expect(r.completed).to.equal(r.e.completed);
    expect(rankOf(rows, r), `rank ${r.e.code}`).to.equal(r.e.rank);
    expect(rankOf(rows.filter((o) => o.e.type === r.e.type), r), `rankInType ${r.e.code}`).to.equal(r.e.rankInType);
  }
  // Listed in rank order.
  expect(json.entries.map((e) => e.rank)).to.deep.equal([...json.entries.map((e) => e.rank)].sort((x, y) => x - y));
}

describe('rankings public pages and open data (integration)', () => {
  let app: Express;
  let s: Scenario;
  let id: string;

  beforeEach(async () => {
    app = buildTestApp().app;
    s = await arrange();
    // More variety: a decimal weight, ties, a not-applicable pair and a resolution for LGAs only.
    const r3 = await createResolution({ meeting: s.meeting, number: 3, weight: 1.5, appliesTo: ['lga', 'ministry'] });
    const r4 = await createResolution({ meeting: s.meeting, number: 4, weight: 0.5, appliesTo: ['lga'] });
    const d = await createInstitution({ code: 'MIN-D', type: 'ministry', region: 'Dodoma', name: { sw: 'Wizara D', en: 'Ministry D' }, createdAt: s.a.createdAt });
    const e = await createInstitution({ code: 'LGA-E', type: 'lga', region: 'Tanga', name: { sw: 'Halmashauri E' }, createdAt: s.a.createdAt });
    await createInstitution({ code: 'OTH-F', type: 'other', region: 'Tanga', createdAt: s.a.createdAt });
    const by = s.reviewer.user._id;
    const t0 = s.cutoff.getTime() - 10 * DAY;
    await record(s.a, r3, by, { status: 'completed', percent: 100, at: new Date(t0) });
    await record(d, s.r1, by, { status: 'completed', percent: 100, at: new Date(t0) });
    await record(d, s.r2, by, { status: 'not_applicable', percent: 0, at: new Date(t0) });
    await record(d, r3, by, { status: 'in_progress', percent: 33, at: new Date(t0) });
    await record(e, r4, by, { status: 'in_progress', percent: 77, at: new Date(t0) });
    await record(e, r3, by, { status: 'in_progress', percent: 10, at: new Date(s.cutoff.getTime() + DAY) });
    const actor = { id: String(s.admin.user._id), role: 'admin' as const, institutionId: null, name: 'Afisa Mkuu' };
    const draft = await createDraft(actor, String(s.meeting._id), { cutoff: s.cutoff }, new Date());
    id = String((await publishRanking(actor, String(draft._id), '', new Date()))._id);
  });

  it('when the published JSON is read, then anyone can recompute every published number exactly', async () => {
    const res = await request(app).get(`/api/v1/rankings/${id}`);
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/json/);
    const json = res.body.data;
    expect(json.version).to.equal(1);
    expect(json.cutoff).to.match(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(json.publishedAt).to.match(/Z$/);
    expect(json.entries.length).to.equal(6);
    expect(json.unranked).to.deep.equal([]);
    recompute(json);
    expect(json.awards.winners.map((w: { code: string }) => w.code)).to.include('MIN-A');
    expect(json.parameters.gradeBands).to.deep.equal({ A: 75, B: 50, C: 25 });
    expect(json.parameters.rounding.mode).to.equal('half-up');
  });

  it('when the list is read, then it has ISO dates, an ETag and the API Cache-Control, and a repeat gets 304', async () => {
    const res = await request(app).get('/api/v1/rankings');
    expect(res.status).to.equal(200);
    expect(res.body.data).to.have.length(1);
    expect(res.body.data[0]).to.have.keys(['id', 'meetingId', 'version', 'cutoff', 'publishedAt']);
    expect(res.body.data[0].meetingId).to.equal(String(s.meeting._id));
    // The same caching as the rest of the open-data API (and the downloads).
    expect(res.headers['cache-control']).to.equal('public, max-age=60');
    expect((await request(app).get(`/api/v1/rankings/${id}`)).headers['cache-control']).to.equal('public, max-age=60');
    expect((await request(app).get(`/rankings/${id}/download.csv`)).headers['cache-control']).to.equal('public, max-age=60');
    const etag = res.headers.etag;
    expect(etag).to.be.a('string');
    const again = await request(app).get('/api/v1/rankings').set('If-None-Match', etag);
    expect(again.status).to.equal(304);
  });

  it('when an id is unknown or malformed, then the API answers 404 JSON and the page 404', async () => {
    for (const bad of ['000000000000000000000000', 'nonsense', '%24ne']) {
      const res = await request(app).get(`/api/v1/rankings/${bad}`);
      expect(res.status, bad).to.equal(404);
      expect(res.body.error.code).to.equal('not_found');
    }
    expect((await request(app).get('/rankings/nonsense')).status).to.equal(404);
    expect((await request(app).get(`/rankings/${id}/institutions/NOPE`)).status).to.equal(404);
  });

  it('when the public page is opened in Kiswahili and English, then it shows tables, awards, method and charts', async () => {
    const sw = await request(app).get(`/rankings/${id}`);
    expect(sw.status).to.equal(200);
    expect(sw.text).to.contain('Washindi').and.contain('Jinsi nafasi za taasisi zinavyopangwa').and.contain('Wanaohitaji kuongeza juhudi');
    expect(sw.text).to.contain('Wizara A').and.contain('<svg').and.contain('Onyesha kama jedwali');
    const en = await request(app).get(`/rankings/${id}?lang=en`);
    expect(en.text).to.contain('Winners').and.contain('How the ranking is made').and.contain('Needs improvement');
    expect(en.text).to.contain('Ministry A').and.contain('Grades: A from 75, B from 50, C from 25');
    const filtered = await request(app).get(`/rankings/${id}?type=lga&lang=en`);
    const overall = /<table class="data-table" id="overall">[\s\S]*?<\/table>/.exec(filtered.text)![0];
    expect(overall).to.contain('LGA-C').and.not.contain('MIN-A');
    const region = await request(app).get(`/rankings/${id}?region=Arusha`);
    const overall2 = /<table class="data-table" id="overall">[\s\S]*?<\/table>/.exec(region.text)![0];
    expect(overall2).to.contain('MIN-B').and.not.contain('MIN-A');
    const list = await request(app).get('/rankings?lang=en');
    expect(list.status).to.equal(200);
    expect(list.text).to.contain(`/rankings/${id}`);
  });

  it('when an institution breakdown is opened, then weights, verified values, points, gains and claims are shown', async () => {
    const res = await request(app).get(`/rankings/${id}/institutions/min-d?lang=en`);
    expect(res.status).to.equal(200);
    // D: (2×100 + 1.5×33)/(3.5) = 249.5/3.5 = 71.29; r2 not applicable
    expect(res.text).to.contain('499/7').and.contain('Not applicable').and.contain('not counted');
    // completing r3 would add 1.5×67/3.5 = 28.71
    expect(res.text).to.contain('+28.71');
    const c = await request(app).get(`/rankings/${id}/institutions/LGA-C?lang=en`);
    expect(c.text).to.contain('Not reported').and.contain('Completed 100%');
  });

  it('when CSV and JSON are downloaded, then they hold every entry and resolution line', async () => {
    const csv = await request(app).get(`/rankings/${id}/download.csv`);
    expect(csv.status).to.equal(200);
    expect(csv.headers['content-type']).to.match(/text\/csv/);
    expect(csv.headers['content-disposition']).to.contain('attachment');
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).to.contain('scoreExact');
    // 3 ministries × 3 resolutions + 2 LGAs × 4 resolutions + 1 other × 2 resolutions
    expect(lines.length - 1).to.equal(3 * 3 + 2 * 4 + 2);
    const json = await request(app).get(`/rankings/${id}/download.json`);
    expect(json.status).to.equal(200);
    expect(JSON.parse(json.text).entries).to.have.length(6);
  });

  it('when a ranking was stored before the compact line layout, then its JSON, CSV and breakdown pages read the same', async () => {
    const urls = [`/api/v1/rankings/${id}`, `/rankings/${id}/download.csv`, `/rankings/${id}/download.json`, `/rankings/${id}/institutions/MIN-D?lang=en`];
    const before = await Promise.all(urls.map((u) => request(app).get(u)));
    // Rewrite the stored document into the old layout (line sub-documents, no lines strings).
    const coll = RankingModel.collection;
    const stored = await coll.findOne({ _id: new Types.ObjectId(id) });
    const byNumber = new Map(stored!.parameters.resolutions.map((r: { number: number }) => [r.number, r]));
    const entries = stored!.entries.map(({ lines, ...rest }: { lines: string }) => ({ ...rest, breakdown: decodeLines(lines, byNumber as never) }));
    expect(entries.reduce((n: number, e: { breakdown: unknown[] }) => n + e.breakdown.length, 0)).to.equal(3 * 3 + 2 * 4 + 2);
    await coll.replaceOne({ _id: stored!._id }, { ...stored, entries });
    expect((await coll.findOne({ _id: stored!._id }))!.entries[0]).to.have.property('breakdown').and.not.have.property('lines');
    const after = await Promise.all(urls.map((u) => request(app).get(u)));
    after.forEach((res, i) => {
      expect(res.status, urls[i]).to.equal(200);
      expect(res.text, urls[i]).to.equal(before[i].text);
    });
  });

  it('when other features ask for published rankings, then they get plain objects', async () => {
    const latest = await getLatestPublishedRanking(String(s.meeting._id));
    expect(latest?.id).to.equal(id);
    expect(latest?.entries[0]).to.include({ code: 'MIN-A', rank: 1, grade: 'A' });
    expect(latest?.awards.winners.map((w) => w.code)).to.include('MIN-A');
    expect(await getLatestPublishedRanking('bad')).to.equal(null);
    const trend = await listPublishedRankings({ institutionId: String(s.a._id) });
    expect(trend).to.have.length(1);
    // A: (2×100 + 1×40 + 1.5×100)/4.5 = 86.67
    expect(trend[0].entry?.score).to.equal(86.67);
  });
});
