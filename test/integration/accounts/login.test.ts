import { expect } from 'chai';
import request from 'supertest';
import { buildTestApp } from '../../helpers/app.js';
import { createInstitution, createUser } from '../../helpers/fixtures.js';
import { csrfFrom, signIn } from '../../helpers/http.js';
import { UserModel } from '../../../src/features/accounts/user.model.js';
import { AuditEntryModel } from '../../../src/features/audit/audit.model.js';
import { LoginThrottleModel } from '../../../src/features/accounts/login-throttle.js';

const GENERIC_SW = 'Barua pepe au nenosiri si sahihi, au kumekuwa na majaribio mengi kutoka kifaa hiki: subiri kidogo kisha ujaribu tena.';
const GENERIC_EN = 'The email or password is not correct, or there were too many attempts from this device: wait a moment and try again.';

async function attempt(agent: ReturnType<typeof request.agent>, email: unknown, password: unknown, extra: Record<string, unknown> = {}, query = '') {
  const token = csrfFrom((await agent.get(`/login${query}`)).text);
  return agent.post(`/login${query}`).type('form').send({ email, password, _csrf: token, ...extra });
}

describe('sign-in', () => {
  it('when the credentials of an admin are right, then the admin is signed in, lands on the dashboard and it is audited', async () => {
    const { app } = buildTestApp();
    const created = await createUser({ role: 'admin', email: 'asha@egov.go.tz' });
    const agent = request.agent(app);
    const res = await attempt(agent, 'Asha@egov.go.tz ', created.password);
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal('/admin');
    const account = await agent.get('/account');
    expect(account.status).to.equal(200);
    expect(account.text).to.contain('asha@egov.go.tz');
    const user = await UserModel.findById(created.user._id);
    expect(user?.lastLoginAt).to.be.instanceOf(Date);
    expect(await AuditEntryModel.countDocuments({ action: 'auth.login.success', actor: created.user._id })).to.equal(1);
  });

  it('when the session id is issued at sign-in, then it differs from the anonymous one', async () => {
    const { app } = buildTestApp();
    const created = await createUser();
    const agent = request.agent(app);
    const page = await agent.get('/login');
    const before = String(page.headers['set-cookie']).match(/maazimio\.sid=([^;]+)/)?.[1];
    const res = await agent.post('/login').type('form').send({ email: created.user.email, password: created.password, _csrf: csrfFrom(page.text) });
    const after = String(res.headers['set-cookie']).match(/maazimio\.sid=([^;]+)/)?.[1];
    expect(before).to.be.a('string');
    expect(after).to.be.a('string');
    expect(after).to.not.equal(before);
  });

  it('when the password is wrong or the email unknown, then the same generic message is shown (Kiswahili)', async () => {
    const { app } = buildTestApp();
    const created = await createUser();
    const wrong = await attempt(request.agent(app), created.user.email, 'si-nenosiri-sahihi');
    const unknown = await attempt(request.agent(app), 'hayupo@egov.go.tz', 'si-nenosiri-sahihi');
    for (const res of [wrong, unknown]) {
      expect(res.status).to.equal(401);
      expect(res.text).to.contain(GENERIC_SW);
      expect(res.text).to.not.contain('si-nenosiri-sahihi');
    }
    expect(wrong.text).to.contain(`value="${created.user.email}"`);
    expect(await AuditEntryModel.countDocuments({ action: 'auth.login.failure' })).to.equal(2);
    expect(await LoginThrottleModel.countDocuments({ user: created.user._id, failures: 1 })).to.be.greaterThan(0);
  });

  it('when the password is wrong in English, then the generic message is in English', async () => {
    const { app } = buildTestApp();
    const created = await createUser();
    const res = await attempt(request.agent(app), created.user.email, 'wrong-password-1', {}, '?lang=en');
    expect(res.status).to.equal(401);
    expect(res.text).to.contain(GENERIC_EN);
  });

  it('when an IP posts too often, then it is rate-limited with 429', async () => {
    const { app } = buildTestApp({ options: { loginRateLimit: 3 } });
    const agent = request.agent(app);
    for (let i = 0; i < 3; i++) expect((await attempt(agent, 'x@egov.go.tz', 'wrong-password')).status).to.equal(401);
    const res = await attempt(agent, 'x@egov.go.tz', 'wrong-password');
    expect(res.status).to.equal(429);
    expect(res.text).to.contain('Umejaribu mara nyingi mno');
  });

  it('when operators are injected in the form or JSON, then nobody is signed in', async () => {
    const { app } = buildTestApp();
    await createUser({ role: 'admin' });
    const agent = request.agent(app);
    const token = csrfFrom((await agent.get('/login')).text);
    const form = await agent.post('/login').type('form').send(`email[$ne]=x&password[$ne]=x&_csrf=${encodeURIComponent(token)}`);
    expect(form.status).to.equal(401);
    const json = await agent.post('/login').set('x-csrf-token', token).send({ email: { $ne: 'x' }, password: { $ne: 'x' } });
    expect(json.status).to.equal(401);
    const regex = await agent.post('/login').set('x-csrf-token', token).send({ email: { $regex: '.*' }, password: 'x' });
    expect(regex.status).to.equal(401);
    expect((await agent.get('/account')).status).to.equal(302);
  });

  it('when the user is deactivated, then sign-in fails with the generic message', async () => {
    const { app } = buildTestApp();
    const created = await createUser({ active: false });
    const res = await attempt(request.agent(app), created.user.email, created.password);
    expect(res.status).to.equal(401);
    expect(res.text).to.contain(GENERIC_SW);
  });
});

