import { expect } from 'chai';
import request from 'supertest';
import type { Express } from 'express';
import { buildTestApp } from '../../helpers/app.js';
import { csrfFrom, signIn } from '../../helpers/http.js';
import { RankingModel } from '../../../src/features/rankings/ranking.model.js';
import { getRanking } from '../../../src/features/rankings/rankings.read.js';
import { ObjectionModel } from '../../../src/features/rankings/objection.model.js';
import { ProgressReportModel } from '../../../src/features/progress/progress.model.js';
import { AuditEntryModel } from '../../../src/features/audit/audit.model.js';
import { DAY, arrange, localInput, record, type Scenario } from './setup.js';

type Agent = Awaited<ReturnType<typeof signIn>>;

async function post(agent: Agent, url: string, fields: Record<string, unknown>, formUrl = '/admin/rankings') {
  const token = csrfFrom((await agent.get(formUrl)).text);
  return agent.post(url).type('form').send({ ...fields, _csrf: token });
}

async function computeDraft(agent: Agent, s: Scenario, extra: Record<string, unknown> = {}) {
  const res = await post(agent, '/admin/rankings', {
    meeting: String(s.meeting._id),
    cutoff: localInput(s.cutoff),
    gradeA: 75,
    gradeB: 50,
    gradeC: 25,
    winnersPerPeerGroup: 3,
    mostImproved: 'on',
    ...extra,
  });
  expect(res.status, res.text.slice(0, 500)).to.equal(303);
  const id = /\/admin\/rankings\/([0-9a-f]{24})/.exec(res.headers.location ?? '')?.[1];
  if (!id) throw new Error('no draft id');
  return id;
}

