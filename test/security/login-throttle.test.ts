import { expect } from 'chai';
import request from 'supertest';
import type { Express } from 'express';
import { buildTestApp } from '../helpers/app.js';
import { testConfig } from '../helpers/config.js';
import { createUser } from '../helpers/fixtures.js';
import { csrfFrom } from '../helpers/http.js';
import { UserModel } from '../../src/features/accounts/user.model.js';
import { verifyPassword } from '../../src/features/accounts/password.js';

type Agent = ReturnType<typeof request.agent>;

/** One browser at one address (the app trusts one proxy hop, so X-Forwarded-For is the client). */
function client(app: Express, ip: string): Agent {
  return request.agent(app).set('X-Forwarded-For', ip);
}

async function attempt(agent: Agent, email: string, password: string) {
  const token = csrfFrom((await agent.get('/login')).text);
  return agent.post('/login').type('form').send({ email, password, _csrf: token });
}

function appAt(clock: { now: Date }) {
  return buildTestApp({ config: testConfig({ TRUST_PROXY: '1' }), now: () => clock.now }).app;
}

describe('security: sign-in throttling per (account, client)', () => {
  it('when someone elsewhere types many wrong passwords, then the owner still signs in from the usual browser', async () => {
    const clock = { now: new Date('2026-03-01T08:00:00Z') };
    const app = appAt(clock);
    const admin = await createUser({ role: 'admin', email: 'admin@maazimio.go.tz' });
    const owner = client(app, '10.1.1.1');
    expect((await attempt(owner, admin.user.email, admin.password)).status).to.equal(302);
    await owner.post('/logout').type('form').send({ _csrf: csrfFrom((await owner.get('/account')).text) });

    const attacker = client(app, '203.0.113.9');
    for (let i = 0; i < 12; i++) {
      expect((await attempt(attacker, admin.user.email, `guess-number-${i}`)).status).to.equal(401);
      clock.now = new Date(clock.now.getTime() + 1000);
    }
    const res = await attempt(owner, admin.user.email, admin.password);
    expect(res.status).to.equal(302);
    expect((await owner.get('/account')).status).to.equal(200);
  });

  it('when the owner signs in from a new browser at another address, then the attacker’s failures do not refuse it either', async () => {
    const clock = { now: new Date('2026-03-01T08:00:00Z') };
    const app = appAt(clock);
    const admin = await createUser({ role: 'admin' });
    const attacker = client(app, '203.0.113.9');
    for (let i = 0; i < 6; i++) await attempt(attacker, admin.user.email, `guess-number-${i}`);
    expect((await attempt(client(app, '10.9.9.9'), admin.user.email, admin.password)).status).to.equal(302);
  });

  it('when a client keeps guessing, then it waits longer and longer, even with the right password, until the wait is over', async () => {
    const clock = { now: new Date('2026-03-01T08:00:00Z') };
    const app = appAt(clock);
    const user = await createUser({ role: 'institution' });
    const guesser = client(app, '203.0.113.7');
    for (let i = 0; i < 5; i++) expect((await attempt(guesser, user.user.email, `guess-number-${i}`)).status).to.equal(401);
    // 5 failures: 3 free, then 1 s, then 2 s. Within the 2 s even the right password is refused.
    const early = await attempt(guesser, user.user.email, user.password);
    expect(early.status).to.equal(401);
    expect((await guesser.get('/account')).status).to.equal(302);
    clock.now = new Date(clock.now.getTime() + 2500);
    expect((await attempt(guesser, user.user.email, user.password)).status).to.equal(302);
  });

  it('when the current password is guessed on the change-password form, then the same throttle applies', async () => {
    const clock = { now: new Date('2026-03-01T08:00:00Z') };
    const app = appAt(clock);
    const user = await createUser({ role: 'reviewer' });
    const agent = client(app, '10.2.2.2');
    expect((await attempt(agent, user.user.email, user.password)).status).to.equal(302);
    const change = async (current: string) => {
      const token = csrfFrom((await agent.get('/account')).text);
      return agent.post('/account/password').type('form').send({ current, password: 'kisima-cha-maji-safi', confirm: 'kisima-cha-maji-safi', _csrf: token });
    };
    for (let i = 0; i < 4; i++) expect((await change(`guess-number-${i}`)).status).to.equal(400);
    const refused = await change(user.password);
    expect(refused.status).to.equal(400);
    expect(refused.text).to.contain('Majaribio mengi yasiyo sahihi');
    expect(await verifyPassword(user.password, (await UserModel.findById(user.user._id).lean())?.passwordHash)).to.equal(true);
    clock.now = new Date(clock.now.getTime() + 60_000);
    expect((await change(user.password)).status).to.equal(302);
  });
});
