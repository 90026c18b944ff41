import { expect } from 'chai';
import request from 'supertest';
import { buildTestApp } from '../../helpers/app.js';
import { createMeeting, createResolution } from '../../helpers/fixtures.js';
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

  it('when a later meeting is planned, then it becomes the current meeting; inactive resolutions are hidden', async () => {
    const held = await createMeeting({ number: 4, status: 'held', title: { sw: 'Kikao cha Nne', en: 'Fourth session' } });
    await createResolution({ meeting: held, number: 1, title: { sw: 'Azimio la zamani', en: 'Old resolution' } });
    const planned = await createMeeting({ number: 5, status: 'planned', title: { sw: 'Kikao cha Tano', en: 'Fifth session' } });
    await createResolution({ meeting: planned, number: 1, title: { sw: 'Azimio jipya la tano', en: 'New fifth resolution' } });
    await createResolution({ meeting: planned, number: 2, active: false, title: { sw: 'Azimio lililositishwa', en: 'Withdrawn' } });
    const page = text((await request(buildTestApp().app).get('/')).text);
    expect(page).to.include('Kikao cha Tano');
    expect(page).to.include('Azimio jipya la tano');
    expect(page).not.to.include('Azimio lililositishwa');
    expect(page).not.to.include('Azimio la zamani');
  });

  it('when the English title is missing, then the Kiswahili one is shown, marked', async () => {
    const meeting = await createMeeting({ number: 4 });
    await createResolution({ meeting, number: 1, title: { sw: 'Azimio bila Kiingereza', en: '' } });
    const res = await request(buildTestApp().app).get('/?lang=en');
    expect(res.text).to.match(/<span lang="sw" class="fallback">Azimio bila Kiingereza<\/span>/);
  });
});
