import { expect } from 'chai';
import { AuditEntryModel } from '../../../src/features/audit/audit.model.js';
import { InstitutionModel } from '../../../src/features/institutions/institution.model.js';
import { loadCouncilRegistry } from '../../../src/features/institutions/council-registry.js';
import { createInstitution } from '../../helpers/fixtures.js';
import type { Agent } from '../../helpers/http.js';
import { signedIn, submit, text, tokenFrom } from './admin.helpers.js';

async function upload(agent: Agent, url: string, csv: string, mode: 'dryRun' | 'import', lang?: 'sw' | 'en') {
  const token = await tokenFrom(agent, url);
  const query = lang ? `?lang=${lang}` : '';
  return agent.post(url + query).field('_csrf', token).field('mode', mode).attach('file', Buffer.from(csv, 'utf8'), { filename: 'attributes.csv', contentType: 'text/csv' });
}

function editFields(doc: { code: string; name: { sw: string; en?: string }; type: string; region: string; revision: number }, extra: Record<string, string>) {
  return { code: doc.code, nameSw: doc.name.sw, nameEn: doc.name.en ?? '', acronym: '', type: doc.type, region: doc.region, parent: '', active: 'on', revision: String(doc.revision), ...extra };
}

describe('institution attributes (maturity, vote, council type, scope)', () => {
  it('when an admin saves a level with its date, a vote code and a council type, then they are stored and audited', async () => {
    const { agent } = await signedIn('admin');
    const lga = await createInstitution({ code: 'LGA-700', type: 'lga', region: 'Arusha' });
    const url = `/admin/institutions/${String(lga._id)}`;
    const res = await submit(agent, url, editFields(lga, { maturityLevel: '3', maturityAssessedOn: '30/06/2024', voteCode: '2007', councilType: 'district', inScope: 'on' }), `${url}/edit`);
    expect(res.status).to.equal(302);
    const stored = await InstitutionModel.findById(lga._id).lean();
    expect(stored).to.include({ maturityLevel: 3, voteCode: '2007', councilType: 'district', inScope: true });
    expect(stored?.maturityAssessedOn?.toISOString()).to.equal('2024-06-30T00:00:00.000Z');
    const audit = await AuditEntryModel.findOne({ action: 'institution.update' }).lean();
    expect((audit?.after as Record<string, unknown>).maturityLevel).to.equal(3);
    const detail = await agent.get(`${url}?lang=en`);
    expect(text(detail.text)).to.include('Level 3').and.include('District council');
  });

  it('when a ministry is given a council type or a level without a date, then the form answers 400 in Kiswahili and nothing changes', async () => {
    const { agent } = await signedIn('admin');
    const min = await createInstitution({ code: 'MIN-700', type: 'ministry' });
    const url = `/admin/institutions/${String(min._id)}`;
    const res = await submit(agent, url, editFields(min, { maturityLevel: '4', councilType: 'city' }), `${url}/edit`);
    expect(res.status).to.equal(400);
    expect(text(res.text)).to.include('Ni mamlaka ya serikali za mitaa tu yenye aina ya halmashauri.');
    const stored = await InstitutionModel.findById(min._id).lean();
    expect(stored).to.include({ maturityLevel: null, councilType: null, revision: min.revision });
  });

  it('when an admin sets the maturity level of several institutions at once, then level and date are set on all of them', async () => {
    const { agent } = await signedIn('admin');
    const a = await createInstitution({ code: 'AGY-701' });
    const b = await createInstitution({ code: 'AGY-702' });
    const res = await submit(agent, '/admin/institutions/bulk', { ids: [String(a._id), String(b._id)], field: 'maturityLevel', maturityLevel: '4', maturityAssessedOn: '2024-06-30' }, '/admin/institutions');
    expect(res.status).to.equal(302);
    const docs = await InstitutionModel.find({ code: /^AGY-70/ }).sort({ code: 1 }).lean();
    expect(docs.map((d) => [d.maturityLevel, d.maturityAssessedOn?.toISOString()])).to.deep.equal([
      [4, '2024-06-30T00:00:00.000Z'],
      [4, '2024-06-30T00:00:00.000Z'],
    ]);
    const missingDate = await submit(agent, '/admin/institutions/bulk', { ids: [String(a._id)], field: 'maturityLevel', maturityLevel: '2' }, '/admin/institutions');
    expect(missingDate.status).to.equal(400);
    expect((await InstitutionModel.findById(a._id).lean())?.maturityLevel).to.equal(4);
  });

  it('when the attributes CSV is exported, edited and imported, then every row is updated; a bad row means nothing is', async () => {
    const { agent } = await signedIn('admin');
    await createInstitution({ code: 'LGA-710', type: 'lga' });
    await createInstitution({ code: 'MIN-710', type: 'ministry' });
    const exported = await agent.get('/admin/institution-attributes/export.csv');
    expect(exported.status).to.equal(200);
    expect(exported.text).to.include('code,maturity_level,maturity_assessed_on,vote_code,council_type,in_scope');

    const bad = ['code,maturity_level,maturity_assessed_on,vote_code,council_type,in_scope', 'LGA-710,3,2024-06-30,,town,true', 'MIN-710,4,2024-06-30,50,city,true'].join('\n');
    const refused = await upload(agent, '/admin/institution-attributes/import', bad, 'import', 'en');
    expect(text(refused.text)).to.include('Only a local government authority has a council type.');
    expect((await InstitutionModel.findOne({ code: 'LGA-710' }).lean())?.maturityLevel).to.equal(null);

    const good = ['code,maturity_level,maturity_assessed_on,vote_code,council_type,in_scope', 'LGA-710,3,2024-06-30,,town,false', 'MIN-710,4,2024-06-30,50,,true'].join('\n');
    const done = await upload(agent, '/admin/institution-attributes/import', good, 'import');
    expect(done.status).to.equal(200);
    expect(await InstitutionModel.findOne({ code: 'LGA-710' }).lean()).to.include({ maturityLevel: 3, councilType: 'town', inScope: false });
    expect(await InstitutionModel.findOne({ code: 'MIN-710' }).lean()).to.include({ maturityLevel: 4, voteCode: '50', councilType: null });
    expect(await AuditEntryModel.countDocuments({ action: 'institution.importAttributes' })).to.equal(1);
  });

  it('when an admin imports the council registry, then the 194 councils exist once, Zanzibar out of scope, and a second import adds nothing', async () => {
    const { agent } = await signedIn('admin');
    const rs = await createInstitution({ code: 'RS-900', type: 'regional_secretariat', region: 'Kigoma' });
    await createInstitution({ code: 'LGA-711', type: 'lga', region: 'Kigoma', name: { sw: 'Halmashauri ya Manispaa ya Kigoma Ujiji', en: 'Kigoma Ujiji Municipal Council' } });
    const page = await agent.get('/admin/institutions/councils');
    expect(page.status).to.equal(200);
    expect(text(page.text)).to.include('Halmashauri ya Wilaya ya Kondoa');
    const res = await submit(agent, '/admin/institutions/councils', {}, '/admin/institutions/councils');
    expect(res.status).to.equal(302);
    const registry = await loadCouncilRegistry();
    expect(registry).to.have.length(194);
    expect(await InstitutionModel.countDocuments({ type: 'lga' })).to.equal(194);
    expect(await InstitutionModel.findOne({ code: 'LGA-711' }).lean()).to.include({ councilType: 'municipal' });
    expect(await InstitutionModel.countDocuments({ type: 'lga', inScope: false })).to.equal(11);
    const kasulu = await InstitutionModel.findOne({ code: 'TC-KASULU' }).lean();
    expect(String(kasulu?.parent)).to.equal(String(rs._id));
    expect(await AuditEntryModel.countDocuments({ action: 'institution.importCouncils' })).to.equal(1);
    await submit(agent, '/admin/institutions/councils', {}, '/admin/institutions/councils');
    expect(await InstitutionModel.countDocuments({ type: 'lga' })).to.equal(194);
    expect(await AuditEntryModel.countDocuments({ action: 'institution.importCouncils' })).to.equal(1);
  });

  it('when a reviewer posts the council import, then it is forbidden and nothing is written', async () => {
    const { agent } = await signedIn('reviewer');
    const res = await submit(agent, '/admin/institutions/councils', {}, '/admin/institutions/councils');
    expect(res.status).to.equal(403);
    expect(await InstitutionModel.countDocuments()).to.equal(0);
  });
});
