import { expect } from 'chai';
import request from 'supertest';
import { AuditEntryModel } from '../../../src/features/audit/audit.model.js';
import { ResolutionModel } from '../../../src/features/resolutions/resolution.model.js';
import { INSTITUTION_TYPES } from '../../../src/domain/reference-data.js';
import { buildTestApp } from '../../helpers/app.js';
import { createMeeting, createResolution } from '../../helpers/fixtures.js';
import { signedIn, submit, text, tokenFrom } from '../institutions/admin.helpers.js';

function form(meetingId: string, overrides: Record<string, unknown> = {}) {
  return {
    meeting: meetingId,
    number: '1',
    titleSw: 'Kuimarisha usalama wa mifumo',
    titleEn: 'Strengthen system security',
    textSw: 'Taasisi zote ziimarishe usalama wa mifumo yao.',
    textEn: 'All institutions strengthen the security of their systems.',
    category: 'cybersecurity',
    dueDate: '2025-06-30',
    weight: '2',
    appliesTo: ['ministry', 'lga'],
    active: 'on',
    ...overrides,
  };
}

describe('resolutions administration', () => {
  describe('create', () => {
    it('when the form for a new resolution opens, then the next free number is suggested and all types are ticked', async () => {
      const { agent } = await signedIn('admin');
      const m = await createMeeting({ number: 4 });
      await createResolution({ meeting: m, number: 1 });
      await createResolution({ meeting: m, number: 2 });
      const res = await agent.get(`/admin/resolutions/new?meeting=${String(m._id)}`);
      expect(res.status).to.equal(200);
      expect(res.text).to.include('name="number" type="number" value="3"');
      expect((res.text.match(/name="appliesTo" value="[a-z_]+" checked/g) ?? []).length).to.equal(INSTITUTION_TYPES.length);
    });

    it('when an admin creates a resolution in both languages, then it is stored and audited', async () => {
      const { agent } = await signedIn('admin');
      const m = await createMeeting({ number: 4 });
      const res = await submit(agent, '/admin/resolutions', form(String(m._id)), '/admin/resolutions/new');
      expect(res.status).to.equal(302);
      const r = await ResolutionModel.findOne({ meeting: m._id, number: 1 }).lean();
      expect(r?.title).to.deep.equal({ sw: 'Kuimarisha usalama wa mifumo', en: 'Strengthen system security' });
      expect(r?.weight).to.equal(2);
      expect(r?.appliesTo).to.deep.equal(['ministry', 'lga']);
      expect(r?.dueDate.toISOString()).to.equal('2025-06-30T00:00:00.000Z');
      expect(await AuditEntryModel.countDocuments({ action: 'resolution.create', entityId: String(r?._id) })).to.equal(1);
    });

    it('when English is left empty, then it is stored and the admin list shows "English missing"', async () => {
      const { agent } = await signedIn('admin');
      const m = await createMeeting({ number: 4 });
      const res = await submit(agent, '/admin/resolutions', form(String(m._id), { titleEn: '', textEn: '', weight: '' }), '/admin/resolutions/new');
      expect(res.status).to.equal(302);
      const r = await ResolutionModel.findOne({ meeting: m._id }).lean();
      expect(r?.weight).to.equal(1);
      const list = await agent.get('/admin/resolutions');
      expect(text(list.text)).to.include('Kiingereza hakipo');
      const listEn = await agent.get('/admin/resolutions?lang=en');
      expect(text(listEn.text)).to.include('English missing');
    });

    it('when the number is already used in the meeting, then a friendly error (Kiswahili and English) and nothing is written', async () => {
      const { agent } = await signedIn('admin');
      const m = await createMeeting({ number: 4 });
      await createResolution({ meeting: m, number: 1 });
      const sw = await submit(agent, '/admin/resolutions', form(String(m._id)), '/admin/resolutions/new');
      expect(sw.status).to.equal(400);
      expect(text(sw.text)).to.include('Kikao hiki tayari kina azimio lenye namba hii.');
      const en = await submit(agent, '/admin/resolutions', form(String(m._id)), '/admin/resolutions/new', 'en');
      expect(text(en.text)).to.include('This meeting already has a resolution with this number.');
      expect(await ResolutionModel.countDocuments({ meeting: m._id })).to.equal(1);
    });

    it('when the same number is used in another meeting, then it is allowed', async () => {
      const { agent } = await signedIn('admin');
      const m3 = await createMeeting({ number: 3 });
      const m4 = await createMeeting({ number: 4 });
      await createResolution({ meeting: m3, number: 1 });
      const res = await submit(agent, '/admin/resolutions', form(String(m4._id)), '/admin/resolutions/new');
      expect(res.status).to.equal(302);
    });

    it('when weight is zero, no type is ticked and Kiswahili text is missing, then 400 with messages', async () => {
      const { agent } = await signedIn('admin');
      const m = await createMeeting({ number: 4 });
      const res = await submit(agent, '/admin/resolutions', form(String(m._id), { weight: '0', appliesTo: [], textSw: '' }), '/admin/resolutions/new');
      expect(res.status).to.equal(400);
      const page = text(res.text);
      expect(page).to.include('Namba lazima iwe kubwa kuliko sifuri.');
      expect(page).to.include('Sehemu hii inahitajika.');
      expect(await ResolutionModel.countDocuments()).to.equal(0);
    });

    it('when the meeting does not exist, then 400', async () => {
      const { agent } = await signedIn('admin');
      await createMeeting({ number: 4 });
      const res = await submit(agent, '/admin/resolutions', form('0123456789abcdef01234567'), '/admin/resolutions/new', 'en');
      expect(res.status).to.equal(400);
      expect(text(res.text)).to.include('The chosen meeting does not exist.');
    });

    it('when the CSRF token is missing, then 403', async () => {
      const { agent } = await signedIn('admin');
      const m = await createMeeting({ number: 4 });
      const res = await agent.post('/admin/resolutions').type('form').send(form(String(m._id)));
      expect(res.status).to.equal(403);
      expect(await ResolutionModel.countDocuments()).to.equal(0);
    });

    it('when a reviewer or institution user posts, then 403; anonymous is sent to sign in', async () => {
      const m = await createMeeting({ number: 4 });
      const reviewer = await signedIn('reviewer');
      const token = await tokenFrom(reviewer.agent, '/admin/resolutions');
      expect((await reviewer.agent.post('/admin/resolutions').type('form').send({ ...form(String(m._id)), _csrf: token })).status).to.equal(403);
      const inst = await signedIn('institution');
      expect((await inst.agent.get('/admin/resolutions')).status).to.equal(403);
      const anon = await request(buildTestApp().app).get('/admin/resolutions/new');
      expect(anon.status).to.equal(302);
      expect(anon.headers.location).to.equal('/login?next=%2Fadmin%2Fresolutions%2Fnew');
      expect(await ResolutionModel.countDocuments()).to.equal(0);
    });
  });

  describe('edit', () => {
    it('when saved with the current revision, then changed and audited; a stale revision gets 409 with the current values', async () => {
      const { agent } = await signedIn('admin');
      const m = await createMeeting({ number: 4 });
      const r = await createResolution({ meeting: m, number: 1, category: 'cybersecurity' });
      const url = `/admin/resolutions/${String(r._id)}`;
      const ok = await submit(agent, url, form(String(m._id), { category: 'connectivity', revision: '0' }), `${url}/edit`);
      expect(ok.status).to.equal(302);
      expect((await ResolutionModel.findById(r._id).lean())?.category).to.equal('connectivity');
      const stale = await submit(agent, url, form(String(m._id), { category: 'other', revision: '0' }), `${url}/edit`, 'en');
      expect(stale.status).to.equal(409);
      expect(text(stale.text)).to.include('Someone else changed this resolution while you were editing.');
      expect(stale.text).to.match(/<option value="connectivity" selected>/);
      expect((await ResolutionModel.findById(r._id).lean())?.category).to.equal('connectivity');
      const audit = await AuditEntryModel.findOne({ action: 'resolution.update' }).lean();
      expect((audit?.before as Record<string, unknown>).category).to.equal('cybersecurity');
      expect((audit?.after as Record<string, unknown>).category).to.equal('connectivity');
    });

    it('when the number is changed to one already used, then 400 and unchanged', async () => {
      const { agent } = await signedIn('admin');
      const m = await createMeeting({ number: 4 });
      await createResolution({ meeting: m, number: 1 });
      const r2 = await createResolution({ meeting: m, number: 2 });
      const url = `/admin/resolutions/${String(r2._id)}`;
      const res = await submit(agent, url, form(String(m._id), { number: '1', revision: '0' }), `${url}/edit`);
      expect(res.status).to.equal(400);
      expect((await ResolutionModel.findById(r2._id).lean())?.number).to.equal(2);
    });
  });

  describe('carry over', () => {
    it('when carried over to a later meeting, then a linked copy gets the next free number and both pages show the link', async () => {
      const { agent } = await signedIn('admin');
      const m3 = await createMeeting({ number: 3 });
      const m4 = await createMeeting({ number: 4 });
      await createResolution({ meeting: m4, number: 1 });
      await createResolution({ meeting: m4, number: 2 });
      const origin = await createResolution({ meeting: m3, number: 5, title: { sw: 'Kuanzisha vitengo vya TEHAMA', en: 'Establish ICT units' } });
      const url = `/admin/resolutions/${String(origin._id)}`;
      const res = await submit(agent, `${url}/carry-over`, { targetMeeting: String(m4._id) }, url);
      expect(res.status).to.equal(302);
      const copy = await ResolutionModel.findOne({ carriedOverFrom: origin._id }).lean();
      expect(copy?.number).to.equal(3);
      expect(String(copy?.meeting)).to.equal(String(m4._id));
      expect(copy?.title.sw).to.equal('Kuanzisha vitengo vya TEHAMA');
      expect(res.headers.location).to.equal(`/admin/resolutions/${String(copy?._id)}`);
      const copyPage = text((await agent.get(`/admin/resolutions/${String(copy?._id)}`)).text);
      expect(copyPage).to.include('Limehamishwa kutoka');
      expect(copyPage).to.include('Kikao 3, azimio 5');
      const originPage = text((await agent.get(url)).text);
      expect(originPage).to.include('Limehamishiwa');
      expect(originPage).to.include('Kikao 4, azimio 3');
      expect(await AuditEntryModel.countDocuments({ action: 'resolution.carryOver' })).to.equal(1);
    });

    it('when carried to the same or an earlier meeting, or twice to the same meeting, then 400 and no copy', async () => {
      const { agent } = await signedIn('admin');
      const m3 = await createMeeting({ number: 3 });
      const m4 = await createMeeting({ number: 4 });
      const r4 = await createResolution({ meeting: m4, number: 1 });
      const url4 = `/admin/resolutions/${String(r4._id)}`;
      const back = await submit(agent, `${url4}/carry-over`, { targetMeeting: String(m3._id) }, url4, 'en');
      expect(back.status).to.equal(400);
      expect(text(back.text)).to.include('A resolution can only be carried over to a later meeting.');
      const r3 = await createResolution({ meeting: m3, number: 1 });
      const url3 = `/admin/resolutions/${String(r3._id)}`;
      expect((await submit(agent, `${url3}/carry-over`, { targetMeeting: String(m4._id) }, url3)).status).to.equal(302);
      const again = await submit(agent, `${url3}/carry-over`, { targetMeeting: String(m4._id) }, url3, 'sw');
      expect(again.status).to.equal(400);
      expect(text(again.text)).to.include('Azimio hili tayari limehamishiwa kikao hicho.');
      expect(await ResolutionModel.countDocuments({ carriedOverFrom: r3._id })).to.equal(1);
    });
  });

  describe('bulk edit', () => {
    it('when an admin changes category, weight, due date, active and appliesTo in bulk, then selected rows change', async () => {
      const { agent } = await signedIn('admin');
      const m = await createMeeting({ number: 4 });
      const a = await createResolution({ meeting: m, number: 1 });
      const b = await createResolution({ meeting: m, number: 2 });
      const c = await createResolution({ meeting: m, number: 3 });
      const ids = [String(a._id), String(b._id)];
      const steps: Array<Record<string, unknown>> = [
        { field: 'category', category: 'human_capacity' },
        { field: 'weight', weight: '2.5' },
        { field: 'dueDate', dueDate: '2026-12-31' },
        { field: 'active', active: 'false' },
        { field: 'appliesTo', appliesTo: ['lga', 'regional_secretariat'] },
      ];
      for (const step of steps) {
        const res = await submit(agent, '/admin/resolutions/bulk', { ids, ...step }, '/admin/resolutions');
        expect(res.status, JSON.stringify(step)).to.equal(302);
      }
      for (const id of [a._id, b._id]) {
        const r = await ResolutionModel.findById(id).lean();
        expect(r?.category).to.equal('human_capacity');
        expect(r?.weight).to.equal(2.5);
        expect(r?.dueDate.toISOString()).to.equal('2026-12-31T00:00:00.000Z');
        expect(r?.active).to.equal(false);
        expect(r?.appliesTo).to.deep.equal(['lga', 'regional_secretariat']);
      }
      const untouched = await ResolutionModel.findById(c._id).lean();
      expect(untouched?.category).to.equal('cybersecurity');
      expect(untouched?.active).to.equal(true);
      expect(await AuditEntryModel.countDocuments({ action: 'resolution.bulkUpdate' })).to.equal(5);
    });

    it('when the bulk value is invalid, then 400 with the message and nothing changes', async () => {
      const { agent } = await signedIn('admin');
      const m = await createMeeting({ number: 4 });
      const a = await createResolution({ meeting: m, number: 1, weight: 1 });
      const res = await submit(agent, '/admin/resolutions/bulk', { ids: [String(a._id)], field: 'weight', weight: '-3' }, '/admin/resolutions', 'en');
      expect(res.status).to.equal(400);
      expect(text(res.text)).to.include('The number must be greater than zero.');
      expect((await ResolutionModel.findById(a._id).lean())?.weight).to.equal(1);
    });
  });

  describe('list', () => {
    it('when filtering by meeting and searching, then only matching resolutions are listed; sample wording is labelled', async () => {
      const { agent } = await signedIn('reviewer');
      const m3 = await createMeeting({ number: 3 });
      const m4 = await createMeeting({ number: 4 });
      await createResolution({ meeting: m3, number: 1, title: { sw: 'Barua pepe rasmi', en: 'Official email' } });
      const r = await createResolution({ meeting: m4, number: 1, title: { sw: 'GovESB (muunganiko)', en: 'GovESB' } });
      await ResolutionModel.updateOne({ _id: r._id }, { $set: { sampleWording: true } });
      const res = await agent.get(`/admin/resolutions?meeting=${String(m4._id)}&q=${encodeURIComponent('(muunganiko)')}`);
      const page = text(res.text);
      expect(page).to.include('GovESB (muunganiko)');
      expect(page).not.to.include('Barua pepe rasmi');
      expect(page).to.include('Maneno ya mfano');
      expect(res.text).not.to.include('action="/admin/resolutions/bulk"');
    });
  });
});

