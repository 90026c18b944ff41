import { expect } from 'chai';
import request from 'supertest';
import { buildTestApp } from '../helpers/app.js';
import { testConfig } from '../helpers/config.js';
import { createUser } from '../helpers/fixtures.js';
import { csrfFrom } from '../helpers/http.js';

describe('security: sessions', () => {
  it('when a signed-in session stays active for more than 12 hours, then it ends anyway', async () => {
    const clock = { now: new Date('2026-03-01T06:00:00Z') };
    const { app } = buildTestApp({ now: () => clock.now });
    const user = await createUser({ role: 'admin' });
    const agent = request.agent(app);
    const token = csrfFrom((await agent.get('/login')).text);
    expect((await agent.post('/login').type('form').send({ email: user.user.email, password: user.password, _csrf: token })).status).to.equal(302);
    // Active every hour (the idle limit never applies) ...
    for (let h = 1; h <= 11; h++) {
      clock.now = new Date(Date.parse('2026-03-01T06:00:00Z') + h * 3600_000);
      expect((await agent.get('/account')).status, `hour ${h}`).to.equal(200);
    }
    // ... but 12 hours after sign-in the session is over.
    clock.now = new Date('2026-03-01T18:00:01Z');
    const res = await agent.get('/account');
    expect(res.status).to.equal(302);
    expect(res.headers.location).to.match(/^\/login/);
    expect((await agent.get('/account')).status).to.equal(302);
  });

  it('when the app runs in production over HTTPS, then the session and device cookies are __Host- prefixed and Secure', async () => {
    const config = testConfig({ NODE_ENV: 'production', TRUST_PROXY: '1', LOG_LEVEL: 'silent' });
    const { app } = buildTestApp({ config });
    const user = await createUser({ role: 'reviewer' });
    // supertest's cookie jar keeps Secure cookies off plain HTTP, so the test carries them itself.
    const page = await request(app).get('/login').set('X-Forwarded-Proto', 'https');
    const cookies = ([] as string[]).concat(page.headers['set-cookie'] ?? []);
    const session = cookies.find((c) => c.includes('maazimio.sid='));
    expect(session).to.match(/^__Host-maazimio\.sid=/);
    expect(session).to.match(/; Secure/i);
    expect(session).to.match(/; Path=\//);
    expect(session).to.not.match(/Domain=/i);
    const signedIn = await request(app)
      .post('/login')
      .set('X-Forwarded-Proto', 'https')
      .set('Cookie', (session ?? '').split(';')[0])
      .type('form')
      .send({ email: user.user.email, password: user.password, _csrf: csrfFrom(page.text) });
    expect(signedIn.status).to.equal(302);
    const after = ([] as string[]).concat(signedIn.headers['set-cookie'] ?? []);
    expect(after.some((c) => /^__Host-maazimio\.device=.*; Secure/i.test(c))).to.equal(true);
    const newSession = after.find((c) => c.startsWith('__Host-maazimio.sid='));
    const account = await request(app).get('/account').set('X-Forwarded-Proto', 'https').set('Cookie', (newSession ?? '').split(';')[0]);
    expect(account.status).to.equal(200);
  });
});
