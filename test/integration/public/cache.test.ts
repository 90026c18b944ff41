import { expect } from 'chai';
import request from 'supertest';
import { buildTestApp } from '../../helpers/app.js';
import { testConfig } from '../../helpers/config.js';
import { createMeeting, createUser } from '../../helpers/fixtures.js';
import { signIn } from '../../helpers/http.js';
import { configurePublicCache, memo } from '../../../src/features/public/public.cache.js';
import { MeetingModel } from '../../../src/features/meetings/meeting.model.js';
import { weakEtag } from '../../../src/middleware/http-cache.js';

async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not reached');
}

describe('public memo (stale-while-revalidate keyed by the data stamp)', () => {
  afterEach(() => configurePublicCache({ ttlMs: 0, stampTtlMs: 0 }));

  it('when nothing changed, then the value is computed once; after a write, the old value is served while one refresh runs, then the new one', async () => {
    configurePublicCache({ ttlMs: 60_000, stampTtlMs: 0 });
    let computations = 0;
    const read = () =>
      memo('test:count', async () => {
        computations += 1;
        return MeetingModel.countDocuments();
      });
    expect(await read()).to.equal(0);
    expect(await read()).to.equal(0);
    expect(computations).to.equal(1);

    await createMeeting();
    // Stale value first (readers never wait for the refresh)…
    expect(await read()).to.equal(0);
    // …and exactly one refresh brings the new value.
    await eventually(async () => (await read()) === 1);
    expect(computations).to.equal(2);
  });

  it('when the memo is off (ttl 0), then every call computes', async () => {
    configurePublicCache({ ttlMs: 0 });
    let computations = 0;
    await memo('test:off', async () => ++computations);
    await memo('test:off', async () => ++computations);
    expect(computations).to.equal(2);
  });

  it('when the app runs outside tests, then anonymous pages are served from the rendered-page cache and follow data changes', async () => {
    const { app } = buildTestApp({ config: testConfig({ NODE_ENV: 'development' }) });
    await createMeeting({ number: 41, title: { sw: 'Kikao cha Arobaini na Moja' } });
    const first = await request(app).get('/meetings').expect(200);
    expect(first.text).to.contain('Kikao cha Arobaini na Moja');
    await createMeeting({ number: 42, title: { sw: 'Kikao cha Arobaini na Mbili' } });
    await eventually(async () => (await request(app).get('/meetings')).text.includes('Kikao cha Arobaini na Mbili'));
    configurePublicCache({ ttlMs: 0 });
  });

  it('when an anonymous page is memoised, then gzip readers get the precompressed page with a strong ETag and a 304 on If-None-Match, others the plain page with its weak ETag', async () => {
    const { app } = buildTestApp({ config: testConfig({ NODE_ENV: 'development' }) });
    const meeting = await createMeeting({ number: 43, title: { sw: 'Kikao cha Arobaini na Tatu' } });
    const url = `/meetings/${meeting.id}`;
    const gz = await request(app).get(url).set('Accept-Encoding', 'gzip').expect(200);
    expect(gz.headers['content-encoding']).to.equal('gzip');
    expect(gz.headers.etag).to.match(/^"[0-9a-f]+-[\w-]+-gz"$/);
    expect(gz.headers.vary).to.match(/Accept-Encoding/);
    expect(gz.headers.vary).to.match(/Cookie/);
    expect(gz.headers['cache-control']).to.equal('private, no-cache');
    expect(gz.text).to.contain('Kikao cha Arobaini na Tatu');
    const again = await request(app).get(url).set('Accept-Encoding', 'gzip').expect(200);
    expect(again.headers.etag).to.equal(gz.headers.etag);
    const notModified = await request(app).get(url).set('Accept-Encoding', 'gzip').set('If-None-Match', gz.headers.etag).expect(304);
    expect(notModified.text).to.equal('');

    const plain = await request(app).get(url).set('Accept-Encoding', 'identity').expect(200);
    expect(plain.headers['content-encoding']).to.equal(undefined);
    expect(plain.text).to.equal(gz.text);
    expect(plain.headers.etag).to.equal(weakEtag(plain.text));
    await request(app).get(url).set('Accept-Encoding', 'identity').set('If-None-Match', plain.headers.etag).expect(304);
    configurePublicCache({ ttlMs: 0 });
  });

  it('when open data is memoised, then JSON and CSV answers keep their types, headers and pagination, compressed once', async () => {
    const { app } = buildTestApp({ config: testConfig({ NODE_ENV: 'development' }) });
    await createMeeting({ number: 44, title: { sw: 'Kikao cha Arobaini na Nne', en: 'Forty-fourth Session' } });
    const json = await request(app).get('/api/v1/meetings?limit=1').set('Accept-Encoding', 'gzip').expect(200);
    expect(json.headers['content-type']).to.equal('application/json; charset=utf-8');
    expect(json.headers['content-encoding']).to.equal('gzip');
    expect(json.headers['cache-control']).to.equal('public, max-age=60');
    expect(json.body.meta).to.deep.equal({ page: 1, limit: 1, total: 1, pages: 1 });
    expect(json.body.data[0].title).to.deep.equal({ sw: 'Kikao cha Arobaini na Nne', en: 'Forty-fourth Session' });
    await request(app).get('/api/v1/meetings?limit=1').set('Accept-Encoding', 'gzip').set('If-None-Match', json.headers.etag).expect(304);
    const csv = await request(app).get('/api/v1/meetings.csv').set('Accept-Encoding', 'identity').expect(200);
    expect(csv.headers['content-type']).to.equal('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).to.equal('attachment; filename="meetings.csv"');
    expect(csv.text).to.contain('Kikao cha Arobaini na Nne');
    configurePublicCache({ ttlMs: 0 });
  });

  it('when a memoised answer is current, then anonymous readers get it before the session stack with the same bytes and headers, and signed-in users still get their own page', async () => {
    const { app } = buildTestApp({ config: testConfig({ NODE_ENV: 'development' }) });
    const meeting = await createMeeting({ number: 47, title: { sw: 'Kikao cha Arobaini na Saba' } });
    const url = `/meetings/${meeting.id}?lang=en`;
    const routed = await request(app).get(url).set('Accept-Encoding', 'gzip').expect(200);
    const early = await request(app).get(url).set('Accept-Encoding', 'gzip').expect(200);
    const comparable = (headers: Record<string, string>) => {
      // The date and the language cookie's Expires follow the clock, which may tick between the two requests.
      const { date: _date, 'x-request-id': _id, ...rest } = headers;
      const cookies = rest['set-cookie'] as unknown as string[] | undefined;
      return { ...rest, 'set-cookie': cookies?.map((c) => c.replace(/; Expires=[^;]*/, '')) };
    };
    expect(comparable(early.headers)).to.deep.equal(comparable(routed.headers));
    expect(early.text).to.equal(routed.text);
    expect(early.headers['set-cookie']).to.match(/lang=en/);
    expect(early.text).not.to.contain('action="/logout"');
    const notModified = await request(app).get(url).set('Accept-Encoding', 'gzip').set('If-None-Match', routed.headers.etag).expect(304);
    expect(notModified.headers.etag).to.equal(routed.headers.etag);
    expect(notModified.headers['cache-control']).to.equal('private, no-cache');
    expect(notModified.headers.vary).to.equal(routed.headers.vary);
    expect(notModified.headers['content-encoding']).to.equal(undefined);

    const agent = await signIn(app, await createUser({ role: 'admin' }));
    const signedIn = await agent.get(url).expect(200);
    expect(signedIn.text).to.contain('action="/logout"');

    const api = '/api/v1/meetings?limit=5';
    const apiRouted = await request(app).get(api).set('Accept-Encoding', 'gzip').expect(200);
    const apiEarly = await request(app).get(api).set('Accept-Encoding', 'gzip').expect(200);
    expect(comparable(apiEarly.headers)).to.deep.equal(comparable(apiRouted.headers));
    expect(apiEarly.body).to.deep.equal(apiRouted.body);
    await request(app).get(api).set('Accept-Encoding', 'gzip').set('If-None-Match', apiRouted.headers.etag).expect(304);
    configurePublicCache({ ttlMs: 0 });
  });
});
