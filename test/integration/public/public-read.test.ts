import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { z } from 'zod';
import { buildTestApp } from '../../helpers/app.js';
import { createMeeting, createUser } from '../../helpers/fixtures.js';
import { signIn } from '../../helpers/http.js';
import { submit } from '../institutions/admin.helpers.js';
import { createPublicRead, publicReadOptions } from '../../../src/features/public/public-read.js';
import { MeetingModel } from '../../../src/features/meetings/meeting.model.js';
import { testConfig } from '../../helpers/config.js';

/** An app whose public-read memos are on (as in production), with a handle on them. */
function memoisingApp() {
  const publicRead = createPublicRead(publicReadOptions(testConfig(), { publicRead: { enabled: true } }));
  return { ...buildTestApp({ publicRead }), publicRead };
}

/** Renames a meeting behind the app's back (no HTTP write, so no invalidation). */
const renameQuietly = (id: string, sw: string) => MeetingModel.updateOne({ _id: id }, { $set: { 'title.sw': sw } });

describe('public-read path (memos on)', () => {
  it('when an anonymous page is memoised, then gzip readers get the precompressed page with its own ETag and Express answers If-None-Match with 304; plain readers get the bytes', async () => {
    const { app } = memoisingApp();
    const meeting = await createMeeting({ title: { sw: 'Kikao cha Arobaini na Tatu' } });
    const url = `/meetings/${meeting.id}`;
    const gz = await request(app).get(url).set('Accept-Encoding', 'gzip').expect(200);
    expect(gz.headers['content-encoding']).to.equal('gzip');
    expect(gz.headers.etag).to.match(/^"[0-9a-f]+-[\w-]+-gz"$/);
    expect(gz.headers.vary).to.match(/Cookie/).and.match(/Accept-Encoding/);
    expect(gz.headers['cache-control']).to.equal('private, no-cache');
    expect(gz.text).to.contain('Kikao cha Arobaini na Tatu');
    const notModified = await request(app).get(url).set('Accept-Encoding', 'gzip').set('If-None-Match', gz.headers.etag).expect(304);
    expect(notModified.text).to.equal('');
    expect(notModified.headers['cache-control']).to.equal('private, no-cache');

    const plain = await request(app).get(url).set('Accept-Encoding', 'identity').expect(200);
    expect(plain.headers['content-encoding']).to.equal(undefined);
    expect(plain.text).to.equal(gz.text);
    expect(plain.headers.etag).to.match(/^W\/"/);
    await request(app).get(url).set('Accept-Encoding', 'identity').set('If-None-Match', plain.headers.etag).expect(304);
  });

  it('when a page is memoised, then later anonymous readers get the memo (same bytes and headers) while signed-in users get a page of their own', async () => {
    const { app } = memoisingApp();
    const meeting = await createMeeting({ title: { sw: 'Jina la kwanza' } });
    const url = `/meetings/${meeting.id}`;
    const routed = await request(app).get(url).set('Cookie', 'lang=en').set('Accept-Encoding', 'gzip').expect(200);
    await renameQuietly(meeting.id, 'Jina la pili');
    const memoised = await request(app).get(url).set('Cookie', 'lang=en').set('Accept-Encoding', 'gzip').expect(200);
    const comparable = ({ date: _date, 'x-request-id': _id, ...rest }: Record<string, string>) => rest;
    expect(comparable(memoised.headers)).to.deep.equal(comparable(routed.headers));
    expect(memoised.text).to.equal(routed.text);

    const agent = await signIn(app, await createUser({ role: 'admin' }));
    const signedIn = await agent.get(url).expect(200);
    expect(signedIn.text).to.contain('action="/logout"');
  });

  it('when a signed-in admin creates a meeting, then its public URL and the archive answer at once, though both were memoised before', async () => {
    const { app } = memoisingApp();
    const agent = await signIn(app, await createUser({ role: 'admin' }));
    const before = await request(app).get('/meetings').expect(200);
    expect(before.text).not.to.contain('Kikao Kipya cha Majaribio');
    const res = await submit(
      agent,
      '/admin/meetings',
      {
        number: '77', titleSw: 'Kikao Kipya cha Majaribio', titleEn: 'A new test session', themeSw: 'Mada', themeEn: 'Theme',
        venue: 'Dodoma', startDate: '04/02/2025', endDate: '06/02/2025', reportingOpens: '01/03/2025', reportingCloses: '31/01/2026', status: 'planned',
      },
      '/admin/meetings/new',
    );
    expect(res.status).to.equal(302);
    const created = await MeetingModel.findOne({ number: 77 }).lean();
    expect(created).to.not.equal(null);
    const page = await request(app).get(`/meetings/${String(created!._id)}`).expect(200);
    expect(page.text).to.contain('Kikao Kipya cha Majaribio');
    expect((await request(app).get('/meetings').expect(200)).text).to.contain('Kikao Kipya cha Majaribio');
  });

  it('when a page URL carries an unknown parameter, then it redirects to the URL without it; known filters are answered, not memoised', async () => {
    const { app } = memoisingApp();
    const meeting = await createMeeting();
    const res = await request(app).get(`/meetings/${meeting.id}?x=1&lang=en`).expect(302);
    expect(res.headers.location).to.equal(`/meetings/${meeting.id}?lang=en`);
    const bare = await request(app).get('/search?utm_source=feed').expect(302);
    expect(bare.headers.location).to.equal('/search');
  });

  it('when open data is asked with parameters it does not know, then they are ignored: one memo entry per validated URL', async () => {
    const publicRead = createPublicRead(publicReadOptions(testConfig(), { publicRead: { enabled: true } }));
    let produced = 0;
    const app = express();
    app.get('/data', (req, res, next) => {
      req.lang = 'sw';
      publicRead.data(req, res, { query: z.object({ limit: z.coerce.number().int().optional() }) }, async (query) => {
        produced += 1;
        return { type: 'application/json; charset=utf-8', body: JSON.stringify({ limit: query.limit ?? null }) };
      }).catch(next);
    });
    const first = await request(app).get('/data?limit=5').expect(200);
    for (const noise of ['x=1', 'x=2', 'utm=feed&x=3']) {
      const res = await request(app).get(`/data?limit=5&${noise}`).expect(200);
      expect(res.headers.etag).to.equal(first.headers.etag);
    }
    await request(app).get('/data?limit=05').expect(200);
    expect(produced).to.equal(1);
    expect(first.headers['cache-control']).to.equal('public, max-age=60');
    expect((await request(app).get('/data?limit=4').expect(200)).body).to.deep.equal({ limit: 4 });
    expect(produced).to.equal(2);
  });

  it('when the memos are invalidated, then every answer is read again', async () => {
    const { app, publicRead } = memoisingApp();
    const meeting = await createMeeting({ title: { sw: 'Kabla' } });
    await request(app).get(`/meetings/${meeting.id}`).expect(200);
    await renameQuietly(meeting.id, 'Baada');
    expect((await request(app).get(`/meetings/${meeting.id}`)).text).to.contain('Kabla');
    publicRead.invalidate();
    expect((await request(app).get(`/meetings/${meeting.id}`)).text).to.contain('Baada');
  });
});
