import { expect } from 'chai';
import { ProgressItemModel, ProgressReportModel } from '../../../src/features/progress/progress.model.js';
import { WindowExtensionModel } from '../../../src/features/progress/window-extension.model.js';
import { AuditEntryModel } from '../../../src/features/audit/audit.model.js';
import { buildScenario, DAY, itemOf, signIn, submitReport, tokenOf, type Scenario } from './scenario.js';

function csvUpload(agent: Awaited<ReturnType<typeof signIn>>, token: string, csv: string) {
  return agent.post(`/progress/import`).field('_csrf', token).attach('file', Buffer.from(csv, 'utf8'), 'maendeleo.csv');
}

/** Minimal CSV parser for the tests (the export quotes fields with commas/quotes/newlines). */
function parseCsvText(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (c !== '\r') field += c;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const toCsv = (rows: string[][]) => rows.map((r) => r.map((f) => (/[",\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',')).join('\n') + '\n';

describe('progress: reporting window, bulk update and CSV round trip', () => {
  describe('reporting window', () => {
    it('when the window has closed, then a submit is refused with 403 and an admin extension for that institution reopens it', async () => {
      const s: Scenario = await buildScenario();
      await s.meeting.updateOne({ reportingCloses: new Date(Date.now() - DAY) });
      const agent = await signIn(s.app, s.userA);
      const item = await itemOf(agent, s.instA, s.r1);
      const page = await agent.get(`/progress/items/${item._id}`);
      expect(page.text).to.include('Huwezi kuwasilisha kwa sasa');
      const token = await tokenOf(agent, '/progress');
      const refused = await agent
        .post(`/progress/items/${item._id}/reports`).field('_csrf', token)
        .field('revision', '0')
        .field('status', 'in_progress')
        .field('percent', '10');
      expect(refused.status).to.equal(403);
      expect(refused.text).to.include('kimefungwa');
      expect(await ProgressReportModel.countDocuments()).to.equal(0);

      // A reviewer may not extend; an admin may.
      const reviewer = await signIn(s.app, s.reviewer);
      const rTok = await tokenOf(reviewer, '/review');
      const until = new Date(Date.now() + 5 * DAY).toISOString().slice(0, 10);
      const form = { meeting: String(s.meeting._id), institution: String(s.instA._id), until, reason: 'Mfumo ulikuwa chini' };
      expect((await reviewer.post('/review/extensions').type('form').send({ ...form, _csrf: rTok })).status).to.equal(403);
      const admin = await signIn(s.app, s.admin);
      const aTok = await tokenOf(admin, '/review/extensions');
      const ext = await admin.post('/review/extensions').type('form').send({ ...form, _csrf: aTok });
      expect(ext.status).to.equal(302);
      expect(await WindowExtensionModel.countDocuments({ institution: s.instA._id })).to.equal(1);
      expect(await AuditEntryModel.countDocuments({ action: 'progress.window_extend' })).to.equal(1);

      const ok = await submitReport(agent, String(item._id), { revision: 0, status: 'in_progress', percent: 10, narrative: 'Tumeanza' });
      expect(ok.status).to.equal(302);
      // Institution B has no extension: still closed.
      const b = await signIn(s.app, s.userB);
      const itemB = await itemOf(b, s.instB, s.r1);
      const bTok = await tokenOf(b, '/progress');
      const bRes = await b.post(`/progress/items/${itemB._id}/reports`).field('_csrf', bTok).field('revision', '0').field('status', 'in_progress').field('percent', '10');
      expect(bRes.status).to.equal(403);
    });

    it('when the window has not opened yet, then a submit is refused', async () => {
      const s = await buildScenario();
      await s.meeting.updateOne({ reportingOpens: new Date(Date.now() + DAY) });
      const agent = await signIn(s.app, s.userA);
      const item = await itemOf(agent, s.instA, s.r1);
      const token = await tokenOf(agent, '/progress');
      const res = await agent.post(`/progress/items/${item._id}/reports`).field('_csrf', token).field('revision', '0').field('status', 'in_progress').field('percent', '10');
      expect(res.status).to.equal(403);
      expect(res.text).to.include('bado hakijafunguliwa');
    });

    it('when an extension date is not after the meeting close, then it is refused with a message', async () => {
      const s = await buildScenario();
      const admin = await signIn(s.app, s.admin);
      const token = await tokenOf(admin, '/review/extensions');
      const res = await admin.post('/review/extensions').type('form').send({
        _csrf: token,
        meeting: String(s.meeting._id),
        institution: String(s.instA._id),
        until: new Date(Date.now()).toISOString().slice(0, 10),
        reason: 'x',
      });
      expect(res.status).to.equal(400);
      expect(res.text).to.include('baada ya tarehe ya kufunga');
      expect(await WindowExtensionModel.countDocuments()).to.equal(0);
    });
  });

  describe('bulk form', () => {
    it('when several rows are changed in one form, then each gets a new version; a bad row means nothing is written', async () => {
      const s = await buildScenario();
      const agent = await signIn(s.app, s.userA);
      const i1 = await itemOf(agent, s.instA, s.r1);
      const i2 = await ProgressItemModel.findOne({ institution: s.instA._id, resolution: s.r2._id }).lean();
      const token = await tokenOf(agent, '/progress/bulk');
      const base = { _csrf: token, item: [String(i1._id), String(i2!._id)], [`revision_${i1._id}`]: '0', [`revision_${i2!._id}`]: '0' };
      const bad = await agent.post('/progress/bulk').type('form').send({
        ...base,
        [`status_${i1._id}`]: 'in_progress',
        [`percent_${i1._id}`]: '45',
        [`narrative_${i1._id}`]: 'Nusu imefanyika',
        [`status_${i2!._id}`]: 'completed',
        [`percent_${i2!._id}`]: '100',
        [`narrative_${i2!._id}`]: 'Hakuna ushahidi',
      });
      expect(bad.status).to.equal(400);
      expect(bad.text).to.include('angalau ushahidi mmoja');
      // What the user typed is shown again.
      expect(bad.text).to.include('Nusu imefanyika');
      expect(await ProgressReportModel.countDocuments()).to.equal(0);

      const good = await agent.post('/progress/bulk').type('form').send({
        ...base,
        [`status_${i1._id}`]: 'in_progress',
        [`percent_${i1._id}`]: '45',
        [`narrative_${i1._id}`]: 'Nusu imefanyika',
        [`status_${i2!._id}`]: 'not_started',
        [`percent_${i2!._id}`]: '0',
        [`narrative_${i2!._id}`]: 'Bajeti inasubiriwa',
      });
      expect(good.status).to.equal(302);
      expect(await ProgressReportModel.countDocuments({ kind: 'claim' })).to.equal(2);
      expect((await ProgressItemModel.findById(i1._id).lean())!.claimed).to.include({ status: 'in_progress', percent: 45 });
      expect(await AuditEntryModel.countDocuments({ action: 'progress.claim_bulk' })).to.equal(2);
    });
  });

  describe('CSV round trip', () => {
    it('when the exported CSV is edited and uploaded back, then changed rows get new versions and unchanged rows none', async () => {
      const s = await buildScenario();
      const agent = await signIn(s.app, s.userA);
      const i1 = await itemOf(agent, s.instA, s.r1);
      await submitReport(agent, String(i1._id), { revision: 0, status: 'in_progress', percent: 20, narrative: 'Mwanzo, "hatua ya kwanza"' });
      const exported = await agent.get('/progress/export.csv');
      expect(exported.status).to.equal(200);
      expect(exported.headers['content-type']).to.match(/^text\/csv/);
      expect(exported.headers['content-disposition']).to.match(/attachment/);
      const rows = parseCsvText(exported.text);
      const header = rows[0];
      expect(header).to.include.members(['item_id', 'revision', 'status', 'percent', 'narrative', 'links']);
      expect(rows).to.have.length(3);
      const col = (name: string) => header.indexOf(name);
      const r2row = rows.slice(1).find((r) => r[col('item_id')] !== String(i1._id))!;
      r2row[col('status')] = 'completed';
      r2row[col('percent')] = '100';
      r2row[col('narrative')] = 'Imekamilika, tazama kiungo';
      r2row[col('links')] = 'https://example.go.tz/a https://example.go.tz/b';
      const token = await tokenOf(agent, '/progress/import');
      const res = await csvUpload(agent, token, toCsv(rows));
      expect(res.status).to.equal(200);
      expect(res.text).to.include('Safu 1 zimehifadhiwa');
      const reports = await ProgressReportModel.find({ kind: 'claim' }).sort({ at: 1 }).lean();
      expect(reports).to.have.length(2);
      expect(reports[1]).to.include({ status: 'completed', percent: 100, narrative: 'Imekamilika, tazama kiungo' });
      expect(reports[1].evidence.map((e) => e.url)).to.deep.equal(['https://example.go.tz/a', 'https://example.go.tz/b']);
      // The quoted narrative survived the round trip: row 1 was unchanged, so no version 2.
      expect((await ProgressItemModel.findById(i1._id).lean())!.lastVersion).to.equal(1);
    });

    it('when one row of the CSV is bad, then nothing is written and the report names the row', async () => {
      const s = await buildScenario();
      const agent = await signIn(s.app, s.userA);
      await itemOf(agent, s.instA, s.r1);
      const rows = parseCsvText((await agent.get('/progress/export.csv')).text);
      const header = rows[0];
      const col = (name: string) => header.indexOf(name);
      rows[1][col('status')] = 'in_progress';
      rows[1][col('percent')] = '50';
      rows[2][col('status')] = 'imekwisha';
      rows[2][col('percent')] = '100';
      const token = await tokenOf(agent, '/progress/import');
      const res = await csvUpload(agent, token, toCsv(rows));
      expect(res.status).to.equal(400);
      expect(res.text).to.include('Hakuna kilichohifadhiwa');
      expect(res.text).to.include('imekwisha');
      expect(res.text).to.include('Itahifadhiwa');
      expect(await ProgressReportModel.countDocuments()).to.equal(0);
    });

    it('when the CSV names a row of another institution or a stale revision, then nothing is written', async () => {
      const s = await buildScenario();
      const a = await signIn(s.app, s.userA);
      const b = await signIn(s.app, s.userB);
      const itemB = await itemOf(b, s.instB, s.r1);
      const itemA = await itemOf(a, s.instA, s.r1);
      const csv = `item_id,revision,status,percent,narrative\n${itemB._id},0,in_progress,50,Udukuzi\n`;
      const token = await tokenOf(a, '/progress/import');
      const res = await csvUpload(a, token, csv);
      expect(res.status).to.equal(400);
      expect(res.text).to.include('si ya taasisi yenu');
      await submitReport(a, String(itemA._id), { revision: 0, status: 'in_progress', percent: 10 });
      const stale = await csvUpload(a, token, `item_id,revision,status,percent,narrative\n${itemA._id},0,in_progress,50,Zamani\n`);
      expect(stale.status).to.equal(400);
      expect(stale.text).to.include('imebadilika tangu');
      expect(await ProgressReportModel.countDocuments({ item: itemB._id })).to.equal(0);
      expect(await ProgressReportModel.countDocuments({ item: itemA._id })).to.equal(1);
    });

    it('when the upload is not a CSV with the right columns, then it is refused', async () => {
      const s = await buildScenario();
      const agent = await signIn(s.app, s.userA);
      const token = await tokenOf(agent, '/progress/import');
      const res = await csvUpload(agent, token, 'a,b\n1,2\n');
      expect(res.status).to.equal(400);
      expect(res.text).to.include('item_id');
      const none = await agent.post(`/progress/import`).field('_csrf', token).field('x', '1');
      expect(none.status).to.equal(400);
    });
  });
});
