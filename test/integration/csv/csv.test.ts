import { expect } from 'chai';
import request from 'supertest';
import mongoose from 'mongoose';
import { AuditEntryModel } from '../../../src/features/audit/audit.model.js';
import { UserModel } from '../../../src/features/accounts/user.model.js';
import { InstitutionModel } from '../../../src/features/institutions/institution.model.js';
import { MeetingModel } from '../../../src/features/meetings/meeting.model.js';
import { ResolutionModel } from '../../../src/features/resolutions/resolution.model.js';
import { seedReferenceData } from '../../../src/seed/reference.seed.js';
import { buildTestApp } from '../../helpers/app.js';
import { createInstitution, createMeeting } from '../../helpers/fixtures.js';
import type { Agent } from '../../helpers/http.js';
import { signedIn, text, tokenFrom } from '../institutions/admin.helpers.js';

const INSTITUTIONS_CSV = [
  'code,name_sw,name_en,acronym,type,region,parent_code,active',
  'MIN-101,Wizara ya Fedha,Ministry of Finance,MoF,ministry,Dodoma,,true',
  'AGY-101,Mamlaka ya Mapato Tanzania,Tanzania Revenue Authority,TRA,executive_agency,Dar es Salaam,MIN-101,true',
  'LGA-101,"Halmashauri ya Jiji la Arusha, Kaskazini",Arusha City Council,ACC,lga,Arusha,,false',
].join('\n');

async function upload(agent: Agent, url: string, csv: string, mode: 'dryRun' | 'import', lang?: 'sw' | 'en') {
  const token = await tokenFrom(agent, url);
  const query = lang ? `?lang=${lang}` : '';
  return agent.post(url + query).field('_csrf', token).field('mode', mode).attach('file', Buffer.from(csv, 'utf8'), { filename: 'data.csv', contentType: 'text/csv' });
}

/** Institutions as comparable plain rows (parent as code). */
async function institutionRows() {
  const docs = await InstitutionModel.find().sort({ code: 1 }).lean();
  const code = new Map(docs.map((d) => [String(d._id), d.code]));
  return docs.map((d) => ({ code: d.code, name: d.name, acronym: d.acronym, type: d.type, region: d.region, parent: d.parent ? code.get(String(d.parent)) : null, active: d.active }));
}

async function resolutionRows() {
  const meetings = new Map((await MeetingModel.find().lean()).map((m) => [String(m._id), m.number]));
  const docs = await ResolutionModel.find().lean();
  const ref = new Map(docs.map((d) => [String(d._id), `${meetings.get(String(d.meeting))}/${d.number}`]));
  return docs
    .map((d) => ({
      ref: ref.get(String(d._id)),
      title: d.title,
      text: d.text,
      category: d.category,
      dueDate: d.dueDate.toISOString(),
      weight: d.weight,
      appliesTo: d.appliesTo,
      active: d.active,
      carriedOverFrom: d.carriedOverFrom ? ref.get(String(d.carriedOverFrom)) : null,
      sampleWording: d.sampleWording,
    }))
    .sort((a, b) => String(a.ref).localeCompare(String(b.ref)));
}

