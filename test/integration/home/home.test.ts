import { expect } from 'chai';
import request from 'supertest';
import { buildTestApp } from '../../helpers/app.js';
import { createInstitution, createMeeting, createResolution } from '../../helpers/fixtures.js';
import { daysAgo, progressRow, publishedRanking } from '../public/public-fixtures.js';
import { seedReferenceData } from '../../../src/seed/reference.seed.js';
import { text } from '../institutions/admin.helpers.js';

describe('home page (GET /)', () => {
  it('when nothing is published, then it answers 200 with a friendly note', async () => {
    const res = await request(buildTestApp().app).get('/');
    expect(res.status).to.equal(200);
    expect(text(res.text)).to.include('Bado hakuna kikao kilichochapishwa.');
  });

  it('when the demo data exists, then anonymous visitors see the 4th session and its resolutions in Kiswahili', async () => {
    await seedReferenceData({ now: new Date('2026-01-10T00:00:00Z') });
    const res = await request(buildTestApp().app).get('/');
    expect(res.status).to.equal(200);
    const page = text(res.text);
    expect(page).to.include('Kikao Kazi cha Nne cha Serikali Mtandao');
    expect(page).to.include('Uzingatiaji wa Sheria, Sera, Kanuni, Viwango na Miongozo ya Serikali Mtandao kwa ubadilishanaji Salama wa Taarifa');
    expect(page).to.include('AICC, Arusha');
    expect(page).to.include('Kubadilishana taarifa kwa usalama kupitia GovESB');
    expect(page).to.include('Maneno ya mfano');
    expect(page).not.to.include('Kikao Kazi cha Tatu');
  });

  it('when English is chosen, then the same meeting is shown in English', async () => {
    await seedReferenceData({ now: new Date('2026-01-10T00:00:00Z') });
    const res = await request(buildTestApp().app).get('/?lang=en');
    expect(res.status).to.equal(200);
    const page = text(res.text);
    expect(page).to.include('Fourth e-Government Working Session');
    expect(page).to.include('Compliance with e-Government Laws, Policies, Regulations, Standards and Guidelines for the Secure Exchange of Information');
    expect(page).to.include('Share data securely through the Government Enterprise Service Bus (GovESB)');
    expect(page).to.include('Sample wording');
  });

  it('when a later meeting is planned, then the held meeting keeps its results and the planned one appears beside it; inactive resolutions are hidden', async () => {
    const held = await createMeeting({ number: 4, status: 'held', title: { sw: 'Kikao cha Nne', en: 'Fourth session' } });
    await createResolution({ meeting: held, number: 1, title: { sw: 'Azimio la zamani', en: 'Old resolution' } });
    const planned = await createMeeting({ number: 5, status: 'planned', title: { sw: 'Kikao cha Tano', en: 'Fifth session' } });
    await createResolution({ meeting: planned, number: 1, title: { sw: 'Azimio jipya la tano', en: 'New fifth resolution' } });
    await createResolution({ meeting: planned, number: 2, active: false, title: { sw: 'Azimio lililositishwa', en: 'Withdrawn' } });
    const page = text((await request(buildTestApp().app).get('/')).text);
    expect(page).to.include('Maazimio yanayotekelezwa');
    expect(page).to.include('Kikao cha Nne');
    expect(page).to.include('Azimio la zamani');
    expect(page).to.include('Kikao kinachoandaliwa');
    expect(page).to.include('Kikao cha Tano');
    expect(page).to.include('Azimio jipya la tano');
    expect(page).not.to.include('Azimio lililositishwa');
    expect(page.indexOf('Kikao cha Nne')).to.be.lessThan(page.indexOf('Kikao cha Tano'));
  });

  it('when progress is verified and a ranking published, then headline totals, a bar per resolution and the latest awards are shown; claims are not counted', async () => {
    const meeting = await createMeeting({ number: 4, status: 'held', title: { sw: 'Kikao cha Nne', en: 'Fourth session' } });
    const r1 = await createResolution({ meeting, number: 1, title: { sw: 'Usalama wa mifumo', en: 'Systems security' } });
    const r2 = await createResolution({ meeting, number: 2, title: { sw: 'Kuunganisha na GovESB', en: 'Connect to GovESB' }, appliesTo: ['ministry'] });
    const mof = await createInstitution({ code: 'MOF', name: { sw: 'Wizara ya Fedha', en: 'Ministry of Finance' }, type: 'ministry' });
    const moh = await createInstitution({ code: 'MOH', name: { sw: 'Wizara ya Afya', en: 'Ministry of Health' }, type: 'ministry' });
    await progressRow(mof, r1, { verified: [{ status: 'completed', percent: 100, at: daysAgo(3) }] });
    await progressRow(moh, r1, { verified: [{ status: 'in_progress', percent: 40, at: daysAgo(2) }] });
    await progressRow(mof, r2, { verified: [{ status: 'in_progress', percent: 50, at: daysAgo(2) }] });
    // A claim e-GA has not verified: not counted anywhere on the home page.
    await progressRow(moh, r2, { claimed: { status: 'completed', percent: 100, at: daysAgo(1) } });
    await publishedRanking(meeting, { entries: [{ institution: mof, score: 75, rank: 1, grade: 'B' }, { institution: moh, score: 20, rank: 2, grade: 'D' }], winners: 1 });
    const res = await request(buildTestApp().app).get('/?lang=en');
    expect(res.status).to.equal(200);
    const page = text(res.text);
    // r1: (100 + 40) / 2 = 70 %; r2: (50 + 0 not reported) / 2 = 25 %; overall (100 + 40 + 50 + 0) / 4 = 47.5 %.
    expect(res.text).to.match(/<span class="stat-value">2<\/span> <span class="stat-label">Institutions/);
    expect(res.text).to.match(/<span class="stat-value">47\.5%<\/span> <span class="stat-label">Average completion/);
    expect(res.text).to.match(/<span class="stat-value">3<\/span> <span class="stat-label">Values verified of 4/);
    expect(res.text).to.include(`<progress id="rp-${String(r1._id)}" max="100" value="70"`);
    expect(res.text).to.include(`<progress id="rp-${String(r2._id)}" max="100" value="25"`);
    expect(page).to.include('1 of 2 institutions completed');
    expect(page).to.include('0 of 2 institutions completed');
    expect(page).to.include('Best performers');
    expect(page).to.match(/Ministry of Finance<\/a> <span class="small muted">Ministry · Score 75/);
    expect(res.text).to.include(`href="/meetings/${String(meeting._id)}/report"`);
    expect(res.text).to.include('href="/rankings"');
  });

  it('when the English title is missing, then the Kiswahili one is shown, marked', async () => {
    const meeting = await createMeeting({ number: 4 });
    await createResolution({ meeting, number: 1, title: { sw: 'Azimio bila Kiingereza', en: '' } });
    const res = await request(buildTestApp().app).get('/?lang=en');
    expect(res.text).to.match(/<span lang="sw" class="fallback">Azimio bila Kiingereza<\/span>/);
  });
});
