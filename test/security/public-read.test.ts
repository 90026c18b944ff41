import { expect } from 'chai';
import { Types } from 'mongoose';
import request from 'supertest';
import { buildTestApp } from '../helpers/app.js';
import { createInstitution, createMeeting, createUser } from '../helpers/fixtures.js';
import { signIn } from '../helpers/http.js';
import { createPublicRead, publicReadOptions } from '../../src/features/public/public-read.js';
import { createDraft, publishRanking } from '../../src/features/rankings/ranking-workflow.service.js';
import { RankingModel } from '../../src/features/rankings/ranking.model.js';
import { testConfig } from '../helpers/config.js';
import { arrange } from '../integration/rankings/setup.js';

const setCookies = (res: { headers: Record<string, unknown> }): string[] => (res.headers['set-cookie'] as string[] | undefined) ?? [];

/** A published ranking of the rankings scenario; returns its id. */
async function publishedRanking(): Promise<string> {
  const s = await arrange();
  const actor = { id: String(s.admin.user._id), role: 'admin' as const, institutionId: null, name: 'Afisa' };
  const draft = await createDraft(actor, String(s.meeting._id), { cutoff: s.cutoff }, new Date());
  return String((await publishRanking(actor, String(draft._id), '', new Date()))._id);
}

describe('public-read path (security, issue #13)', () => {
  describe('cookies and shared caches', () => {
    it('when a signed-in user reads open data, then the answer carries no session cookie and stays publicly cacheable', async () => {
      await createMeeting();
      const { app } = buildTestApp();
      const agent = await signIn(app, await createUser({ role: 'admin' }));
      const res = await agent.get('/api/v1/meetings').expect(200);
      expect(setCookies(res)).to.deep.equal([]);
      expect(res.headers['cache-control']).to.equal('public, max-age=60');
      const csv = await agent.get('/api/v1/meetings.csv').expect(200);
      expect(setCookies(csv)).to.deep.equal([]);
      // The session itself is intact: the next page still knows the user.
      expect((await agent.get('/meetings').expect(200)).text).to.contain('action="/logout"');
    });

    it('when ?lang= sets the language cookie on open data, then the answer is never publicly cacheable', async () => {
      const { app } = buildTestApp();
      const res = await request(app).get('/api/v1/meetings?lang=en').expect(200);
      expect(setCookies(res).join(';')).to.match(/lang=en/);
      expect(res.headers['cache-control']).to.equal('private, no-store');
    });

    it('when a public download is read by a signed-in user, then it sets no cookie either', async () => {
      const id = await publishedRanking();
      const { app } = buildTestApp();
      const agent = await signIn(app, await createUser({ role: 'admin' }));
      const res = await agent.get(`/rankings/${id}/download.csv`).expect(200);
      expect(setCookies(res)).to.deep.equal([]);
      expect(res.headers['cache-control']).to.equal('public, max-age=60');
    });
  });

  describe('bad input never answers 500', () => {
    it('when an institution code holds a line break, then 400 in the user language, and the good URL still answers', async () => {
      await createInstitution({ code: 'MOF', type: 'ministry', region: 'Dodoma' });
      const { app } = buildTestApp({ options: { publicRead: { enabled: true } } });
      const bad = await request(app).get('/api/v1/institutions/MOF%0A/progress.csv').set('Accept', 'application/json').expect(400);
      expect(bad.text).not.to.contain('at ');
      const again = await request(app).get('/api/v1/institutions/MOF%0A/progress.csv?lang=en').expect(400);
      expect(again.text).to.contain('The institution code is not valid');
      const good = await request(app).get('/api/v1/institutions/mof/progress.csv').expect(200);
      expect(good.headers['content-disposition']).to.equal('attachment; filename="MOF-progress.csv"');
    });

    it('when the language cookie is not valid percent-encoding, then every page answers in Kiswahili, /healthz included', async () => {
      await createMeeting();
      const { app } = buildTestApp();
      for (const url of ['/', '/meetings', '/healthz', '/api/v1/meetings']) {
        const res = await request(app).get(url).set('Cookie', 'lang=%E0%A4%A');
        expect(res.status, url).to.equal(200);
      }
      const page = await request(app).get('/meetings').set('Cookie', 'lang=%E0%A4%A');
      expect(page.headers['content-language']).to.equal('sw');
    });
  });

  describe('heavy anonymous answers', () => {
    it('when an anonymous reader asks more heavy answers than allowed, then 429 in the user language; signed-in users are not limited', async () => {
      const id = await publishedRanking();
      const { app } = buildTestApp({ options: { publicRead: { heavyPerMinute: 2 } } });
      await request(app).get(`/rankings/${id}/download.json`).expect(200);
      await request(app).get(`/api/v1/rankings/${id}`).expect(200);
      const limited = await request(app).get(`/rankings/${id}/download.csv?lang=en`).expect(429);
      expect(limited.text).to.contain('Too many attempts');
      // Pages that are not heavy are not limited.
      await request(app).get(`/rankings/${id}`).expect(200);
      const agent = await signIn(app, await createUser({ role: 'admin' }));
      for (let i = 0; i < 3; i++) await agent.get(`/meetings/${(await RankingModel.findById(id).lean())!.meeting}/report`).expect(200);
    });

    it('when a heavy answer is asked with a new query value every time, then the memo answers without recomputing', async () => {
      const id = await publishedRanking();
      const publicRead = createPublicRead(publicReadOptions(testConfig(), { publicRead: { enabled: true } }));
      const { app } = buildTestApp({ publicRead });
      const first = await request(app).get(`/api/v1/rankings/${id}?x=1`).expect(200);
      // Changed behind the app's back: a recomputation would show it, the memo does not.
      // (Through the driver: the model refuses to change a published ranking.)
      await RankingModel.collection.updateOne({ _id: new Types.ObjectId(id) }, { $set: { note: 'changed quietly' } });
      for (let n = 2; n < 6; n++) {
        const res = await request(app).get(`/api/v1/rankings/${id}?x=${n}`).expect(200);
        expect(res.headers.etag).to.equal(first.headers.etag);
        expect(res.text).to.equal(first.text);
      }
      const csv1 = await request(app).get(`/rankings/${id}/download.csv?x=1`).expect(200);
      const csv2 = await request(app).get(`/rankings/${id}/download.csv?x=2`).expect(200);
      expect(csv2.headers.etag).to.equal(csv1.headers.etag);
      publicRead.invalidate();
      const fresh = await request(app).get(`/api/v1/rankings/${id}?x=9`).expect(200);
      expect(fresh.text).to.contain('changed quietly');
    });
  });
});