describe('resolutions list order and pages', () => {
  it('when there are more than 25 resolutions over several meetings, then pages run newest meeting first, by number', async () => {
    const { agent } = await signedIn('reviewer');
    const m4 = await createMeeting({ number: 4 });
    const m3 = await createMeeting({ number: 3 });
    for (let n = 1; n <= 20; n += 1) await createResolution({ meeting: m3, number: n, title: { sw: `Tatu-${n}-mwisho`, en: '' } });
    for (let n = 1; n <= 10; n += 1) await createResolution({ meeting: m4, number: n, title: { sw: `Nne-${n}-mwisho`, en: '' } });
    const first = text((await agent.get('/admin/resolutions')).text);
    expect(first).to.include('Maazimio 30');
    expect(first.indexOf('Nne-10-mwisho')).to.be.lessThan(first.indexOf('Tatu-1-mwisho'));
    expect(first).to.include('Tatu-15-mwisho');
    expect(first).not.to.include('Tatu-16-mwisho');
    const second = text((await agent.get('/admin/resolutions?page=2')).text);
    expect(second).to.include('Tatu-16-mwisho');
    expect(second).to.include('Tatu-20-mwisho');
    expect(second).not.to.include('Nne-1-mwisho');
    expect(second).not.to.include('Tatu-15-mwisho');
  });
});

