import { expect } from 'chai';
import express from 'express';
import request from 'supertest';
import { httpCache, matchesIfNoneMatch, weakEtag } from '../../../src/middleware/http-cache.js';

function buildApp() {
  const app = express();
  app.set('etag', false);
  app.get('/page', httpCache(), (_req, res) => {
    res.type('html').send('<p>habari</p>');
  });
  app.get('/json', httpCache({ cacheControl: 'public, max-age=60' }), (_req, res) => {
    res.json({ a: 1 });
  });
  app.get('/missing', httpCache(), (_req, res) => {
    res.status(404).json({ error: 'x' });
  });
  app.post('/page', httpCache(), (_req, res) => {
    res.send('posted');
  });
  return app;
}

describe('http-cache middleware', () => {
  it('when a body is hashed, then the ETag is weak and changes with the body', () => {
    expect(weakEtag('a')).to.match(/^W\/"1-[\w-]+"$/);
    expect(weakEtag('a')).to.equal(weakEtag(Buffer.from('a')));
    expect(weakEtag('a')).not.to.equal(weakEtag('b'));
  });

  it('when If-None-Match lists tags, then weak comparison, lists and * match', () => {
    const tag = weakEtag('x');
    expect(matchesIfNoneMatch(tag, tag)).to.equal(true);
    expect(matchesIfNoneMatch(`"zzz", ${tag.slice(2)}`, tag)).to.equal(true);
    expect(matchesIfNoneMatch('*', tag)).to.equal(true);
    expect(matchesIfNoneMatch('"other"', tag)).to.equal(false);
    expect(matchesIfNoneMatch(undefined, tag)).to.equal(false);
  });

  it('when a GET succeeds, then it carries an ETag and Cache-Control', async () => {
    const app = buildApp();
    const page = await request(app).get('/page').expect(200);
    expect(page.headers.etag).to.equal(weakEtag('<p>habari</p>'));
    expect(page.headers['cache-control']).to.equal('private, no-cache');
    const json = await request(app).get('/json').expect(200);
    expect(json.headers['cache-control']).to.equal('public, max-age=60');
    expect(json.body).to.deep.equal({ a: 1 });
  });

  it('when If-None-Match matches, then the answer is 304 without a body', async () => {
    const app = buildApp();
    const first = await request(app).get('/json').expect(200);
    const second = await request(app).get('/json').set('If-None-Match', first.headers.etag).expect(304);
    expect(second.text ?? '').to.equal('');
    expect(second.headers.etag).to.equal(first.headers.etag);
    await request(app).get('/json').set('If-None-Match', 'W/"nope"').expect(200);
  });

  it('when the answer is an error or the method is not GET, then no ETag is added', async () => {
    const app = buildApp();
    const missing = await request(app).get('/missing').expect(404);
    expect(missing.headers.etag).to.equal(undefined);
    const posted = await request(app).post('/page').expect(200);
    expect(posted.headers.etag).to.equal(undefined);
  });
});
