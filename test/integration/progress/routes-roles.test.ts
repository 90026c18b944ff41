import { expect } from 'chai';
import request from 'supertest';
import { ProgressReportModel } from '../../../src/features/progress/progress.model.js';
import { buildScenario, itemOf, signIn, submitReport, type Scenario } from './scenario.js';

/**
 * Every GET page of the progress, review and notifications features, for every role and both
 * languages. Expected: anonymous -> /login, wrong role -> 403, right role -> 200 in sw and en.
 */
describe('progress, review and notifications: every page for every role', () => {
  let s: Scenario;
  let itemId: string;
  let fileId: string;

  beforeEach(async () => {
    s = await buildScenario();
    const a = await signIn(s.app, s.userA);
    const item = await itemOf(a, s.instA, s.r1);
    itemId = String(item._id);
    await submitReport(a, itemId, { revision: 0, status: 'in_progress', percent: 50, narrative: 'Hatua ya kwanza' }, [
      { name: 'r.pdf', data: Buffer.from('%PDF-1.4\n%%EOF\n') },
    ]);
    fileId = String((await ProgressReportModel.findOne({ item: itemId }).lean())!.evidence[0].fileId);
  });

  type Who = 'anonymous' | 'institution' | 'reviewer' | 'admin';
  const pages = (): Array<{ url: string; allowed: Who[]; redirectFor?: Partial<Record<Who, string>> }> => [
    { url: '/progress', allowed: ['institution'], redirectFor: { reviewer: '/review', admin: '/review' } },
    { url: `/progress/items/${itemId}`, allowed: ['institution'], redirectFor: { reviewer: `/review/items/${itemId}`, admin: `/review/items/${itemId}` } },
    { url: `/progress/items/${itemId}/history`, allowed: ['institution', 'reviewer', 'admin'] },
    { url: '/progress/bulk', allowed: ['institution'] },
    { url: '/progress/export.csv', allowed: ['institution'] },
    { url: '/progress/import', allowed: ['institution'] },
    { url: `/evidence/${fileId}`, allowed: ['institution', 'reviewer', 'admin'] },
    { url: '/review', allowed: ['reviewer', 'admin'] },
    { url: `/review/items/${itemId}`, allowed: ['reviewer', 'admin'] },
    { url: '/review/assess', allowed: ['reviewer', 'admin'] },
    { url: '/review/gaps', allowed: ['reviewer', 'admin'] },
    { url: '/review/extensions', allowed: ['admin'] },
    { url: '/notifications', allowed: ['institution', 'reviewer', 'admin'] },
  ];

  it('when each role opens each page, then access follows the role rules and pages render in both languages', async () => {
    const agents = {
      anonymous: request.agent(s.app),
      institution: await signIn(s.app, s.userA),
      reviewer: await signIn(s.app, s.reviewer),
      admin: await signIn(s.app, s.admin),
    };
    for (const page of pages()) {
      for (const who of Object.keys(agents) as Who[]) {
        const res = await agents[who].get(page.url);
        const label = `${who} ${page.url}`;
        if (who === 'anonymous') {
          expect(res.status, label).to.equal(302);
          expect(res.headers.location, label).to.equal(`/login?next=${encodeURIComponent(page.url)}`);
        } else if (page.redirectFor?.[who]) {
          expect(res.status, label).to.equal(302);
          expect(res.headers.location, label).to.equal(page.redirectFor[who]);
        } else if (page.allowed.includes(who)) {
          expect(res.status, label).to.equal(200);
          if (/html/.test(String(res.headers['content-type']))) {
            const en = await agents[who].get(`${page.url}${page.url.includes('?') ? '&' : '?'}lang=en`);
            expect(en.status, `${label} en`).to.equal(200);
            expect(en.text, `${label} en`).to.include('<html lang="en"');
            await agents[who].get('/notifications?lang=sw');
          }
        } else {
          expect(res.status, label).to.equal(403);
        }
      }
    }
  });

  it('when another institution opens a row, its history or its evidence, then it does not exist for them', async () => {
    const b = await signIn(s.app, s.userB);
    for (const url of [`/progress/items/${itemId}`, `/progress/items/${itemId}/history`, `/evidence/${fileId}`]) {
      expect((await b.get(url)).status, url).to.equal(404);
    }
    const csv = await b.get('/progress/export.csv');
    expect(csv.text).not.to.include(itemId);
  });

  it('when a form is posted without a CSRF token, then it is refused and nothing is written', async () => {
    const a = await signIn(s.app, s.userA);
    const res = await a.post(`/progress/items/${itemId}/reports`).field('revision', '1').field('status', 'in_progress').field('percent', '70');
    expect(res.status).to.equal(403);
    const r = await signIn(s.app, s.reviewer);
    const verify = await r.post(`/review/items/${itemId}/verify`).type('form').send({ revision: '1', reason: '' });
    expect(verify.status).to.equal(403);
    expect(await ProgressReportModel.countDocuments({ item: itemId })).to.equal(1);
  });

  it('when ids in URLs are malformed or unknown, then the answer is 400/404, never 500', async () => {
    const a = await signIn(s.app, s.userA);
    expect((await a.get('/progress/items/xyz')).status).to.equal(400);
    expect((await a.get('/progress/items/0123456789abcdef01234567')).status).to.equal(404);
    const r = await signIn(s.app, s.reviewer);
    expect((await r.get('/review/items/0123456789abcdef01234567')).status).to.equal(404);
    expect((await r.get('/review?meeting=abc')).status).to.equal(400);
    expect((await r.get('/review?page=-1')).status).to.equal(400);
  });
});