describe('resolutions: guards on carry-over and bulk edit', () => {
  it('when a reviewer carries over or bulk-edits, then 403; without a CSRF token even an admin gets 403', async () => {
    const m3 = await createMeeting({ number: 3 });
    const m4 = await createMeeting({ number: 4 });
    const r = await createResolution({ meeting: m3, number: 1, category: 'cybersecurity' });
    const reviewer = await signedIn('reviewer');
    const token = await tokenFrom(reviewer.agent, `/admin/resolutions/${String(r._id)}`);
    const carry = await reviewer.agent.post(`/admin/resolutions/${String(r._id)}/carry-over`).type('form').send({ targetMeeting: String(m4._id), _csrf: token });
    expect(carry.status).to.equal(403);
    const bulk = await reviewer.agent.post('/admin/resolutions/bulk').type('form').send({ ids: String(r._id), field: 'category', category: 'other', _csrf: token });
    expect(bulk.status).to.equal(403);
    const admin = await signedIn('admin');
    expect((await admin.agent.post(`/admin/resolutions/${String(r._id)}/carry-over`).type('form').send({ targetMeeting: String(m4._id) })).status).to.equal(403);
    expect((await admin.agent.post('/admin/resolutions/bulk').type('form').send({ ids: String(r._id), field: 'category', category: 'other' })).status).to.equal(403);
    expect(await ResolutionModel.countDocuments()).to.equal(1);
    expect((await ResolutionModel.findById(r._id).lean())?.category).to.equal('cybersecurity');
    const anon = await request(buildTestApp().app).get(`/admin/resolutions/${String(r._id)}`);
    expect(anon.status).to.equal(302);
  });
});
