import { expect } from 'chai';
import request from 'supertest';
import mongoose from 'mongoose';
import { ProgressItemModel, ProgressReportModel } from '../../../src/features/progress/progress.model.js';
import { AuditEntryModel } from '../../../src/features/audit/audit.model.js';
import { InstitutionModel } from '../../../src/features/institutions/institution.model.js';
import { buildScenario, itemOf, pdfBytes, PNG_BYTES, signIn, submitReport, tokenOf, type Scenario } from './scenario.js';

async function gridFsCount(): Promise<number> {
  return mongoose.connection.db!.collection('evidence.files').countDocuments();
}

describe('progress reporting (institution)', () => {
  let s: Scenario;
  beforeEach(async () => {
    s = await buildScenario();
  });

  describe('access', () => {
    it('when anonymous, then the dashboard, a row and an evidence file redirect to /login', async () => {
      const res = await request(s.app).get('/progress');
      expect(res.status).to.equal(302);
      expect(res.headers.location).to.equal('/login?next=%2Fprogress');
      const ev = await request(s.app).get('/evidence/0123456789abcdef01234567');
      expect(ev.status).to.equal(302);
      expect(ev.headers.location).to.match(/^\/login/);
    });

    it('when a reviewer opens /progress, then they are sent to the review queue', async () => {
      const agent = await signIn(s.app, s.reviewer);
      const res = await agent.get('/progress');
      expect(res.status).to.equal(302);
      expect(res.headers.location).to.equal('/review');
    });

    it('when an institution user opens the dashboard, then every applicable row is listed with its owner and what is missing', async () => {
      // An institution that has been in Maazimio for a year: the resolution due two days ago is overdue.
      await InstitutionModel.collection.updateOne({ _id: s.instA._id }, { $set: { createdAt: new Date(s.deps.now().getTime() - 365 * 86_400_000) } });
      const agent = await signIn(s.app, s.userA);
      const res = await agent.get('/progress');
      expect(res.status).to.equal(200);
      expect(res.text).to.include('Azimio la majaribio');
      expect(res.text).to.include('row-overdue');
      expect(res.text).to.include('badge-no_report');
      const items = await ProgressItemModel.find({ institution: s.instA._id }).lean();
      expect(items).to.have.length(2);
      expect(items.every((i) => String(i.owner) === String(s.userA.user._id))).to.equal(true);
      expect(await ProgressItemModel.countDocuments({ institution: s.instB._id })).to.equal(0);
      // A second view creates nothing new.
      await agent.get('/progress');
      expect(await ProgressItemModel.countDocuments()).to.equal(2);
    });

    it('when an institution was added after a due date, then its rows are not overdue and the dashboard shows the later due date, titles linking to the items', async () => {
      const agent = await signIn(s.app, s.userA);
      const res = await agent.get('/progress');
      expect(res.status).to.equal(200);
      expect(res.text).not.to.include('row-overdue');
      expect(res.text).not.to.include('Muda umepita');
      const items = await ProgressItemModel.find({ institution: s.instA._id }).lean();
      for (const item of items) expect(res.text).to.include(`<a href="/progress/items/${String(item._id)}" class="row-title">`);
      expect(await InstitutionModel.countDocuments({ _id: s.instA._id })).to.equal(1);
    });

    it('when a resolution does not apply to the institution type, then it is not on the dashboard', async () => {
      await s.r2.updateOne({ appliesTo: ['lga'] });
      const agent = await signIn(s.app, s.userA);
      await agent.get('/progress');
      expect(await ProgressItemModel.countDocuments({ institution: s.instA._id })).to.equal(1);
    });

    it('when institution B reads or writes a row of institution A, then it gets 404 and nothing is written', async () => {
      const a = await signIn(s.app, s.userA);
      const item = await itemOf(a, s.instA, s.r1);
      const b = await signIn(s.app, s.userB);
      expect((await b.get(`/progress/items/${item._id}`)).status).to.equal(404);
      expect((await b.get(`/progress/items/${item._id}/history`)).status).to.equal(404);
      const token = await tokenOf(b, '/progress');
      const res = await b
        .post(`/progress/items/${item._id}/reports`).field('_csrf', token)
        .field('revision', '0')
        .field('status', 'in_progress')
        .field('percent', '50');
      expect(res.status).to.equal(404);
      const own = await b.post(`/progress/items/${item._id}/owner`).type('form').send({ _csrf: token, owner: String(s.userB.user._id) });
      expect(own.status).to.equal(404);
      expect(await ProgressReportModel.countDocuments()).to.equal(0);
      const after = await ProgressItemModel.findById(item._id).lean();
      expect(after!.revision).to.equal(0);
      expect(String(after!.owner)).to.equal(String(s.userA.user._id));
    });

    it('when a reviewer posts a claim, then it is refused with 403', async () => {
      const a = await signIn(s.app, s.userA);
      const item = await itemOf(a, s.instA, s.r1);
      const r = await signIn(s.app, s.reviewer);
      const token = await tokenOf(r, '/review');
      const res = await r.post(`/progress/items/${item._id}/reports`).field('_csrf', token).field('revision', '0').field('status', 'in_progress').field('percent', '5');
      expect(res.status).to.equal(403);
      expect(await ProgressReportModel.countDocuments()).to.equal(0);
    });
  });

  describe('submitting a report', () => {
    it('when a valid in_progress claim with a PDF is submitted, then version 1 is stored with the file in GridFS and audited', async () => {
      const agent = await signIn(s.app, s.userA);
      const item = await itemOf(agent, s.instA, s.r1);
      const res = await submitReport(
        agent,
        String(item._id),
        { revision: 0, status: 'in_progress', percent: 60, narrative: 'Sera imeandaliwa', links: 'https://example.go.tz/sera' },
        [{ name: 'ripoti.pdf', data: pdfBytes() }],
      );
      expect(res.status).to.equal(302);
      expect(res.headers.location).to.equal(`/progress/items/${item._id}`);
      const reports = await ProgressReportModel.find({ item: item._id }).lean();
      expect(reports).to.have.length(1);
      expect(reports[0]).to.include({ version: 1, kind: 'claim', status: 'in_progress', percent: 60, narrative: 'Sera imeandaliwa' });
      expect(reports[0].evidence.map((e) => e.kind)).to.deep.equal(['file', 'link']);
      expect(reports[0].evidence[0]).to.include({ filename: 'ripoti.pdf', contentType: 'application/pdf' });
      const updated = await ProgressItemModel.findById(item._id).lean();
      expect(updated).to.include({ state: 'submitted', revision: 1, lastVersion: 1, claimedEvidence: 2, pending: null });
      expect(updated!.claimed).to.include({ status: 'in_progress', percent: 60, version: 1 });
      expect(await gridFsCount()).to.equal(1);
      expect(await AuditEntryModel.countDocuments({ action: 'progress.claim', entityId: String(item._id) })).to.equal(1);

      const page = await agent.get(`/progress/items/${item._id}`);
      expect(page.text).to.include('Sera imeandaliwa');
      expect(page.text).to.include('ripoti.pdf');
    });

    it('when the status and percent disagree, then the form comes back with a message in Kiswahili and nothing is written', async () => {
      const agent = await signIn(s.app, s.userA);
      const item = await itemOf(agent, s.instA, s.r1);
      const res = await submitReport(agent, String(item._id), { revision: 0, status: 'in_progress', percent: 100, narrative: 'x' });
      expect(res.status).to.equal(400);
      expect(res.text).to.include('kati ya 1% na 99%');
      expect(await ProgressReportModel.countDocuments()).to.equal(0);
    });

    it('when completed is claimed without evidence, then it is refused; with a link it is accepted', async () => {
      const agent = await signIn(s.app, s.userA);
      const item = await itemOf(agent, s.instA, s.r1);
      const bad = await submitReport(agent, String(item._id), { revision: 0, status: 'completed', percent: 100, narrative: 'Tumemaliza' });
      expect(bad.status).to.equal(400);
      expect(bad.text).to.include('angalau ushahidi mmoja');
      const good = await submitReport(agent, String(item._id), { revision: 0, status: 'completed', percent: 100, narrative: 'Tumemaliza', links: 'https://example.go.tz/ushahidi' });
      expect(good.status).to.equal(302);
      expect((await ProgressItemModel.findById(item._id).lean())!.claimed).to.include({ status: 'completed', percent: 100 });
    });

    it('when not_applicable has no justification, then it is refused; the English page says so in English', async () => {
      const agent = await signIn(s.app, s.userA);
      const item = await itemOf(agent, s.instA, s.r1);
      await agent.get('/progress?lang=en');
      const res = await submitReport(agent, String(item._id), { revision: 0, status: 'not_applicable', percent: 0, narrative: '' });
      expect(res.status).to.equal(400);
      expect(res.text).to.include('Explain why this resolution does not apply');
      expect(await ProgressReportModel.countDocuments()).to.equal(0);
    });

    it('when a link is not http(s), then it is refused', async () => {
      const agent = await signIn(s.app, s.userA);
      const item = await itemOf(agent, s.instA, s.r1);
      const res = await submitReport(agent, String(item._id), { revision: 0, status: 'in_progress', percent: 10, links: 'javascript:alert(1)' });
      expect(res.status).to.equal(400);
      expect(await ProgressReportModel.countDocuments()).to.equal(0);
    });
  });

  describe('uploads', () => {
    it('when a file is larger than 10 MB, then it is refused with 413 and nothing is stored', async () => {
      const agent = await signIn(s.app, s.userA);
      const item = await itemOf(agent, s.instA, s.r1);
      const big = Buffer.concat([pdfBytes(), Buffer.alloc(10 * 1024 * 1024)]);
      const res = await submitReport(agent, String(item._id), { revision: 0, status: 'in_progress', percent: 20 }, [{ name: 'kubwa.pdf', data: big }]);
      expect(res.status).to.equal(413);
      expect(res.text).to.include('MB 10');
      expect(await ProgressReportModel.countDocuments()).to.equal(0);
      expect(await gridFsCount()).to.equal(0);
    });

    it('when a text file is disguised as a PDF by its name, then it is refused by content', async () => {
      const agent = await signIn(s.app, s.userA);
      const item = await itemOf(agent, s.instA, s.r1);
      const res = await submitReport(agent, String(item._id), { revision: 0, status: 'in_progress', percent: 20 }, [
        { name: 'ripoti.pdf', data: Buffer.from('<html><script>alert(1)</script></html>') },
      ]);
      expect(res.status).to.equal(400);
      expect(res.text).to.include('ripoti.pdf');
      expect(res.text).to.include('maudhui ya faili');
      expect(await ProgressReportModel.countDocuments()).to.equal(0);
      expect(await gridFsCount()).to.equal(0);
    });

    it('when more than 5 files are sent, then the report is refused', async () => {
      const agent = await signIn(s.app, s.userA);
      const item = await itemOf(agent, s.instA, s.r1);
      const files = Array.from({ length: 6 }, (_, i) => ({ name: `p${i}.png`, data: PNG_BYTES }));
      const res = await submitReport(agent, String(item._id), { revision: 0, status: 'in_progress', percent: 20 }, files);
      expect(res.status).to.equal(400);
      expect(res.text).to.include('yasizidi 5');
      expect(await ProgressReportModel.countDocuments()).to.equal(0);
      expect(await gridFsCount()).to.equal(0);
    });

    it('when evidence is opened, then the owner institution and e-GA get it inline with safe headers, others get 404', async () => {
      const agent = await signIn(s.app, s.userA);
      const item = await itemOf(agent, s.instA, s.r1);
      await submitReport(agent, String(item._id), { revision: 0, status: 'in_progress', percent: 30 }, [
        { name: 'picha.png', data: PNG_BYTES },
        { name: 'ripoti.pdf', data: pdfBytes() },
      ]);
      const report = await ProgressReportModel.findOne({ item: item._id }).lean();
      const [png, pdf] = report!.evidence;
      const own = await agent.get(`/evidence/${pdf.fileId}`);
      expect(own.status).to.equal(200);
      expect(own.headers['content-type']).to.equal('application/pdf');
      expect(own.headers['content-disposition']).to.match(/^inline; filename="ripoti.pdf"/);
      expect(own.headers['x-content-type-options']).to.equal('nosniff');
      expect(own.headers['content-security-policy']).to.include('sandbox');
      expect(Buffer.from(own.body as Buffer).subarray(0, 4).toString()).to.equal('%PDF');
      const img = await agent.get(`/evidence/${png.fileId}`);
      expect(img.headers['content-type']).to.equal('image/png');
      const dl = await agent.get(`/evidence/${pdf.fileId}?download=1`);
      expect(dl.headers['content-disposition']).to.match(/^attachment;/);

      const reviewer = await signIn(s.app, s.reviewer);
      expect((await reviewer.get(`/evidence/${pdf.fileId}`)).status).to.equal(200);
      const other = await signIn(s.app, s.userB);
      expect((await other.get(`/evidence/${pdf.fileId}`)).status).to.equal(404);
      expect((await other.get('/evidence/not-an-id')).status).to.be.oneOf([400, 404]);
    });
  });

  describe('concurrency', () => {
    it('when two people submit on the same revision, then the second gets a conflict, sees the newer version, and nothing is lost or duplicated', async () => {
      const a1 = await signIn(s.app, s.userA);
      const a2 = await signIn(s.app, s.userA2);
      const item = await itemOf(a1, s.instA, s.r1);
      const first = await submitReport(a1, String(item._id), { revision: 0, status: 'in_progress', percent: 40, narrative: 'Toleo la Asha' });
      expect(first.status).to.equal(302);
      const second = await submitReport(a2, String(item._id), { revision: 0, status: 'in_progress', percent: 55, narrative: 'Toleo la Baraka' }, [
        { name: 'baraka.pdf', data: pdfBytes('b') },
      ]);
      expect(second.status).to.equal(409);
      expect(second.text).to.include('toleo 1');
      // The loser's text is still in the form, the winner's version is shown next to it.
      expect(second.text).to.include('Toleo la Baraka');
      expect(second.text).to.include('Toleo la Asha');
      const reports = await ProgressReportModel.find({ item: item._id }).lean();
      expect(reports.map((r) => r.version)).to.deep.equal([1]);
      expect(reports[0].narrative).to.equal('Toleo la Asha');
      // The loser's upload was removed again.
      expect(await gridFsCount()).to.equal(0);
      // Resubmitting on the new revision works and becomes version 2.
      const again = await submitReport(a2, String(item._id), { revision: 1, status: 'in_progress', percent: 55, narrative: 'Toleo la Baraka' });
      expect(again.status).to.equal(302);
      expect((await ProgressReportModel.find({ item: item._id }).sort({ version: 1 }).lean()).map((r) => r.version)).to.deep.equal([1, 2]);
    });

    it('when many submits race on the same revision, then exactly one wins', async () => {
      const agents = await Promise.all([signIn(s.app, s.userA), signIn(s.app, s.userA2), signIn(s.app, s.userA)]);
      const item = await itemOf(agents[0], s.instA, s.r1);
      const results = await Promise.all(
        agents.map((a, i) => submitReport(a, String(item._id), { revision: 0, status: 'in_progress', percent: 10 + i })),
      );
      expect(results.filter((r) => r.status === 302)).to.have.length(1);
      expect(results.filter((r) => r.status === 409)).to.have.length(2);
      expect(await ProgressReportModel.countDocuments({ item: item._id })).to.equal(1);
      expect((await ProgressItemModel.findById(item._id).lean())!.lastVersion).to.equal(1);
    });
  });

  describe('history', () => {
    it('when a row has several versions, then the history shows who, when and a readable diff', async () => {
      const agent = await signIn(s.app, s.userA);
      const item = await itemOf(agent, s.instA, s.r1);
      await submitReport(agent, String(item._id), { revision: 0, status: 'in_progress', percent: 30, narrative: 'Rasimu ya sera imeandaliwa' });
      await submitReport(agent, String(item._id), { revision: 1, status: 'in_progress', percent: 70, narrative: 'Sera imeidhinishwa na bodi' });
      const res = await agent.get(`/progress/items/${item._id}/history`);
      expect(res.status).to.equal(200);
      expect(res.text).to.include('Asha Mwinyi');
      expect(res.text).to.match(/<del>[^<]*30%<\/del> → <ins>70%<\/ins>/);
      expect(res.text).to.include('imeidhinishwa');
      expect(res.text).to.match(/<ins><span class="visually-hidden">\[[^\]]+\] <\/span>[^<]*imeidhinishwa/);
      const reviewer = await signIn(s.app, s.reviewer);
      expect((await reviewer.get(`/progress/items/${item._id}/history`)).status).to.equal(200);
    });
  });

  describe('owner', () => {
    it('when an institution user assigns another of its users, then the owner changes without a new version; an outsider is refused', async () => {
      const agent = await signIn(s.app, s.userA);
      const item = await itemOf(agent, s.instA, s.r1);
      const token = await tokenOf(agent, `/progress/items/${item._id}`);
      const res = await agent.post(`/progress/items/${item._id}/owner`).type('form').send({ _csrf: token, owner: String(s.userA2.user._id) });
      expect(res.status).to.equal(302);
      const after = await ProgressItemModel.findById(item._id).lean();
      expect(String(after!.owner)).to.equal(String(s.userA2.user._id));
      expect(after!.revision).to.equal(0);
      expect(await AuditEntryModel.countDocuments({ action: 'progress.owner' })).to.equal(1);
      const bad = await agent.post(`/progress/items/${item._id}/owner`).type('form').send({ _csrf: token, owner: String(s.userB.user._id) });
      expect(bad.status).to.equal(400);
      expect(String((await ProgressItemModel.findById(item._id).lean())!.owner)).to.equal(String(s.userA2.user._id));
    });
  });
});
