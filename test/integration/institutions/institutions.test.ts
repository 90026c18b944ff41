import { expect } from 'chai';
import request from 'supertest';
import { trusted } from 'mongoose';
import { AuditEntryModel } from '../../../src/features/audit/audit.model.js';
import { InstitutionModel } from '../../../src/features/institutions/institution.model.js';
import { buildTestApp } from '../../helpers/app.js';
import { createInstitution } from '../../helpers/fixtures.js';
import { signedIn, submit, text, tokenFrom } from './admin.helpers.js';

const valid = {
  code: 'min-099',
  nameSw: 'Wizara ya Majaribio',
  nameEn: 'Ministry of Testing',
  acronym: 'MoT',
  type: 'ministry',
  region: 'Dodoma',
  parent: '',
  active: 'on',
};

describe('institutions administration', () => {
  describe('list', () => {
    it('when an admin opens the list, then it shows institutions with search, filters and page links', async () => {
      const { agent } = await signedIn('admin');
      for (let i = 0; i < 27; i += 1) await createInstitution({ region: i % 2 === 0 ? 'Arusha' : 'Mwanza' });
      const res = await agent.get('/admin/institutions');
      expect(res.status).to.equal(200);
      expect(text(res.text)).to.include('Taasisi 27');
      expect((res.text.match(/name="ids"/g) ?? []).length).to.equal(25);
      expect(text(res.text)).to.include('page=2');
      const page2 = await agent.get('/admin/institutions?page=2');
      expect((page2.text.match(/name="ids"/g) ?? []).length).to.equal(2);
    });

    it('when searching with regex characters, then they are matched literally', async () => {
      const { agent } = await signedIn('admin');
      await createInstitution({ code: 'ABC-001', name: { sw: 'Mamlaka (Maalum) ya Data', en: 'Data Authority' } });
      await createInstitution({ code: 'XYZ-002', name: { sw: 'Wakala wa Barabara', en: 'Roads Agency' } });
      const hit = await agent.get('/admin/institutions?q=' + encodeURIComponent('(maalum)'));
      expect(hit.text).to.include('>ABC-001</a>');
      expect(hit.text).not.to.include('>XYZ-002</a>');
      const star = await agent.get('/admin/institutions?q=' + encodeURIComponent('.*'));
      expect(star.status).to.equal(200);
      expect(star.text).not.to.include('>ABC-001</a>');
      const byAcronym = await agent.get('/admin/institutions?q=roads');
      expect(byAcronym.text).to.include('>XYZ-002</a>');
    });

    it('when filtering by type, region and active, then only matching rows are listed', async () => {
      const { agent } = await signedIn('admin');
      await createInstitution({ code: 'LGA-500', type: 'lga', region: 'Tanga' });
      await createInstitution({ code: 'LGA-501', type: 'lga', region: 'Mbeya' });
      await createInstitution({ code: 'LGA-502', type: 'lga', region: 'Tanga', active: false });
      await createInstitution({ code: 'MIN-500', type: 'ministry', region: 'Tanga' });
      const res = await agent.get('/admin/institutions?type=lga&region=Tanga&active=true');
      expect(res.text).to.include('>LGA-500</a>');
      expect(res.text).not.to.include('>LGA-501</a>');
      expect(res.text).not.to.include('>LGA-502</a>');
      expect(res.text).not.to.include('>MIN-500</a>');
    });

    it('when sorting by name, then rows follow the name in the chosen language', async () => {
      const { agent } = await signedIn('admin');
      await createInstitution({ code: 'AAA-001', name: { sw: 'Zanzibar ya Majaribio', en: 'Alpha' } });
      await createInstitution({ code: 'ZZZ-001', name: { sw: 'Arusha ya Majaribio', en: 'Zulu' } });
      const sw = await agent.get('/admin/institutions?sort=name');
      expect(sw.text.indexOf('>ZZZ-001</a>')).to.be.lessThan(sw.text.indexOf('>AAA-001</a>'));
      const en = await agent.get('/admin/institutions?sort=name&lang=en');
      expect(en.text.indexOf('>AAA-001</a>')).to.be.lessThan(en.text.indexOf('>ZZZ-001</a>'));
    });

    it('when a reviewer opens the list, then it is read-only (no create link, no bulk form)', async () => {
      const { agent } = await signedIn('reviewer');
      await createInstitution();
      const res = await agent.get('/admin/institutions');
      expect(res.status).to.equal(200);
      expect(res.text).not.to.include('/admin/institutions/new');
      expect(res.text).not.to.include('action="/admin/institutions/bulk"');
    });

    it('when an institution user or anonymous visitor asks, then access is refused', async () => {
      const { agent } = await signedIn('institution');
      expect((await agent.get('/admin/institutions')).status).to.equal(403);
      const anon = await request(buildTestApp().app).get('/admin/institutions');
      expect(anon.status).to.equal(302);
      expect(anon.headers.location).to.equal('/login?next=%2Fadmin%2Finstitutions');
    });
  });

  describe('create', () => {
    it('when an admin submits a valid form, then the institution is stored (code upper-cased) and audited', async () => {
      const { agent } = await signedIn('admin');
      const res = await submit(agent, '/admin/institutions', valid, '/admin/institutions/new');
      expect(res.status).to.equal(302);
      const stored = await InstitutionModel.findOne({ code: 'MIN-099' }).lean();
      expect(stored?.name).to.deep.equal({ sw: 'Wizara ya Majaribio', en: 'Ministry of Testing' });
      expect(stored?.active).to.equal(true);
      expect(stored?.searchText).to.include('ministry of testing');
      expect(res.headers.location).to.equal(`/admin/institutions/${String(stored?._id)}`);
      const audit = await AuditEntryModel.findOne({ action: 'institution.create' }).lean();
      expect(audit?.entityId).to.equal(String(stored?._id));
    });

    it('when required fields are missing, then the form comes back with 400 and Kiswahili messages, values kept', async () => {
      const { agent } = await signedIn('admin');
      const res = await submit(agent, '/admin/institutions', { ...valid, nameSw: '', type: 'bogus' }, '/admin/institutions/new');
      expect(res.status).to.equal(400);
      const page = text(res.text);
      expect(page).to.include('Sehemu hii inahitajika.');
      expect(page).to.include('Chagua mojawapo ya machaguo yaliyotolewa.');
      expect(res.text).to.include('value="Ministry of Testing"');
      expect(await InstitutionModel.countDocuments()).to.equal(0);
    });

    it('when the language is English, then validation messages are in English', async () => {
      const { agent } = await signedIn('admin');
      const res = await submit(agent, '/admin/institutions', { ...valid, code: 'bad code!' }, '/admin/institutions/new', 'en');
      expect(res.status).to.equal(400);
      expect(text(res.text)).to.include('Use capital letters, digits and dashes only (e.g. MIN-001).');
    });

    it('when the code is already used, then a friendly error is shown and nothing is written', async () => {
      const { agent } = await signedIn('admin');
      await createInstitution({ code: 'MIN-099' });
      const res = await submit(agent, '/admin/institutions', valid, '/admin/institutions/new');
      expect(res.status).to.equal(400);
      expect(text(res.text)).to.include('Taasisi nyingine tayari ina msimbo huu.');
      expect(await InstitutionModel.countDocuments({ code: 'MIN-099' })).to.equal(1);
    });

    it('when a parent is chosen, then it is stored; an unknown parent is rejected', async () => {
      const { agent } = await signedIn('admin');
      const parent = await createInstitution({ code: 'MIN-001' });
      const ok = await submit(agent, '/admin/institutions', { ...valid, parent: String(parent._id) }, '/admin/institutions/new');
      expect(ok.status).to.equal(302);
      expect(String((await InstitutionModel.findOne({ code: 'MIN-099' }).lean())?.parent)).to.equal(String(parent._id));
      const bad = await submit(agent, '/admin/institutions', { ...valid, code: 'MIN-098', parent: '0123456789abcdef01234567' }, '/admin/institutions/new');
      expect(bad.status).to.equal(400);
      expect(text(bad.text)).to.include('Taasisi mama iliyochaguliwa haipo.');
    });

    it('when the CSRF token is missing, then the request is refused with 403 and nothing is written', async () => {
      const { agent } = await signedIn('admin');
      const res = await agent.post('/admin/institutions').type('form').send(valid);
      expect(res.status).to.equal(403);
      expect(await InstitutionModel.countDocuments()).to.equal(0);
    });

    it('when a reviewer posts, then it is forbidden', async () => {
      const { agent } = await signedIn('reviewer');
      const token = await tokenFrom(agent, '/admin/institutions');
      const res = await agent.post('/admin/institutions').type('form').send({ ...valid, _csrf: token });
      expect(res.status).to.equal(403);
      expect(await InstitutionModel.countDocuments()).to.equal(0);
    });
  });

  describe('edit and deactivate', () => {
    it('when an admin saves with the current revision, then the change is stored, revision bumped and audited with before/after', async () => {
      const { agent } = await signedIn('admin');
      const inst = await createInstitution({ code: 'AGY-010', region: 'Dodoma' });
      const res = await submit(
        agent,
        `/admin/institutions/${String(inst._id)}`,
        { ...valid, code: 'AGY-010', region: 'Mwanza', revision: '0' },
        `/admin/institutions/${String(inst._id)}/edit`,
      );
      expect(res.status).to.equal(302);
      const stored = await InstitutionModel.findById(inst._id).lean();
      expect(stored?.region).to.equal('Mwanza');
      expect(stored?.revision).to.equal(1);
      const audit = await AuditEntryModel.findOne({ action: 'institution.update' }).lean();
      expect((audit?.before as Record<string, unknown>).region).to.equal('Dodoma');
      expect((audit?.after as Record<string, unknown>).region).to.equal('Mwanza');
    });

    it('when the form is stale, then 409 with a conflict message and the current values; nothing overwritten', async () => {
      const { agent } = await signedIn('admin');
      const inst = await createInstitution({ code: 'AGY-011', region: 'Dodoma' });
      await InstitutionModel.updateOne({ _id: inst._id }, { $set: { region: 'Kagera' }, $inc: { revision: 1 } });
      const res = await submit(
        agent,
        `/admin/institutions/${String(inst._id)}`,
        { ...valid, code: 'AGY-011', region: 'Mwanza', revision: '0' },
        `/admin/institutions/${String(inst._id)}/edit`,
      );
      expect(res.status).to.equal(409);
      expect(text(res.text)).to.include('Mtu mwingine amebadilisha taasisi hii');
      expect(res.text).to.match(/<option value="Kagera" selected>/);
      expect(res.text).to.include('name="revision" value="1"');
      expect((await InstitutionModel.findById(inst._id).lean())?.region).to.equal('Kagera');
    });

    it('when an institution is made its own ancestor, then it is refused', async () => {
      const { agent } = await signedIn('admin');
      const top = await createInstitution({ code: 'TOP-001' });
      const child = await createInstitution({ code: 'CHD-001', parent: top._id });
      const res = await submit(
        agent,
        `/admin/institutions/${String(top._id)}`,
        { ...valid, code: 'TOP-001', parent: String(child._id), revision: '0' },
        `/admin/institutions/${String(top._id)}/edit`,
        'en',
      );
      expect(res.status).to.equal(400);
      expect(text(res.text)).to.include('This parent would place the institution under itself.');
    });

    it('when an admin deactivates an institution, then it is inactive and audited', async () => {
      const { agent } = await signedIn('admin');
      const inst = await createInstitution();
      const res = await submit(agent, `/admin/institutions/${String(inst._id)}/active`, { active: 'false' }, `/admin/institutions/${String(inst._id)}`);
      expect(res.status).to.equal(302);
      expect((await InstitutionModel.findById(inst._id).lean())?.active).to.equal(false);
      expect(await AuditEntryModel.countDocuments({ action: 'institution.deactivate' })).to.equal(1);
    });

    it('when the id is malformed or unknown, then 404', async () => {
      const { agent } = await signedIn('admin');
      expect((await agent.get('/admin/institutions/not-an-id')).status).to.equal(404);
      expect((await agent.get('/admin/institutions/0123456789abcdef01234567')).status).to.equal(404);
    });

    it('when a reviewer opens the detail page, then it has no edit controls', async () => {
      const { agent } = await signedIn('reviewer');
      const inst = await createInstitution();
      const res = await agent.get(`/admin/institutions/${String(inst._id)}`);
      expect(res.status).to.equal(200);
      expect(res.text).to.include(inst.code);
      expect(res.text).not.to.include('/edit');
      expect((await agent.get(`/admin/institutions/${String(inst._id)}/edit`)).status).to.equal(403);
    });
  });

  describe('bulk edit', () => {
    it('when an admin changes the region of selected rows, then only they change, with one audit entry', async () => {
      const { agent } = await signedIn('admin');
      const a = await createInstitution({ region: 'Dodoma' });
      const b = await createInstitution({ region: 'Dodoma' });
      const c = await createInstitution({ region: 'Dodoma' });
      const res = await submit(agent, '/admin/institutions/bulk', { ids: [String(a._id), String(b._id)], field: 'region', region: 'Geita' }, '/admin/institutions');
      expect(res.status).to.equal(302);
      const regions = (await InstitutionModel.find().sort({ code: 1 }).lean()).map((d) => d.region);
      expect(regions).to.deep.equal(['Geita', 'Geita', 'Dodoma']);
      expect(String(c._id)).to.be.a('string');
      const audit = await AuditEntryModel.findOne({ action: 'institution.bulkUpdate' }).lean();
      expect((audit?.after as Record<string, unknown>).value).to.equal('Geita');
    });

    it('when deactivating and setting a parent in bulk, then the values are applied', async () => {
      const { agent } = await signedIn('admin');
      const parent = await createInstitution();
      const a = await createInstitution();
      const b = await createInstitution();
      await submit(agent, '/admin/institutions/bulk', { ids: [String(a._id), String(b._id)], field: 'active', active: 'false' }, '/admin/institutions');
      await submit(agent, '/admin/institutions/bulk', { ids: [String(a._id), String(b._id)], field: 'parent', parent: String(parent._id) }, '/admin/institutions');
      const docs = await InstitutionModel.find({ _id: trusted({ $in: [a._id, b._id] }) }).lean();
      expect(docs.map((d) => d.active)).to.deep.equal([false, false]);
      expect(docs.map((d) => String(d.parent))).to.deep.equal([String(parent._id), String(parent._id)]);
    });

    it('when nothing is selected or the value is invalid, then 400 with a message and nothing changes', async () => {
      const { agent } = await signedIn('admin');
      const a = await createInstitution({ type: 'ministry' });
      const none = await submit(agent, '/admin/institutions/bulk', { field: 'type', type: 'lga' }, '/admin/institutions');
      expect(none.status).to.equal(400);
      expect(text(none.text)).to.include('Chagua angalau safu moja.');
      const bad = await submit(agent, '/admin/institutions/bulk', { ids: [String(a._id)], field: 'type', type: 'castle' }, '/admin/institutions', 'en');
      expect(bad.status).to.equal(400);
      expect(text(bad.text)).to.include('Choose one of the options offered.');
      expect((await InstitutionModel.findById(a._id).lean())?.type).to.equal('ministry');
      expect(await AuditEntryModel.countDocuments({ action: 'institution.bulkUpdate' })).to.equal(0);
    });

    it('when a reviewer posts a bulk edit, then it is forbidden', async () => {
      const { agent } = await signedIn('reviewer');
      const a = await createInstitution({ type: 'ministry' });
      const token = await tokenFrom(agent, '/admin/institutions');
      const res = await agent.post('/admin/institutions/bulk').type('form').send({ ids: String(a._id), field: 'type', type: 'lga', _csrf: token });
      expect(res.status).to.equal(403);
      expect((await InstitutionModel.findById(a._id).lean())?.type).to.equal('ministry');
    });
  });
});

describe('institutions: bulk edit without a CSRF token', () => {
  it('when an admin posts a bulk edit without the token, then 403 and nothing changes', async () => {
    const { agent } = await signedIn('admin');
    const a = await createInstitution({ type: 'ministry' });
    const res = await agent.post('/admin/institutions/bulk').type('form').send({ ids: String(a._id), field: 'type', type: 'lga' });
    expect(res.status).to.equal(403);
    expect((await InstitutionModel.findById(a._id).lean())?.type).to.equal('ministry');
  });
});