describe('CSV import and export', () => {
  describe('institutions', () => {
    it('when an admin uploads a good file as a dry run, then every row is reported valid and nothing is written', async () => {
      const { agent } = await signedIn('admin');
      const res = await upload(agent, '/admin/institutions/import', INSTITUTIONS_CSV, 'dryRun');
      expect(res.status).to.equal(200);
      const page = text(res.text);
      expect(page).to.include('Safu zote 3 ni sahihi. Bado hakuna kilichoandikwa.');
      expect(page).to.include('MIN-101');
      expect(res.text).to.include('name="mode" value="import"');
      expect(await InstitutionModel.countDocuments()).to.equal(0);
    });

    it('when the good file is imported, then all rows are written with parents resolved, and the import is audited', async () => {
      const { agent } = await signedIn('admin');
      const res = await upload(agent, '/admin/institutions/import', INSTITUTIONS_CSV, 'import');
      expect(res.status).to.equal(200);
      expect(text(res.text)).to.include('Safu 3 zimeingizwa.');
      const rows = await institutionRows();
      expect(rows.map((r) => r.code)).to.deep.equal(['AGY-101', 'LGA-101', 'MIN-101']);
      expect(rows[0]?.parent).to.equal('MIN-101');
      expect(rows[1]?.name.sw).to.equal('Halmashauri ya Jiji la Arusha, Kaskazini');
      expect(rows[1]?.active).to.equal(false);
      const searchable = await InstitutionModel.findOne({ code: 'AGY-101' }).lean();
      expect(searchable?.searchText).to.include('tanzania revenue authority');
      expect(await AuditEntryModel.countDocuments({ action: 'institution.import' })).to.equal(1);
    });

    it('when the dry-run page submits its hidden copy of the file, then the rows are imported', async () => {
      const { agent } = await signedIn('admin');
      const dry = await upload(agent, '/admin/institutions/import', INSTITUTIONS_CSV, 'dryRun');
      const action = /action="(\/admin\/institutions\/import)"[^>]*>\s*<input type="hidden" name="_csrf" value="([^"]+)">\s*<input type="hidden" name="mode" value="import">/.exec(dry.text);
      expect(action, 'commit form').to.not.equal(null);
      const hidden = /<textarea id="csv-text" name="csv" hidden>([\s\S]*?)<\/textarea>/.exec(dry.text)?.[1] ?? '';
      const res = await agent.post(text(action?.[1] ?? '')).field('_csrf', text(action?.[2] ?? '')).field('mode', 'import').field('csv', text(hidden));
      expect(res.status).to.equal(200);
      expect(await InstitutionModel.countDocuments()).to.equal(3);
    });

    it('when one row is bad, then import writes nothing and the report names the row and problem in Kiswahili', async () => {
      const { agent } = await signedIn('admin');
      await createInstitution({ code: 'MIN-900' });
      const csv = [
        INSTITUTIONS_CSV,
        'MIN-900,Wizara Iliyopo,Existing,EX,ministry,Dodoma,,true',
        'AGY-102,Wakala,Agency,AG,castle,Atlantis,NOPE-1,maybe',
        'MIN-101,Nakala,Duplicate,DU,ministry,Dodoma,,true',
      ].join('\n');
      const res = await upload(agent, '/admin/institutions/import', csv, 'import');
      expect(res.status).to.equal(400);
      const page = text(res.text);
      expect(page).to.include('Safu 3 kati ya 6 zina makosa.');
      expect(page).to.include('Hakuna kilichoandikwa.');
      expect(page).to.include('code: Taasisi nyingine tayari ina msimbo huu.');
      expect(page).to.include('type: Chagua mojawapo ya machaguo yaliyotolewa.');
      expect(page).to.include('region: Chagua mojawapo ya machaguo yaliyotolewa.');
      expect(page).to.include('active: Tumia true au false (ndiyo au hapana).');
      expect(page).to.include('code: Thamani hiyohiyo tayari ipo kwenye mstari 2.');
      expect(await InstitutionModel.countDocuments()).to.equal(1);
      expect(await AuditEntryModel.countDocuments({ action: 'institution.import' })).to.equal(0);
    });

    it('when the report is asked for in English, then messages are in English', async () => {
      const { agent } = await signedIn('admin');
      const csv = 'code,name_sw,type,region,parent_code\nMIN-1,Wizara,ministry,Dodoma,GHOST-1';
      const res = await upload(agent, '/admin/institutions/import', csv, 'dryRun', 'en');
      expect(res.status).to.equal(200);
      expect(text(res.text)).to.include('parent_code: "GHOST-1" does not exist.');
    });

    it('when the header has unknown or missing columns, or the file is empty, then the file is rejected with 400', async () => {
      const { agent } = await signedIn('admin');
      const unknown = await upload(agent, '/admin/institutions/import', 'code,jina,type\nX-1,a,ministry', 'dryRun');
      expect(unknown.status).to.equal(400);
      const page = text(unknown.text);
      expect(page).to.include('Safuwima zisizojulikana: jina.');
      expect(page).to.include('Safuwima zinazokosekana: name_sw, region.');
      const empty = await upload(agent, '/admin/institutions/import', '', 'import');
      expect(empty.status).to.equal(400);
      expect(text(empty.text)).to.include('Faili ni tupu.');
      const broken = await upload(agent, '/admin/institutions/import', 'code,name_sw,type,region\n"MIN-1,Wizara,ministry,Dodoma', 'dryRun');
      expect(broken.status).to.equal(400);
    });

    it('when parents in the file form a loop, then those rows are rejected', async () => {
      const { agent } = await signedIn('admin');
      const csv = 'code,name_sw,type,region,parent_code\nA-1,A,ministry,Dodoma,B-1\nB-1,B,ministry,Dodoma,A-1\nC-1,C,ministry,Dodoma,C-1';
      const res = await upload(agent, '/admin/institutions/import', csv, 'import', 'en');
      expect(res.status).to.equal(400);
      const page = text(res.text);
      expect(page).to.include('parent_code: This parent would place the institution under itself.');
      expect(page).to.include('parent_code: An institution cannot be its own parent.');
      expect(await InstitutionModel.countDocuments()).to.equal(0);
    });

    it('when 1,000 rows are imported, then all are written', async () => {
      const { agent } = await signedIn('admin');
      const lines = ['code,name_sw,name_en,acronym,type,region,parent_code,active'];
      for (let i = 1; i <= 1000; i += 1) lines.push(`LGA-${String(i).padStart(4, '0')},Halmashauri ${i},Council ${i},H${i},lga,Mwanza,${i > 1 ? 'LGA-0001' : ''},true`);
      const res = await upload(agent, '/admin/institutions/import', lines.join('\n'), 'import');
      expect(res.status).to.equal(200);
      expect(await InstitutionModel.countDocuments()).to.equal(1000);
    });
  });

  describe('round trip', () => {
    it('when institutions and resolutions are exported and imported into an empty database, then the data is the same', async () => {
      await seedReferenceData({ now: new Date('2026-01-10T00:00:00Z') });
      const { agent } = await signedIn('admin');
      const institutionsBefore = await institutionRows();
      const resolutionsBefore = await resolutionRows();
      const instCsv = await agent.get('/admin/institutions/export.csv');
      expect(instCsv.status).to.equal(200);
      expect(instCsv.headers['content-type']).to.include('text/csv');
      expect(instCsv.headers['content-disposition']).to.match(/attachment; filename="institutions-\d{4}-\d{2}-\d{2}\.csv"/);
      const resCsv = await agent.get('/admin/resolutions/export.csv');
      expect(resCsv.text.split('\n')[0]).to.include('meeting_number,number,title_sw');

      await InstitutionModel.deleteMany({});
      await ResolutionModel.deleteMany({});
      const a = await upload(agent, '/admin/institutions/import', instCsv.text, 'import');
      expect(a.status, text(a.text).slice(0, 300)).to.equal(200);
      const b = await upload(agent, '/admin/resolutions/import', resCsv.text, 'import');
      expect(b.status).to.equal(200);

      expect(await institutionRows()).to.deep.equal(institutionsBefore);
      expect(await resolutionRows()).to.deep.equal(resolutionsBefore);
      expect(institutionsBefore.length).to.be.greaterThanOrEqual(60);
      expect(resolutionsBefore.filter((r) => r.carriedOverFrom).length).to.equal(1);
    });
  });

  describe('resolutions', () => {
    it('when a row names an unknown meeting or a used number, then nothing is written', async () => {
      const { agent } = await signedIn('admin');
      await createMeeting({ number: 4 });
      const csv = [
        'meeting_number,number,title_sw,text_sw,category,due_date,weight,applies_to',
        '4,1,Azimio la kwanza,Maandishi,cybersecurity,2025-06-30,1,',
        '9,1,Kikao kisichokuwepo,Maandishi,cybersecurity,2025-06-30,1,',
        '4,1,Namba imerudiwa,Maandishi,cybersecurity,2025-02-30,0,lga;castle',
      ].join('\n');
      const res = await upload(agent, '/admin/resolutions/import', csv, 'import', 'en');
      expect(res.status).to.equal(400);
      const page = text(res.text);
      expect(page).to.include('meeting_number: "9" does not exist.');
      expect(page).to.include('due_date: Enter a real date as dd/mm/yyyy (04/02/2025) or YYYY-MM-DD (2025-02-04).');
      expect(page).to.include('weight: The number must be greater than zero.');
      expect(page).to.include('applies_to: Choose one of the options offered.');
      expect(await ResolutionModel.countDocuments()).to.equal(0);
    });

    it('when applies_to is empty, then the resolution applies to every type', async () => {
      const { agent } = await signedIn('admin');
      await createMeeting({ number: 4 });
      const csv = 'meeting_number,number,title_sw,text_sw,category,due_date\n4,1,Azimio,Maandishi,other,2025-06-30';
      const res = await upload(agent, '/admin/resolutions/import', csv, 'import');
      expect(res.status).to.equal(200);
      const r = await ResolutionModel.findOne().lean();
      expect(r?.appliesTo).to.have.length(7);
      expect(r?.weight).to.equal(1);
      expect(r?.active).to.equal(true);
    });
  });

  describe('users', () => {
    it('when a users file is dry-run and then imported, then users are created with set-password links listed and emailed', async () => {
      const { agent, outbox } = await signedIn('admin');
      const inst = await createInstitution({ code: 'MIN-555' });
      const csv = [
        'email,name,role,institution_code,title,phone,language',
        'mratibu@fedha.go.tz,Neema Mushi,institution,MIN-555,Mratibu,0712000000,sw',
        'mhakiki@ega.go.tz,Juma Ally,reviewer,,,,en',
      ].join('\n');
      const dry = await upload(agent, '/admin/users/import', csv, 'dryRun');
      expect(dry.status).to.equal(200);
      expect(await UserModel.countDocuments({ email: /^(mratibu@fedha|mhakiki@ega)\.go\.tz$/ })).to.equal(0);
      const res = await upload(agent, '/admin/users/import', csv, 'import');
      expect(res.status).to.equal(200);
      const page = text(res.text);
      expect(page).to.include('Safu 2 zimeingizwa.');
      expect(page).to.match(/\/set-password\/[A-Za-z0-9_-]{20,}/);
      const neema = await UserModel.findOne({ email: 'mratibu@fedha.go.tz' }).lean();
      expect(String(neema?.institution)).to.equal(String(inst._id));
      expect(neema?.role).to.equal('institution');
      expect(neema?.setPasswordTokenHash).to.be.a('string');
      expect(outbox.map((m) => m.to)).to.include.members(['mratibu@fedha.go.tz', 'mhakiki@ega.go.tz']);
    });

    it('when a user row is invalid or duplicated, then no user is created', async () => {
      const { agent } = await signedIn('admin');
      const before = await UserModel.countDocuments();
      const csv = [
        'email,name,role,institution_code',
        'a@ega.go.tz,A,reviewer,',
        'a@ega.go.tz,A again,reviewer,',
        'b@ega.go.tz,B,institution,',
        'c@ega.go.tz,C,institution,NOPE-9',
        'not-an-email,D,king,',
      ].join('\n');
      const res = await upload(agent, '/admin/users/import', csv, 'import');
      expect(res.status).to.equal(400);
      expect(text(res.text)).to.include('Safu 4 kati ya 5 zina makosa.');
      expect(await UserModel.countDocuments()).to.equal(before);
    });

    it('when users are exported, then the file has one row per user without secrets', async () => {
      const { agent } = await signedIn('admin');
      const res = await agent.get('/admin/users/export.csv');
      expect(res.status).to.equal(200);
      expect(res.text.split('\n')[0]).to.include('email,name,role,institution_code,title,phone,language');
      expect(res.text).not.to.match(/passwordHash|scrypt/);
    });
  });

  describe('access', () => {
    it('when a reviewer uses CSV, then exports of institutions/resolutions work but imports and user export are refused', async () => {
      const { agent } = await signedIn('reviewer');
      expect((await agent.get('/admin/institutions/export.csv')).status).to.equal(200);
      expect((await agent.get('/admin/resolutions/export.csv')).status).to.equal(200);
      expect((await agent.get('/admin/users/export.csv')).status).to.equal(403);
      expect((await agent.get('/admin/institutions/import')).status).to.equal(403);
      const token = await tokenFrom(agent, '/admin/institutions');
      const res = await agent.post('/admin/institutions/import').field('_csrf', token).field('mode', 'import').attach('file', Buffer.from(INSTITUTIONS_CSV), 'x.csv');
      expect(res.status).to.equal(403);
      expect(await InstitutionModel.countDocuments()).to.equal(0);
    });

    it('when an institution user or anonymous visitor asks, then access is refused', async () => {
      const { agent } = await signedIn('institution');
      expect((await agent.get('/admin/institutions/export.csv')).status).to.equal(403);
      const anon = await request(buildTestApp().app).get('/admin/resolutions/export.csv');
      expect(anon.status).to.equal(302);
    });

    it('when the CSRF token is missing, then the upload is refused and nothing is written', async () => {
      const { agent } = await signedIn('admin');
      const res = await agent.post('/admin/institutions/import').field('mode', 'import').attach('file', Buffer.from(INSTITUTIONS_CSV), 'x.csv');
      expect(res.status).to.equal(403);
      expect(await InstitutionModel.countDocuments()).to.equal(0);
      expect(mongoose.connection.readyState).to.equal(1);
    });
  });
});

describe('CSV all-or-nothing write against the database', () => {
  it('when insertMany hits a duplicate part-way, then the rows this import wrote are removed again', async () => {
    const { insertAllOrNothing, CsvCommitError } = await import('../../../src/features/csv/csv.engine.js');
    const { Types } = await import('mongoose');
    await createInstitution({ code: 'DUP-001' });
    const doc = (code: string) => ({ _id: new Types.ObjectId(), code, name: { sw: code, en: '' }, type: 'ministry', region: 'Dodoma', active: true });
    let caught: unknown;
    try {
      await insertAllOrNothing(InstitutionModel, [doc('NEW-001'), doc('NEW-002'), doc('DUP-001'), doc('NEW-003')]);
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(CsvCommitError);
    expect((caught as InstanceType<typeof CsvCommitError>).rolledBack).to.equal(true);
    expect((await InstitutionModel.find().lean()).map((d) => d.code)).to.deep.equal(['DUP-001']);
  });
});
