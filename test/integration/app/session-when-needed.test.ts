import { expect } from 'chai';
import mongoose from 'mongoose';
import request from 'supertest';
import { buildTestApp } from '../../helpers/app.js';
import { createMeeting, createUser } from '../../helpers/fixtures.js';
import { csrfFrom, signIn } from '../../helpers/http.js';
import { hasCookie } from '../../../src/middleware/session.js';

/** Sessions live in the client's default database (connect-mongo is given the client only). */
const sessionCount = () => mongoose.connection.getClient().db().collection('sessions').countDocuments();

describe('sessions only where needed', () => {
  it('when the Cookie header is read, then only the exact cookie name counts', () => {
    expect(hasCookie('lang=en; maazimio.sid=s%3Aabc', 'maazimio.sid')).to.equal(true);
    expect(hasCookie('maazimio.sid=x', 'maazimio.sid')).to.equal(true);
    expect(hasCookie('lang=en', 'maazimio.sid')).to.equal(false);
    expect(hasCookie('xmaazimio.sid=1; maazimio.sidx=2', 'maazimio.sid')).to.equal(false);
    expect(hasCookie(undefined, 'maazimio.sid')).to.equal(false);
  });

  it('when an anonymous visitor reads a public page, then no session is created and no session cookie is set', async () => {
    const { app } = buildTestApp();
    const meeting = await createMeeting({ number: 45 });
    const before = await sessionCount();
    const res = await request(app).get(`/meetings/${meeting.id}`).set('Cookie', 'lang=en').expect(200);
    expect(res.headers['set-cookie']).to.equal(undefined);
    expect(await sessionCount()).to.equal(before);
  });

  it('when an anonymous visitor opens the sign-in form, then a session holding the CSRF token starts and the form posts with it', async () => {
    const { app } = buildTestApp();
    const { user, password } = await createUser({ role: 'admin' });
    const agent = request.agent(app);
    const before = await sessionCount();
    const page = await agent.get('/login').expect(200);
    expect(String(page.headers['set-cookie'])).to.match(/maazimio\.sid=/);
    expect(await sessionCount()).to.equal(before + 1);
    const res = await agent.post('/login').type('form').send({ email: user.email, password, _csrf: csrfFrom(page.text) });
    expect(res.status).to.equal(302);
  });

  it('when a form is posted without a session cookie, then the CSRF check still answers 403 and nothing is stored', async () => {
    const { app } = buildTestApp();
    const { user, password } = await createUser({ role: 'admin' });
    const before = await sessionCount();
    const res = await request(app).post('/login').type('form').send({ email: user.email, password, _csrf: 'forged' });
    expect(res.status).to.equal(403);
    expect(res.headers['set-cookie'] ?? []).to.not.satisfy((c: string[]) => c.some((x) => x.startsWith('maazimio.sid=')));
    expect(await sessionCount()).to.equal(before);
  });

  it('when a signed-in user reads a public page, then the session is used and the header shows the user', async () => {
    const { app } = buildTestApp();
    const created = await createUser({ role: 'admin' });
    const meeting = await createMeeting({ number: 46 });
    const agent = await signIn(app, created);
    const res = await agent.get(`/meetings/${meeting.id}`).expect(200);
    expect(res.text).to.contain('action="/logout"');
  });
});