describe('return to the requested page', () => {
  it('when anonymous opens a signed-in page, then it goes to /login and back there after sign-in', async () => {
    const { app } = buildTestApp();
    const created = await createUser({ role: 'admin' });
    const agent = request.agent(app);
    const first = await agent.get('/admin/users?role=admin');
    expect(first.status).to.equal(302);
    expect(first.headers.location).to.equal('/login?next=%2Fadmin%2Fusers%3Frole%3Dadmin');
    const page = await agent.get(first.headers.location);
    expect(page.text).to.contain('name="next" value="/admin/users?role&#x3D;admin"');
    const res = await agent.post('/login').type('form').send({ email: created.user.email, password: created.password, next: '/admin/users?role=admin', _csrf: csrfFrom(page.text) });
    expect(res.headers.location).to.equal('/admin/users?role=admin');
  });

  it('when a focal person or a reviewer signs in without next, then they land on their work list (dashboard, review queue)', async () => {
    const { app } = buildTestApp();
    const institution = await createInstitution();
    const focal = await createUser({ role: 'institution', institution });
    const reviewer = await createUser({ role: 'reviewer' });
    const focalAgent = request.agent(app);
    const res = await attempt(focalAgent, focal.user.email, focal.password);
    expect(res.headers.location).to.equal('/progress');
    const dashboard = await focalAgent.get('/progress');
    expect(dashboard.status).to.equal(200);
    expect((await attempt(request.agent(app), reviewer.user.email, reviewer.password)).headers.location).to.equal('/review');
    expect(await AuditEntryModel.countDocuments({ action: 'auth.login.success' })).to.equal(2);
  });

  it('when next points to another site, then sign-in goes to the landing page instead (the dashboard for an admin)', async () => {
    const { app } = buildTestApp();
    const created = await createUser();
    for (const next of ['//evil.example/x', 'https://evil.example', '/\\evil.example']) {
      const res = await attempt(request.agent(app), created.user.email, created.password, { next });
      expect(res.status).to.equal(302);
      expect(res.headers.location).to.equal('/admin');
    }
  });

  it('when already signed in, then /login goes straight to next', async () => {
    const { app } = buildTestApp();
    const agent = await signIn(app, await createUser());
    const res = await agent.get('/login?next=/account');
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.equal('/account');
  });
});

describe('sign-out and CSRF', () => {
  it('when the user signs out, then the session ends and it is audited', async () => {
    const { app } = buildTestApp();
    const created = await createUser();
    const agent = await signIn(app, created);
    const token = csrfFrom((await agent.get('/account')).text);
    const res = await agent.post('/logout').type('form').send({ _csrf: token });
    expect(res.status).to.equal(302);
    expect((await agent.get('/account')).status).to.equal(302);
    expect(await AuditEntryModel.countDocuments({ action: 'auth.logout' })).to.equal(1);
  });

  it('when a form is posted without a valid token, then 403 with a localized message and nothing changes', async () => {
    const { app } = buildTestApp();
    const created = await createUser();
    const agent = await signIn(app, created);
    const res = await agent.post('/logout').type('form').send({ _csrf: 'forged' });
    expect(res.status).to.equal(403);
    expect(res.text).to.contain('Fomu hii imepitwa na muda');
    expect((await agent.get('/account')).status).to.equal(200);
    const anon = await request(app).post('/login?lang=en').type('form').send({ email: created.user.email, password: created.password });
    expect(anon.status).to.equal(403);
    expect(anon.text).to.contain('This form has expired');
  });
});
