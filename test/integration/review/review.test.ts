import { expect } from 'chai';
import request from 'supertest';
import { ProgressItemModel, ProgressReportModel } from '../../../src/features/progress/progress.model.js';
import { NotificationModel } from '../../../src/features/notifications/notification.model.js';
import { AuditEntryModel } from '../../../src/features/audit/audit.model.js';
import { getVerifiedValues } from '../../../src/features/progress/verified-values.js';
import { assessDirectly } from '../../../src/features/review/review.service.js';
import { createUser } from '../../helpers/fixtures.js';
import { buildScenario, itemOf, pdfBytes, signIn, submitReport, tokenOf, type Scenario } from '../progress/scenario.js';

describe('review (e-GA verification)', () => {
  let s: Scenario;
  let itemId: string;

  /** Institution A claims r1 in_progress 60% with a PDF. */
  async function claim(): Promise<string> {
    const a = await signIn(s.app, s.userA);
    const item = await itemOf(a, s.instA, s.r1);
    const res = await submitReport(a, String(item._id), { revision: 0, status: 'in_progress', percent: 60, narrative: 'Mfumo umesimikwa' }, [
      { name: 'ripoti.pdf', data: pdfBytes() },
    ]);
    expect(res.status).to.equal(302);
    return String(item._id);
  }

  beforeEach(async () => {
    s = await buildScenario();
    itemId = await claim();
  });

  it('when anonymous or an institution user opens the review pages, then they are redirected or refused', async () => {
    const anon = await request(s.app).get('/review');
    expect(anon.status).to.equal(302);
    expect(anon.headers.location).to.equal('/login?next=%2Freview');
    const a = await signIn(s.app, s.userA);
    for (const url of ['/review', `/review/items/${itemId}`, '/review/gaps', '/review/assess', '/review/extensions']) {
      expect((await a.get(url)).status, url).to.equal(403);
    }
    const token = await tokenOf(a, '/progress');
    const res = await a.post(`/review/items/${itemId}/verify`).type('form').send({ _csrf: token, revision: '1', reason: '' });
    expect(res.status).to.equal(403);
    expect((await ProgressItemModel.findById(itemId).lean())!.state).to.equal('submitted');
  });

  it('when a reviewer filters the queue, then submitted rows are listed oldest first with claimed values', async () => {
    const r = await signIn(s.app, s.reviewer);
    const res = await r.get('/review');
    expect(res.status).to.equal(200);
    expect(res.text).to.include(`/review/items/${itemId}`);
    expect(res.text).to.include(s.instA.code);
    const byType = await r.get('/review?type=lga');
    expect(byType.text).not.to.include(`/review/items/${itemId}`);
    const byRegion = await r.get('/review?region=Dodoma&state=submitted');
    expect(byRegion.text).to.include(`/review/items/${itemId}`);
    const verified = await r.get('/review?state=verified');
    expect(verified.text).not.to.include(`/review/items/${itemId}`);
    const bad = await r.get('/review?state=nonsense');
    expect(bad.status).to.equal(400);
    const page = await r.get(`/review/items/${itemId}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('Mfumo umesimikwa');
    expect(page.text).to.include('ripoti.pdf');
  });

  it('when a reviewer returns a claim with a comment, then the institution sees it, is notified by email and can resubmit', async () => {
    const r = await signIn(s.app, s.reviewer);
    const token = await tokenOf(r, `/review/items/${itemId}`);
    const empty = await r.post(`/review/items/${itemId}/return`).type('form').send({ _csrf: token, revision: '1', comment: '  ' });
    expect(empty.status).to.equal(400);
    const res = await r.post(`/review/items/${itemId}/return`).type('form').send({ _csrf: token, revision: '1', comment: 'Ambatisha barua ya idhini' });
    expect(res.status).to.equal(302);
    const item = await ProgressItemModel.findById(itemId).lean();
    expect(item).to.include({ state: 'returned', returnComment: 'Ambatisha barua ya idhini', lastVersion: 2 });
    const ret = await ProgressReportModel.findOne({ item: itemId, version: 2 }).lean();
    expect(ret).to.include({ kind: 'return', comment: 'Ambatisha barua ya idhini' });
    expect(await NotificationModel.countDocuments({ user: s.userA.user._id, kind: 'returned' })).to.equal(1);
    expect(s.outbox.filter((m) => m.to === s.userA.user.email)).to.have.length(1);
    expect(s.outbox[0].subject).to.include('Imerudishwa');
    expect(s.outbox[0].text).to.include('Ambatisha barua ya idhini');
    expect(await AuditEntryModel.countDocuments({ action: 'progress.return' })).to.equal(1);

    const a = await signIn(s.app, s.userA);
    const page = await a.get(`/progress/items/${itemId}`);
    expect(page.text).to.include('Ambatisha barua ya idhini');
    const dash = await a.get('/progress');
    expect(dash.text).to.include('Imerudishwa kwa marekebisho');
    const claimReport = await ProgressReportModel.findOne({ item: itemId, version: 1 }).lean();
    const again = await submitReport(a, itemId, {
      revision: 2,
      status: 'completed',
      percent: 100,
      narrative: 'Barua imeambatishwa',
      keep: [String(claimReport!.evidence[0].fileId)],
    }, [{ name: 'barua.pdf', data: pdfBytes('barua') }]);
    expect(again.status).to.equal(302);
    const after = await ProgressItemModel.findById(itemId).lean();
    expect(after).to.include({ state: 'submitted', returnComment: '', lastVersion: 3, claimedEvidence: 2 });
  });

  it('when a reviewer verifies with an adjustment, then a reason is required and the verified value is what getVerifiedValues returns', async () => {
    const r = await signIn(s.app, s.reviewer);
    const token = await tokenOf(r, `/review/items/${itemId}`);
    const noReason = await r.post(`/review/items/${itemId}/verify`).type('form').send({ _csrf: token, revision: '1', status: 'in_progress', percent: '40', reason: '' });
    expect(noReason.status).to.equal(400);
    expect(noReason.text).to.include('Toa sababu');
    expect((await ProgressItemModel.findById(itemId).lean())!.state).to.equal('submitted');

    const res = await r.post(`/review/items/${itemId}/verify`).type('form').send({ _csrf: token, revision: '1', status: 'in_progress', percent: '40', reason: 'Moduli mbili bado' });
    expect(res.status).to.equal(302);
    const item = await ProgressItemModel.findById(itemId).lean();
    expect(item!.state).to.equal('verified');
    expect(item!.verified).to.include({ status: 'in_progress', percent: 40, version: 2 });
    expect(item!.claimed).to.include({ percent: 60 });
    const values = await getVerifiedValues({ meetingId: String(s.meeting._id) });
    expect(values).to.have.length(1);
    expect(values[0]).to.include({ institutionId: String(s.instA._id), resolutionId: String(s.r1._id), status: 'in_progress', percent: 40, by: String(s.reviewer.user._id) });
    expect(await AuditEntryModel.countDocuments({ action: 'progress.verify_adjusted' })).to.equal(1);
    expect(s.outbox.some((m) => m.to === s.userA.user.email && /Imehakikiwa/.test(m.subject))).to.equal(true);

    // The gap shows on the review page and the gaps page.
    const page = await r.get(`/review/items/${itemId}`);
    expect(page.text).to.include('Tofauti: alama 20');
    const gaps = await r.get('/review/gaps');
    expect(gaps.status).to.equal(200);
    expect(gaps.text).to.include(s.instA.code);

    // Verifying twice is a state error, not a second verification.
    const twice = await r.post(`/review/items/${itemId}/verify`).type('form').send({ _csrf: token, revision: '2', reason: '' });
    expect(twice.status).to.equal(409);
    expect(await ProgressReportModel.countDocuments({ item: itemId, kind: 'verification' })).to.equal(1);
  });

  it('when a reviewer verifies without changes, then no reason is needed', async () => {
    const r = await signIn(s.app, s.reviewer);
    const token = await tokenOf(r, `/review/items/${itemId}`);
    const res = await r.post(`/review/items/${itemId}/verify`).type('form').send({ _csrf: token, revision: '1', status: 'in_progress', percent: '60', reason: '' });
    expect(res.status).to.equal(302);
    expect((await ProgressItemModel.findById(itemId).lean())!.verified).to.include({ percent: 60 });
    expect(await AuditEntryModel.countDocuments({ action: 'progress.verify' })).to.equal(1);
  });

  it('when a reviewer acts on a stale revision, then they get a conflict and nothing is written', async () => {
    const r = await signIn(s.app, s.reviewer);
    const token = await tokenOf(r, `/review/items/${itemId}`);
    const res = await r.post(`/review/items/${itemId}/return`).type('form').send({ _csrf: token, revision: '0', comment: 'Zamani' });
    expect(res.status).to.equal(409);
    expect(res.text).to.include('toleo 1');
    expect(await ProgressReportModel.countDocuments({ item: itemId })).to.equal(1);
  });

  it('when a reviewer belongs to the institution, then they cannot verify, return or assess its claims', async () => {
    const own = await createUser({ role: 'reviewer', institution: s.instA });
    const r = await signIn(s.app, own);
    const page = await r.get(`/review/items/${itemId}`);
    expect(page.status).to.equal(200);
    expect(page.text).to.include('huwezi kuihakiki');
    const token = await tokenOf(r, `/review/items/${itemId}`);
    for (const [action, body] of [
      ['verify', { revision: '1', reason: '' }],
      ['return', { revision: '1', comment: 'x' }],
      ['assess', { revision: '1', institution: String(s.instA._id), resolution: String(s.r1._id), status: 'completed', percent: '100', reason: 'x' }],
    ] as const) {
      const res = await r.post(`/review/items/${itemId}/${action}`).type('form').send({ _csrf: token, ...body });
      expect(res.status, action).to.equal(403);
    }
    expect(await ProgressReportModel.countDocuments({ item: itemId })).to.equal(1);
  });

  it('when an admin records a direct assessment of a row never reported, then the row is created and verified', async () => {
    const admin = await signIn(s.app, s.admin);
    const token = await tokenOf(admin, '/review/assess');
    const noReason = await admin.post('/review/assess').type('form').send({ _csrf: token, institution: String(s.instB._id), resolution: String(s.r2._id), status: 'in_progress', percent: '30', reason: '' });
    expect(noReason.status).to.equal(400);
    const res = await admin.post('/review/assess').type('form').send({ _csrf: token, institution: String(s.instB._id), resolution: String(s.r2._id), status: 'in_progress', percent: '30', reason: 'Ziara ya tarehe 3' });
    expect(res.status).to.equal(302);
    const item = await ProgressItemModel.findOne({ institution: s.instB._id, resolution: s.r2._id }).lean();
    expect(item).to.include({ state: 'verified', lastVersion: 1 });
    expect(item!.verified).to.include({ status: 'in_progress', percent: 30 });
    expect(await ProgressReportModel.countDocuments({ item: item!._id, kind: 'assessment' })).to.equal(1);
    expect(await AuditEntryModel.countDocuments({ action: 'progress.assess' })).to.equal(1);
  });

  it('when assessDirectly is called as a service (rankings objection), then the verified value changes', async () => {
    const actor = { id: String(s.admin.user._id), role: 'admin' as const, institutionId: null, name: 'Admin', email: s.admin.user.email };
    await assessDirectly(actor, { institutionId: String(s.instA._id), resolutionId: String(s.r1._id), status: 'completed', percent: 100, reason: 'Pingamizi limekubaliwa' });
    const [v] = await getVerifiedValues({ institutionIds: [String(s.instA._id)] });
    expect(v).to.include({ status: 'completed', percent: 100 });
    expect((await ProgressItemModel.findById(itemId).lean())!.state).to.equal('verified');
    // An institution user can never assess.
    const inst = { id: String(s.userA.user._id), role: 'institution' as const, institutionId: String(s.instA._id), name: 'A', email: 'a@x' };
    let refused = false;
    try {
      await assessDirectly(inst, { institutionId: String(s.instA._id), resolutionId: String(s.r1._id), status: 'completed', percent: 100, reason: 'x' });
    } catch (err) {
      refused = (err as { status?: number }).status === 403;
    }
    expect(refused).to.equal(true);
  });
});
