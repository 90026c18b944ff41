import { expect } from 'chai';
import request from 'supertest';
import { buildTestApp } from '../../helpers/app.js';
import { createUser } from '../../helpers/fixtures.js';
import { signIn } from '../../helpers/http.js';

describe('language', () => {
  it('when ?lang=en is given, then the page is English and the choice is remembered in a cookie', async () => {
    const { app } = buildTestApp();
    const agent = request.agent(app);
    const first = await agent.get('/login?lang=en');
    expect(first.text).to.contain('<html lang="en">');
    expect(first.headers['content-language']).to.equal('en');
    expect(String(first.headers['set-cookie'])).to.match(/lang=en;.*HttpOnly/);
    const second = await agent.get('/login');
    expect(second.text).to.contain('<html lang="en">');
    expect(second.text).to.contain('Sign in');
    const back = await agent.get('/login?lang=sw');
    expect(back.text).to.contain('<html lang="sw">');
    expect((await agent.get('/login')).text).to.contain('<html lang="sw">');
  });

  it('when the language is unknown, then Kiswahili is used and no cookie is set', async () => {
    const { app } = buildTestApp();
    const res = await request(app).get('/login?lang=fr');
    expect(res.text).to.contain('<html lang="sw">');
    expect(res.headers['set-cookie'] ?? []).to.not.satisfy((c: string[]) => c.some((x) => x.startsWith('lang=')));
  });

  it('when a page renders, then the switch links to the same URL in the other language', async () => {
    const { app } = buildTestApp();
    const res = await request(app).get('/login?next=%2Faccount');
    expect(res.text).to.match(/class="lang-switch" href="\/login\?next&#x3D;%2Faccount&amp;lang&#x3D;en"/);
    expect(res.text).to.contain('action="/search"');
    expect(res.text).to.contain('class="skip-link" href="#main"');
  });
});

describe('errors', () => {
  it('when a page does not exist, then a 404 page in Kiswahili, or English when asked', async () => {
    const { app } = buildTestApp();
    const sw = await request(app).get('/hakuna-kitu');
    expect(sw.status).to.equal(404);
    expect(sw.text).to.contain('Ukurasa haukupatikana');
    const en = await request(app).get('/no-such-page?lang=en');
    expect(en.status).to.equal(404);
    expect(en.text).to.contain('Page not found');
    expect(en.text).to.not.match(/at .*\.ts:\d+/);
  });

  it('when an /api path fails, then the answer is JSON { error: { code, message } }', async () => {
    const { app } = buildTestApp();
    const res = await request(app).get('/api/v1/no-such-thing?lang=en');
    expect(res.status).to.equal(404);
    expect(res.headers['content-type']).to.match(/json/);
    expect(res.body).to.deep.equal({ error: { code: 'not_found', message: 'We could not find what you were looking for. The link may have changed or been removed.' } });
  });

  it('when a body is too large, then 413 with a localized page', async () => {
    const { app } = buildTestApp();
    const res = await request(app).post('/login').type('form').send({ email: 'x'.repeat(200 * 1024) });
    expect(res.status).to.equal(413);
    expect(res.text).to.contain('Ombi ni kubwa mno');
  });

  it('when JSON is malformed, then 400, never 500', async () => {
    const { app } = buildTestApp();
    const res = await request(app).post('/api/v1/x').set('content-type', 'application/json').send('{"a":');
    expect(res.status).to.equal(400);
    expect(res.body.error.code).to.equal('bad_request');
  });
});

describe('security defaults', () => {
  it('when any page is served, then strict headers are set and x-powered-by is absent', async () => {
    const { app } = buildTestApp();
    const res = await request(app).get('/login');
    expect(res.headers['x-powered-by']).to.equal(undefined);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).to.contain("script-src 'self'");
    expect(csp).to.contain("style-src 'self'");
    expect(csp).to.not.contain('unsafe-inline');
    expect(res.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
    expect(res.text).to.not.match(/<script>(?!<\/script>)/);
    expect(res.text).to.not.contain('style="');
  });

  it('when a session cookie is issued, then it is httpOnly and sameSite=lax', async () => {
    const { app } = buildTestApp();
    const res = await request(app).get('/login');
    const cookie = (res.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('maazimio.sid='));
    expect(cookie).to.match(/HttpOnly/);
    expect(cookie).to.match(/SameSite=Lax/);
  });

  it('when a user signs in, then the header shows role-aware navigation and the sign-out form', async () => {
    const { app } = buildTestApp();
    const admin = await signIn(app, await createUser({ role: 'admin' }));
    const page = await admin.get('/account');
    expect(page.text).to.contain('href="/admin/users"');
    expect(page.text).to.contain('action="/logout"');
    const inst = await signIn(app, await createUser({ role: 'institution' }));
    expect((await inst.get('/account')).text).to.not.contain('href="/admin/users"');
  });

  it('when the stylesheet is requested, then it is served', async () => {
    const { app } = buildTestApp();
    const res = await request(app).get('/css/app.css');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/css/);
  });
});