describe('rankings workflow (integration)', () => {
  let app: Express;
  let s: Scenario;
  let admin: Agent;

  beforeEach(async () => {
    app = buildTestApp().app;
    s = await arrange();
    admin = await signIn(app, s.admin);
  });

  describe('draft', () => {
    it('when an admin computes a draft, then it is stored with scores, ranks, grades and awards and is not public', async () => {
      const id = await computeDraft(admin, s);
      // Stored in the compact layout: one lines string per entry, no line sub-documents.
      const stored = await RankingModel.findById(id).lean();
      expect(stored!.entries.map((e) => typeof e.lines)).to.deep.equal(['string', 'string', 'string']);
      expect(stored!.entries.every((e) => (e.breakdown ?? []).length === 0)).to.equal(true);
      const doc = await getRanking(id);
      expect(doc?.status).to.equal('draft');
      expect(doc?.version).to.equal(null);
      const byCode = new Map(doc!.entries.map((e) => [e.code, e]));
      expect(byCode.get('MIN-A')).to.include({ scoreExact: '80/1', score: 80, rank: 1, rankInType: 1, grade: 'A', completed: 1 });
      expect(byCode.get('MIN-B')).to.include({ scoreExact: '200/3', score: 66.67, rank: 2, rankInType: 2, grade: 'B' });
      expect(byCode.get('LGA-C')).to.include({ score: 0, rank: 3, rankInType: 1, grade: 'D', nothingReported: true });
      expect(byCode.get('LGA-C')!.breakdown[0]).to.include({ status: 'not_reported', claimedStatus: 'completed', claimedPercent: 100 });
      expect(doc!.awards!.winners.map((w) => w.code)).to.deep.equal(['MIN-A']);
      expect(doc!.awards!.needsImprovement.map((w) => w.code)).to.deep.equal(['LGA-C']);
      expect(await AuditEntryModel.countDocuments({ action: 'ranking.draft.create' })).to.equal(1);

      const page = await admin.get(`/admin/rankings/${id}`);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('Wizara A').and.contain('Halmashauri C');
      const breakdown = await admin.get(`/admin/rankings/${id}/institutions/MIN-B`);
      expect(breakdown.status).to.equal(200);
      expect(breakdown.text).to.contain('200/3');

      expect((await request(app).get(`/rankings/${id}`)).status).to.equal(404);
      expect((await request(app).get(`/api/v1/rankings/${id}`)).status).to.equal(404);
      expect((await request(app).get('/api/v1/rankings')).body.data).to.deep.equal([]);
    });

    it('when the draft is recomputed with new weights, then the scores follow', async () => {
      const id = await computeDraft(admin, s);
      const res = await post(admin, `/admin/rankings/${id}/recompute`, { [`weight_${String(s.r1._id)}`]: '1' }, `/admin/rankings/${id}`);
      expect(res.status).to.equal(303);
      const doc = await RankingModel.findById(id).lean();
      // A: (100 + 40)/2 = 70; B: (50 + 100)/2 = 75
      expect(doc!.entries.map((e) => [e.code, e.score])).to.deep.equal([['MIN-B', 75], ['MIN-A', 70], ['LGA-C', 0]]);
      expect(doc!.parameters.resolutions.find((r) => r.number === 1)?.weight).to.equal(1);
    });

    it('when the form is invalid, then it is shown again with a 400 and a message in the user language', async () => {
      const res = await post(admin, '/admin/rankings?lang=en', { meeting: String(s.meeting._id), cutoff: 'yesterday', gradeA: 40, gradeB: 50, gradeC: 25 });
      expect(res.status).to.equal(400);
      expect(res.text).to.contain('Grade bands must be between 0 and 100');
      expect(await RankingModel.countDocuments()).to.equal(0);
    });
  });

  describe('roles and CSRF', () => {
    it('when anonymous, an institution or a reviewer tries admin actions, then they are refused', async () => {
      const anon = await request(app).get('/admin/rankings');
      expect(anon.status).to.equal(302);
      expect(anon.headers.location).to.match(/^\/login/);
      const inst = await signIn(app, s.userA);
      expect((await inst.get('/admin/rankings')).status).to.equal(403);
      const reviewer = await signIn(app, s.reviewer);
      expect((await reviewer.get('/admin/rankings')).status).to.equal(200);
      const token = csrfFrom((await reviewer.get('/admin/rankings')).text);
      const res = await reviewer.post('/admin/rankings').type('form').send({ meeting: String(s.meeting._id), cutoff: localInput(s.cutoff), _csrf: token });
      expect(res.status).to.equal(403);
      expect(await RankingModel.countDocuments()).to.equal(0);
      expect((await admin.get('/rankings/draft')).status).to.equal(403);
    });

    it('when a form is posted without the CSRF token, then it is refused', async () => {
      const res = await admin.post('/admin/rankings').type('form').send({ meeting: String(s.meeting._id), cutoff: localInput(s.cutoff) });
      expect(res.status).to.equal(403);
      expect(await RankingModel.countDocuments()).to.equal(0);
    });
  });

  describe('right of reply', () => {
    async function openWindow(id: string) {
      const now = Date.now();
      const res = await post(admin, `/admin/rankings/${id}/reply-window`, { opens: localInput(new Date(now - DAY)), closes: localInput(new Date(now + 7 * DAY)) }, `/admin/rankings/${id}`);
      expect(res.status).to.equal(303);
    }

    it('when no window is open, then the institution sees no draft and cannot object', async () => {
      const id = await computeDraft(admin, s);
      const inst = await signIn(app, s.userA);
      const page = await inst.get('/rankings/draft');
      expect(page.status).to.equal(200);
      expect(page.text).not.to.contain('Wizara A');
      const res = await post(inst, `/rankings/draft/${id}/objections`, { resolutionId: String(s.r2._id), reason: 'x' }, '/rankings/draft');
      expect(res.status).to.equal(409);
      expect(await ObjectionModel.countDocuments()).to.equal(0);
    });

    it('when the window is open, then an institution sees only its own position and breakdown', async () => {
      const id = await computeDraft(admin, s);
      await openWindow(id);
      const inst = await signIn(app, s.userB);
      const page = await inst.get('/rankings/draft');
      expect(page.status).to.equal(200);
      expect(page.text).to.match(/66[.,]67/);
      expect(page.text).not.to.contain('MIN-A');
      expect(page.text).not.to.contain('Wizara A');
      expect(page.text).not.to.contain('Halmashauri C');
      // Nor can it open the admin view of the draft or the public page.
      expect((await inst.get(`/admin/rankings/${id}`)).status).to.equal(403);
      expect((await inst.get(`/rankings/${id}`)).status).to.equal(404);
    });

    it('when an objection is rejected, then the answer is kept and values stay', async () => {
      const id = await computeDraft(admin, s);
      await openWindow(id);
      const inst = await signIn(app, s.userA);
      const filed = await post(inst, `/rankings/draft/${id}/objections`, {
        resolutionId: String(s.r2._id),
        reason: 'Tumekamilisha mfumo',
        requestedStatus: 'completed',
        requestedPercent: '100',
        links: 'https://example.go.tz/ushahidi.pdf',
      }, '/rankings/draft');
      expect(filed.status).to.equal(303);
      const objection = await ObjectionModel.findOne().lean();
      expect(objection).to.include({ state: 'open', reason: 'Tumekamilisha mfumo' });
      expect(objection!.evidence[0].url).to.equal('https://example.go.tz/ushahidi.pdf');

      // Answering is an admin decision: a reviewer reads the objection but cannot answer it.
      const reviewer = await signIn(app, s.reviewer);
      const refused = await post(reviewer, `/admin/objections/${String(objection!._id)}/answer`, { ranking: id, decision: 'reject', answer: 'x' }, `/admin/rankings/${id}`);
      expect(refused.status).to.equal(403);
      expect((await ObjectionModel.findById(objection!._id).lean())!.state).to.equal('open');
      const missing = await post(admin, `/admin/objections/${String(objection!._id)}/answer`, { ranking: id, decision: 'reject', answer: '' }, `/admin/rankings/${id}`);
      expect(missing.status).to.equal(400);
      const res = await post(admin, `/admin/objections/${String(objection!._id)}/answer`, { ranking: id, decision: 'reject', answer: 'Ushahidi hautoshi' }, `/admin/rankings/${id}`);
      expect(res.status).to.equal(303);
      const after = await ObjectionModel.findById(objection!._id).lean();
      expect(after).to.include({ state: 'rejected', answer: 'Ushahidi hautoshi' });
      expect(await ProgressReportModel.countDocuments({ kind: 'assessment' })).to.equal(0);
      const again = await post(admin, `/admin/objections/${String(objection!._id)}/answer`, { ranking: id, decision: 'accept', answer: 'x', status: 'completed', percent: 100 }, `/admin/rankings/${id}`);
      expect(again.status).to.equal(409);
    });

    it('when an objection carries evidence files, then they are stored, visible to the institution and staff only', async () => {
      const id = await computeDraft(admin, s);
      await openWindow(id);
      const inst = await signIn(app, s.userA);
      const token = csrfFrom((await inst.get('/rankings/draft')).text);
      const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
      const bad = await inst
        .post(`/rankings/draft/${id}/objections`).field('_csrf', token)
        .field('resolutionId', String(s.r2._id))
        .field('reason', 'Tazama ushahidi')
        .attach('files', Buffer.from('MZ not a document'), 'ripoti.pdf');
      expect(bad.status).to.equal(400);
      expect(await ObjectionModel.countDocuments()).to.equal(0);
      const res = await inst
        .post(`/rankings/draft/${id}/objections`).field('_csrf', token)
        .field('resolutionId', String(s.r2._id))
        .field('reason', 'Tazama ushahidi')
        .attach('files', pdf, 'ripoti.pdf');
      expect(res.status).to.equal(303);
      const o = await ObjectionModel.findOne().lean();
      const file = o!.evidence.find((e) => e.kind === 'file')!;
      expect(file).to.include({ filename: 'ripoti.pdf', contentType: 'application/pdf' });
      const url = `/rankings/objections/${String(o!._id)}/files/${String(file.fileId)}`;
      expect((await inst.get('/rankings/draft')).text).to.contain(url);
      const own = await inst.get(url).buffer(true);
      expect(own.status).to.equal(200);
      expect(Buffer.from(own.body as Buffer).subarray(0, 8).toString()).to.equal('%PDF-1.4');
      expect((await (await signIn(app, s.reviewer)).get(url)).status).to.equal(200);
      expect((await (await signIn(app, s.userB)).get(url)).status).to.equal(404);
      expect((await request(app).get(url)).status).to.equal(302);
    });

    it('when an objection is accepted, then the value is corrected by an assessment and the draft recomputed', async () => {
      const id = await computeDraft(admin, s);
      await post(admin, `/admin/rankings/${id}/recompute`, { [`weight_${String(s.r1._id)}`]: '3' }, `/admin/rankings/${id}`);
      await openWindow(id);
      const inst = await signIn(app, s.userA);
      const other = await post(inst, `/rankings/draft/${id}/objections`, { resolutionId: String(s.c._id), reason: 'x' }, '/rankings/draft');
      expect(other.status).to.equal(400);
      await post(inst, `/rankings/draft/${id}/objections`, { resolutionId: String(s.r2._id), reason: 'Imekamilika' }, '/rankings/draft');
      const objection = await ObjectionModel.findOne().lean();
      const res = await post(admin, `/admin/objections/${String(objection!._id)}/answer`, { ranking: id, decision: 'accept', answer: 'Ushahidi umethibitishwa', status: 'completed', percent: '100' }, `/admin/rankings/${id}`);
      expect(res.status).to.equal(303);
      const assessment = await ProgressReportModel.findOne({ kind: 'assessment' }).lean();
      expect(assessment).to.include({ status: 'completed', percent: 100 });
      const doc = await getRanking(id);
      const a = doc.entries.find((e) => e.code === 'MIN-A')!;
      expect(a.score).to.equal(100);
      // The weights chosen for this ranking survive the automatic recompute.
      expect(doc!.parameters.resolutions.find((r) => r.number === 1)?.weight).to.equal(3);
      // B: (3×50 + 1×100)/4 = 125/2
      expect(doc!.entries.find((e) => e.code === 'MIN-B')!.scoreExact).to.equal('125/2');
      expect(a.breakdown.find((l) => l.number === 2)).to.include({ status: 'completed', corrected: true });
      expect(new Date(a.breakdown[1].verifiedAt!).getTime()).to.be.at.most(doc!.cutoff.getTime());
    });
  });

  describe('publish and versions', () => {
    it('when open objections remain, then publishing is refused', async () => {
      const id = await computeDraft(admin, s);
      const now = Date.now();
      await post(admin, `/admin/rankings/${id}/reply-window`, { opens: localInput(new Date(now - DAY)), closes: localInput(new Date(now + DAY)) }, `/admin/rankings/${id}`);
      const inst = await signIn(app, s.userB);
      await post(inst, `/rankings/draft/${id}/objections`, { resolutionId: String(s.r1._id), reason: 'Sio sahihi' }, '/rankings/draft');
      const res = await post(admin, `/admin/rankings/${id}/publish`, { note: '', confirm: 'yes' }, `/admin/rankings/${id}`);
      expect(res.status).to.equal(409);
      expect((await RankingModel.findById(id).lean())!.status).to.equal('draft');
    });

    it('when published, then the snapshot is frozen and never changes after later verifications', async () => {
      const id = await computeDraft(admin, s);
      const res = await post(admin, `/admin/rankings/${id}/publish`, { note: '', confirm: 'yes' }, `/admin/rankings/${id}`);
      expect(res.status).to.equal(303);
      const published = await RankingModel.findById(id).lean();
      expect(published).to.include({ status: 'published', version: 1, publishedByName: 'Afisa Mkuu' });
      expect(published!.publishedBy?.toString()).to.equal(String(s.admin.user._id));

      // Later verifications (before and after the cutoff) and refused updates leave it untouched.
      await record(s.c, s.r1, s.reviewer.user._id, { status: 'completed', percent: 100, at: new Date() });
      const recompute = await post(admin, `/admin/rankings/${id}/recompute`, {}, `/admin/rankings/${id}`);
      expect(recompute.status).to.equal(409);
      const upd = await RankingModel.updateOne({ _id: id }, { $set: { 'entries.0.score': 1 } });
      expect(upd.modifiedCount).to.equal(0);
      const del = await RankingModel.deleteOne({ _id: id });
      expect(del.deletedCount).to.equal(0);
      const doc = await RankingModel.findById(id);
      doc!.note = 'changed';
      let saveError: unknown;
      try {
        await doc!.save();
      } catch (err) {
        saveError = err;
      }
      expect(saveError).to.be.instanceOf(Error);
      const after = await RankingModel.findById(id).lean();
      expect(after!.entries).to.deep.equal(published!.entries);
      expect(after!.awards).to.deep.equal(published!.awards);
      expect(after!.note).to.equal('');
      expect(await AuditEntryModel.countDocuments({ action: 'ranking.publish' })).to.equal(1);
    });

    it('when a corrected version is published, then both versions stay visible with a readable difference', async () => {
      const id1 = await computeDraft(admin, s);
      await post(admin, `/admin/rankings/${id1}/publish`, { note: '', confirm: 'yes' }, `/admin/rankings/${id1}`);
      // A verification dated before the cutoff but recorded late (e.g. a backlog) changes C.
      await record(s.c, s.r1, s.reviewer.user._id, { status: 'completed', percent: 100, at: new Date(s.cutoff.getTime() - DAY) });
      const nv = await post(admin, `/admin/rankings/${id1}/new-version`, {}, `/admin/rankings/${id1}`);
      expect(nv.status).to.equal(303);
      const id2 = /([0-9a-f]{24})$/.exec(nv.headers.location ?? '')![1];
      expect(id2).not.to.equal(id1);
      const noNote = await post(admin, `/admin/rankings/${id2}/publish`, { note: '', confirm: 'yes' }, `/admin/rankings/${id2}`);
      expect(noNote.status).to.equal(400);
      expect(noNote.text).to.contain('f-note-error');
      expect((await RankingModel.findById(id2).lean())!.status).to.equal('draft');
      const ok = await post(admin, `/admin/rankings/${id2}/publish`, { note: 'Uthibitisho uliochelewa wa LGA-C', confirm: 'yes' }, `/admin/rankings/${id2}`);
      expect(ok.status).to.equal(303);
      const v2 = await RankingModel.findById(id2).lean();
      expect(v2).to.include({ version: 2, status: 'published' });
      expect(String(v2!.previous)).to.equal(id1);
      const line = v2!.diff.find((d) => d.code === 'LGA-C')!;
      // C: (2×100 + 0)/3 = 66.67 → rank 2 (completed 1 beats B's 1? B has 1 completed; tie on score and completed, earlier verification wins)
      expect(line.fromScore).to.equal(0);
      expect(line.toScore).to.equal(66.67);
      expect(line.reasons[0]).to.include({ number: 1, fromStatus: 'not_reported', toStatus: 'completed', toPercent: 100 });
      expect(v2!.awards!.mostImproved.map((m) => m.code)).to.deep.equal(['LGA-C']);

      const v1Page = await request(app).get(`/rankings/${id1}?lang=en`);
      expect(v1Page.status).to.equal(200);
      expect(v1Page.text).to.contain('Version 2');
      const v2Page = await request(app).get(`/rankings/${id2}?lang=en`);
      expect(v2Page.text).to.contain('What changed since version 1');
      expect(v2Page.text).to.contain('Uthibitisho uliochelewa wa LGA-C');
      const list = await request(app).get('/api/v1/rankings');
      expect(list.body.data.map((r: { version: number }) => r.version).sort()).to.deep.equal([1, 2]);
    });
  });
});
