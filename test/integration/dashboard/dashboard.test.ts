import { expect } from 'chai';
import request from 'supertest';
import { Types } from 'mongoose';
import { ObjectionModel } from '../../../src/features/rankings/objection.model.js';
import { WindowExtensionModel } from '../../../src/features/progress/window-extension.model.js';
import { buildTestApp } from '../../helpers/app.js';
import { createInstitution, createMeeting, createResolution, createUser } from '../../helpers/fixtures.js';
import { signIn } from '../../helpers/http.js';
import { DAY, progressRow } from '../public/public-fixtures.js';
import { text } from '../institutions/admin.helpers.js';

const NOW = new Date('2025-06-15T09:00:00Z');
const at = (days: number) => new Date(NOW.getTime() - days * DAY);

/** The meeting being implemented, three institutions, two resolutions (one overdue), a waiting claim and an objection. */
async function scenario() {
  await createMeeting({ number: 3, status: 'closed', title: { sw: 'Kikao cha Tatu', en: 'Third session' } });
  const meeting = await createMeeting({
    number: 4,
    status: 'held',
    title: { sw: 'Kikao cha Nne', en: 'Fourth session' },
    reportingOpens: at(100),
    reportingCloses: new Date('2025-06-25T00:00:00Z'),
  });
  const overdue = await createResolution({ meeting, number: 1, title: { sw: 'Usalama wa mifumo', en: 'Systems security' }, dueDate: at(10) });
  const later = await createResolution({ meeting, number: 2, title: { sw: 'Kuunganisha na GovESB', en: 'Connect to GovESB' }, dueDate: new Date(NOW.getTime() + 90 * DAY) });
  const mof = await createInstitution({ code: 'MOF', name: { sw: 'Wizara ya Fedha', en: 'Ministry of Finance' }, type: 'ministry' });
  const moh = await createInstitution({ code: 'MOH', name: { sw: 'Wizara ya Afya', en: 'Ministry of Health' }, type: 'ministry' });
  const silent = await createInstitution({ code: 'NBS', name: { sw: 'Ofisi ya Taifa ya Takwimu', en: 'National Bureau of Statistics' }, type: 'ministry' });
  await createInstitution({ code: 'OLD', name: { sw: 'Taasisi Iliyofungwa', en: 'Closed body' }, type: 'ministry', active: false });
  await progressRow(mof, overdue, { verified: [{ status: 'completed', percent: 100, at: at(20) }] });
  // MOH claims completion 3 days ago: waiting for review, so resolution 1 still has one open item.
  await progressRow(moh, overdue, { claimed: { status: 'completed', percent: 100, at: at(3) } });
  await progressRow(moh, later, { claimed: { status: 'in_progress', percent: 30, at: at(1) } });
  const ranking = new Types.ObjectId();
  await ObjectionModel.create({ ranking, institution: moh._id, resolution: overdue._id, reason: 'Tumekamilisha', filedBy: new Types.ObjectId(), filedAt: at(2) });
  await ObjectionModel.create({ ranking, institution: mof._id, resolution: overdue._id, reason: 'Imejibiwa', filedBy: new Types.ObjectId(), filedAt: at(5), state: 'rejected' });
  await WindowExtensionModel.create({ meeting: meeting._id, institution: silent._id, until: new Date(NOW.getTime() + 30 * DAY), by: new Types.ObjectId(), at: at(1) });
  return { meeting, overdue, mof, moh, silent, ranking };
}

describe('admin dashboard (GET /admin)', () => {
  it('when an admin opens it, then the figures they act on are shown and link to where they act', async () => {
    const s = await scenario();
    const { app } = buildTestApp({ now: () => NOW });
    const agent = await signIn(app, await createUser({ role: 'admin' }));
    const res = await agent.get('/admin?lang=en');
    expect(res.status).to.equal(200);
    const page = text(res.text);
    expect(page).to.match(/Meeting being implemented: <a href="\/admin\/meetings\/[0-9a-f]{24}">Fourth session<\/a>/);
    // Two claims wait; the oldest (MOH on resolution 1, 3 days ago) is linked.
    expect(page).to.match(/Reports waiting for review<\/h2>\s*<p class="dash-figure">2<\/p>/);
    expect(page).to.include('Oldest waiting since <time datetime="2025-06-12"');
    // One objection is open (the rejected one is not).
    expect(page).to.match(/Open objections<\/h2>\s*<p class="dash-figure">1<\/p>/);
    expect(res.text).to.include(`href="/admin/rankings/${String(s.ranking)}"`);
    // 25/06 in Dar es Salaam is 10 days after 15/06.
    expect(page).to.include('Open: 10 days left');
    expect(page).to.include('1 institution has an extension');
    // NBS reported nothing; the deactivated institution is not counted.
    expect(page).to.include('1 of 3 active institutions has not reported on any resolution of this meeting.');
    expect(res.text).to.include(`href="/admin/institutions/${String(s.silent._id)}"`);
    // Resolution 1 is overdue: MOH's completion is only claimed, so 1 of 2 is not completed. Resolution 2 is not due.
    expect(page).to.include('Resolution 1: Systems security');
    expect(page).to.include('1 of 3');
    expect(page).not.to.include('Resolution 2: Connect to GovESB');
  });

  it('when nothing is waiting and no meeting is held, then the page says so in Kiswahili', async () => {
    const { app } = buildTestApp({ now: () => NOW });
    const agent = await signIn(app, await createUser({ role: 'admin' }));
    const page = text((await agent.get('/admin')).text);
    expect(page).to.include('Hakuna kinachosubiri.');
    expect(page).to.include('Hakuna pingamizi linalosubiri jibu.');
    expect(page).to.include('Bado hakuna kikao kilichofanyika.');
  });

  it('when an institution user or an anonymous visitor asks for it, then it is refused; a reviewer may read it', async () => {
    const { app } = buildTestApp({ now: () => NOW });
    const inst = await signIn(app, await createUser({ role: 'institution' }));
    expect((await inst.get('/admin')).status).to.equal(403);
    const anon = await request(app).get('/admin');
    expect(anon.status).to.equal(302);
    expect(anon.headers.location).to.match(/^\/login/);
    const reviewer = await signIn(app, await createUser({ role: 'reviewer' }));
    const res = await reviewer.get('/admin');
    expect(res.status).to.equal(200);
    expect(res.text).not.to.include('href="/review/extensions"');
  });
});

