import { expect } from 'chai';
import request from 'supertest';
import { AuditEntryModel } from '../../../src/features/audit/audit.model.js';
import { MeetingModel } from '../../../src/features/meetings/meeting.model.js';
import { buildTestApp } from '../../helpers/app.js';
import { createMeeting, createResolution, createUser } from '../../helpers/fixtures.js';
import { signIn } from '../../helpers/http.js';
import { signedIn, submit, text, tokenFrom } from '../institutions/admin.helpers.js';

const valid = {
  number: '5',
  titleSw: 'Kikao Kazi cha Tano cha Serikali Mtandao',
  titleEn: 'Fifth e-Government Working Session',
  themeSw: 'Matumizi salama ya akili bandia Serikalini',
  themeEn: 'Safe use of artificial intelligence in Government',
  venue: 'AICC, Arusha',
  startDate: '2025-02-04',
  endDate: '2025-02-06',
  reportingOpens: '2025-03-01',
  reportingCloses: '2026-01-31',
  status: 'planned',
};

describe('meetings administration', () => {
  it('when an admin creates a meeting, then it is stored with UTC dates and audited', async () => {
    const { agent } = await signedIn('admin');
    const res = await submit(agent, '/admin/meetings', valid, '/admin/meetings/new');
    expect(res.status).to.equal(302);
    const m = await MeetingModel.findOne({ number: 5 }).lean();
    expect(m?.title.en).to.equal('Fifth e-Government Working Session');
    expect(m?.startDate.toISOString()).to.equal('2025-02-04T00:00:00.000Z');
    expect(m?.status).to.equal('planned');
    expect(await AuditEntryModel.countDocuments({ action: 'meeting.create', entityId: String(m?._id) })).to.equal(1);
  });

  it('when the end is before the start and the window closes before it opens, then 400 with both messages', async () => {
    const { agent } = await signedIn('admin');
    const res = await submit(agent, '/admin/meetings', { ...valid, endDate: '2025-02-01', reportingCloses: '2025-02-01' }, '/admin/meetings/new');
    expect(res.status).to.equal(400);
    const page = text(res.text);
    expect(page).to.include('Siku ya mwisho haiwezi kuwa kabla ya siku ya kwanza.');
    expect(page).to.include('Kipindi cha kutoa taarifa lazima kifungwe baada ya kufunguliwa.');
    expect(await MeetingModel.countDocuments()).to.equal(0);
  });

  it('when a date is malformed (in English), then the English message is shown', async () => {
    const { agent } = await signedIn('admin');
    const res = await submit(agent, '/admin/meetings', { ...valid, startDate: '2025-02-31' }, '/admin/meetings/new', 'en');
    expect(res.status).to.equal(400);
    expect(text(res.text)).to.include('Enter a real date as dd/mm/yyyy (04/02/2025) or YYYY-MM-DD (2025-02-04).');
  });

  it('when dates are typed as dd/mm/yyyy, then they are stored as those days and the edit form shows them the same way in text inputs', async () => {
    const { agent } = await signedIn('admin');
    const res = await submit(agent, '/admin/meetings', { ...valid, startDate: '04/02/2025', endDate: '6/2/2025', reportingOpens: '01/03/2025', reportingCloses: '31/01/2026' }, '/admin/meetings/new');
    expect(res.status).to.equal(302);
    const m = await MeetingModel.findOne({ number: 5 }).lean();
    expect(m?.startDate.toISOString()).to.equal('2025-02-04T00:00:00.000Z');
    expect(m?.endDate.toISOString()).to.equal('2025-02-06T00:00:00.000Z');
    expect(m?.reportingCloses.toISOString()).to.equal('2026-01-31T00:00:00.000Z');
    const form = await agent.get(`/admin/meetings/${String(m?._id)}/edit`);
    expect(form.text).not.to.include('type="date"');
    expect(form.text).to.match(/name="startDate" type="text" value="04\/02\/2025"[^>]*pattern="/);
    expect(form.text).to.include('value="31/01/2026"');
  });

  it('when a meeting whose first day is in the future (Dar es Salaam time) is marked held, then 400 and nothing is stored', async () => {
    // 22:00 UTC on 3 Feb is already 4 Feb in Dar es Salaam: a meeting starting 4 Feb has begun; 5 Feb has not.
    const testApp = buildTestApp({ now: () => new Date('2025-02-03T22:00:00Z') });
    const agent = await signIn(testApp.app, await createUser({ role: 'admin' }));
    const future = await submit(agent, '/admin/meetings', { ...valid, startDate: '05/02/2025', endDate: '06/02/2025', status: 'held' }, '/admin/meetings/new', 'en');
    expect(future.status).to.equal(400);
    expect(text(future.text)).to.include('A meeting whose first day is still in the future cannot be marked held or closed.');
    expect(future.text).to.include('value="05/02/2025"');
    expect(await MeetingModel.countDocuments()).to.equal(0);
    const closed = await submit(agent, '/admin/meetings', { ...valid, startDate: '05/02/2025', endDate: '06/02/2025', status: 'closed' }, '/admin/meetings/new');
    expect(closed.status).to.equal(400);
    expect(await MeetingModel.countDocuments()).to.equal(0);
    const today = await submit(agent, '/admin/meetings', { ...valid, startDate: '04/02/2025', status: 'held' }, '/admin/meetings/new');
    expect(today.status).to.equal(302);
    expect((await MeetingModel.findOne({ number: 5 }).lean())?.status).to.equal('held');
  });

  it('when an existing planned future meeting is edited to held, then 400 refuses it and the stored status stays planned', async () => {
    const testApp = buildTestApp({ now: () => new Date('2025-01-10T09:00:00Z') });
    const agent = await signIn(testApp.app, await createUser({ role: 'admin' }));
    const m = await createMeeting({ number: 7, status: 'planned', startDate: new Date('2025-02-04T00:00:00Z'), endDate: new Date('2025-02-06T00:00:00Z') });
    const url = `/admin/meetings/${String(m._id)}`;
    const res = await submit(agent, url, { ...valid, number: '7', status: 'held', revision: '0' }, `${url}/edit`);
    expect(res.status).to.equal(400);
    const stored = await MeetingModel.findById(m._id).lean();
    expect(stored?.status).to.equal('planned');
    expect(stored?.revision).to.equal(0);
  });

  it('when the number is taken, then a friendly error is shown', async () => {
    const { agent } = await signedIn('admin');
    await createMeeting({ number: 5 });
    const res = await submit(agent, '/admin/meetings', valid, '/admin/meetings/new');
    expect(res.status).to.equal(400);
    expect(text(res.text)).to.include('Kikao kingine tayari kina namba hii.');
    expect(await MeetingModel.countDocuments({ number: 5 })).to.equal(1);
  });

  it('when an admin edits with the current revision, then it is saved; a stale revision gets 409 and current values', async () => {
    const { agent } = await signedIn('admin');
    const m = await createMeeting({ number: 7, venue: 'Dodoma' });
    const url = `/admin/meetings/${String(m._id)}`;
    const ok = await submit(agent, url, { ...valid, number: '7', status: 'held', revision: '0' }, `${url}/edit`);
    expect(ok.status).to.equal(302);
    const stored = await MeetingModel.findById(m._id).lean();
    expect(stored?.status).to.equal('held');
    expect(stored?.venue).to.equal('AICC, Arusha');
    expect(stored?.revision).to.equal(1);
    const stale = await submit(agent, url, { ...valid, number: '7', venue: 'Mwanza', revision: '0' }, `${url}/edit`);
    expect(stale.status).to.equal(409);
    expect(text(stale.text)).to.include('Mtu mwingine amebadilisha kikao hiki');
    expect(stale.text).to.include('value="AICC, Arusha"');
    expect((await MeetingModel.findById(m._id).lean())?.venue).to.equal('AICC, Arusha');
    const audit = await AuditEntryModel.findOne({ action: 'meeting.update' }).lean();
    expect((audit?.before as Record<string, unknown>).venue).to.equal('Dodoma');
  });

  it('when staff open the list and a detail page, then they see the meeting and its resolutions', async () => {
    const { agent } = await signedIn('reviewer');
    const m = await createMeeting({ number: 4, title: { sw: 'Kikao cha Nne', en: 'Fourth' } });
    await createResolution({ meeting: m, number: 1, title: { sw: 'Azimio la usalama', en: 'Security resolution' } });
    const list = await agent.get('/admin/meetings');
    expect(list.status).to.equal(200);
    expect(list.text).to.include('Kikao cha Nne');
    const detail = await agent.get(`/admin/meetings/${String(m._id)}`);
    expect(detail.status).to.equal(200);
    expect(detail.text).to.include('Azimio la usalama');
    expect(detail.text).not.to.include('/edit');
  });

  it('when a reviewer, institution user or anonymous visitor tries to write, then it is refused', async () => {
    const reviewer = await signedIn('reviewer');
    const token = await tokenFrom(reviewer.agent, '/admin/meetings');
    expect((await reviewer.agent.post('/admin/meetings').type('form').send({ ...valid, _csrf: token })).status).to.equal(403);
    expect((await reviewer.agent.get('/admin/meetings/new')).status).to.equal(403);
    const inst = await signedIn('institution');
    expect((await inst.agent.get('/admin/meetings')).status).to.equal(403);
    const anon = await request(buildTestApp().app).get('/admin/meetings');
    expect(anon.status).to.equal(302);
    expect(await MeetingModel.countDocuments()).to.equal(0);
  });

  it('when the CSRF token is missing, then 403 and nothing is written', async () => {
    const { agent } = await signedIn('admin');
    const res = await agent.post('/admin/meetings').type('form').send(valid);
    expect(res.status).to.equal(403);
    expect(await MeetingModel.countDocuments()).to.equal(0);
  });
});
