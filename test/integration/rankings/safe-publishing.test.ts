import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { buildTestApp } from '../../helpers/app.js';
import { createInstitution } from '../../helpers/fixtures.js';
import { csrfFrom, signIn } from '../../helpers/http.js';
import { AuditEntryModel } from '../../../src/features/audit/audit.model.js';
import { ProgressReportModel } from '../../../src/features/progress/progress.model.js';
import { ObjectionModel } from '../../../src/features/rankings/objection.model.js';
import { RankingModel } from '../../../src/features/rankings/ranking.model.js';
import { DAY, arrange, localInput, type Scenario } from './setup.js';

type Agent = Awaited<ReturnType<typeof signIn>>;

/* Issue 11, safe publishing: explicit objection decisions, confirmation of irreversible actions. */
describe('rankings safe publishing (integration)', () => {
  let app: Express;
  let s: Scenario;
  let admin: Agent;
  let now: Date;

  async function post(agent: Agent, url: string, fields: Record<string, unknown>, formUrl: string) {
    const token = csrfFrom((await agent.get(formUrl)).text);
    return agent.post(url).type('form').send({ ...fields, _csrf: token });
  }

  async function computeDraft(cutoff: Date = s.cutoff): Promise<string> {
    const res = await post(admin, '/admin/rankings', { meeting: String(s.meeting._id), cutoff: localInput(cutoff) }, '/admin/rankings');
    expect(res.status, res.text.slice(0, 300)).to.equal(303);
    return /([0-9a-f]{24})$/.exec(res.headers.location ?? '')![1];
  }

  async function objectOnR2(id: string, requested: Record<string, string> = {}) {
    await post(admin, `/admin/rankings/${id}/reply-window`, { opens: localInput(new Date(now.getTime() - DAY)), closes: localInput(new Date(now.getTime() + DAY)) }, `/admin/rankings/${id}`);
    const inst = await signIn(app, s.userA);
    const filed = await post(inst, `/rankings/draft/${id}/objections`, { resolutionId: String(s.r2._id), reason: 'Tumekamilisha', ...requested }, '/rankings/draft');
    expect(filed.status).to.equal(303);
    return (await ObjectionModel.findOne().lean())!;
  }

  beforeEach(async () => {
    now = new Date();
    app = buildTestApp({ now: () => now }).app;
    s = await arrange();
    admin = await signIn(app, s.admin);
  });

  describe('answering an objection', () => {
    it('when the page is shown, then no decision is pre-selected and the requested value is pre-filled for an acceptance', async () => {
      const id = await computeDraft();
      await objectOnR2(id, { requestedStatus: 'in_progress', requestedPercent: '70' });
      const page = await admin.get(`/admin/rankings/${id}`);
      expect(page.status).to.equal(200);
      const form = page.text.slice(page.text.indexOf('/answer"'), page.text.indexOf('</form>', page.text.indexOf('/answer"')));
      expect(form).to.match(/name="decision" value="accept" required/);
      expect(form).to.match(/name="decision" value="reject" required/);
      expect(form).not.to.contain('checked');
      expect(form).to.match(/<option value="in_progress" selected>/);
      expect(form).to.contain('name="percent" type="number" min="0" max="100" value="70"');
    });

    it('when the decision is missing, then nothing is saved and the page says to choose, in the user language', async () => {
      const id = await computeDraft();
      const objection = await objectOnR2(id, { requestedStatus: 'completed' });
      const res = await post(admin, `/admin/objections/${String(objection._id)}/answer?lang=en`, { ranking: id, answer: 'Tumekubali, ushahidi unatosha', status: 'completed', percent: '100' }, `/admin/rankings/${id}`);
      expect(res.status).to.equal(400);
      expect(res.text).to.contain('Choose whether you accept or reject the objection.');
      // What the admin typed is not lost.
      expect(res.text).to.contain('Tumekubali, ushahidi unatosha</textarea>');
      const after = await ObjectionModel.findById(objection._id).lean();
      expect(after).to.include({ state: 'open', answer: '' });
      expect(await ProgressReportModel.countDocuments({ kind: 'assessment' })).to.equal(0);
      expect(await AuditEntryModel.countDocuments({ action: /^ranking\.objection\.(accept|reject)$/ })).to.equal(0);
    });

    it('when accepted with the pre-filled request, then the objection is accepted with that value and the draft corrected', async () => {
      const id = await computeDraft();
      const objection = await objectOnR2(id, { requestedStatus: 'completed' });
      const res = await post(admin, `/admin/objections/${String(objection._id)}/answer`, { ranking: id, decision: 'accept', answer: 'Tumekubali', status: 'completed', percent: '100' }, `/admin/rankings/${id}`);
      expect(res.status).to.equal(303);
      expect(await ObjectionModel.findById(objection._id).lean()).to.include({ state: 'accepted', correctedStatus: 'completed', correctedPercent: 100 });
      const draft = await RankingModel.findById(id).lean();
      expect(draft!.entries.find((e) => e.code === 'MIN-A')!.score).to.equal(100);
    });
  });

  describe('publishing', () => {
    it('when the admin opens Publish, then a confirmation page states the version, the scope and that it is irreversible', async () => {
      const id = await computeDraft();
      const show = await admin.get(`/admin/rankings/${id}`);
      expect(show.text).to.contain(`href="/admin/rankings/${id}/publish"`);
      expect(show.text).not.to.contain(`action="/admin/rankings/${id}/publish"`);
      const page = await admin.get(`/admin/rankings/${id}/publish?lang=en`);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('Publish version 1 of the ranking of session');
      expect(page.text).to.contain('3 institutions are ranked and 0 are listed as not ranked');
      expect(page.text).to.contain('can never be changed or deleted');
      expect(page.text).to.contain('name="confirm" value="yes"');
      expect((await RankingModel.findById(id).lean())!.status).to.equal('draft');
    });

    it('when posted without the confirmation, then it is not published and the confirmation page is shown again', async () => {
      const id = await computeDraft();
      const res = await post(admin, `/admin/rankings/${id}/publish`, { note: 'Toleo la kwanza' }, `/admin/rankings/${id}/publish`);
      expect(res.status).to.equal(400);
      expect(res.text).to.contain('Thibitisha kwa kitufe kilicho kwenye ukurasa huu.');
      expect(res.text).to.contain('Toleo la kwanza');
      expect((await RankingModel.findById(id).lean())).to.include({ status: 'draft', version: null });
      expect(await AuditEntryModel.countDocuments({ action: 'ranking.publish' })).to.equal(0);

      const ok = await post(admin, `/admin/rankings/${id}/publish`, { note: 'Toleo la kwanza', confirm: 'yes' }, `/admin/rankings/${id}/publish`);
      expect(ok.status).to.equal(303);
      expect((await RankingModel.findById(id).lean())).to.include({ status: 'published', version: 1, note: 'Toleo la kwanza' });
    });

    it('when the cutoff is later than the moment of publication, then the page says why and publishing is refused', async () => {
      const id = await computeDraft(new Date(now.getTime() + 2 * DAY));
      const page = await admin.get(`/admin/rankings/${id}/publish?lang=en`);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('can only be published once its cutoff has passed');
      expect(page.text).not.to.contain('name="confirm"');
      const res = await post(admin, `/admin/rankings/${id}/publish`, { note: '', confirm: 'yes' }, `/admin/rankings/${id}`);
      expect(res.status).to.equal(400);
      expect((await RankingModel.findById(id).lean())).to.include({ status: 'draft', version: null });

      // Once the clock has passed the cutoff, the same draft publishes (signed in afresh: sessions
      // end 12 hours after sign-in).
      now = new Date(now.getTime() + 3 * DAY);
      admin = await signIn(app, s.admin);
      const ok = await post(admin, `/admin/rankings/${id}/publish`, { note: '', confirm: 'yes' }, `/admin/rankings/${id}`);
      expect(ok.status).to.equal(303);
      expect((await RankingModel.findById(id).lean())).to.include({ status: 'published', version: 1 });
    });
  });

  describe('deleting a draft', () => {
    it('when the admin opens Delete, then a confirmation page says what goes, and only the explicit yes deletes', async () => {
      const id = await computeDraft();
      await objectOnR2(id);
      const page = await admin.get(`/admin/rankings/${id}/delete?lang=en`);
      expect(page.status).to.equal(200);
      expect(page.text).to.contain('1 open objection filed against it is deleted with it.');
      expect(page.text).to.contain('This cannot be undone.');

      const refused = await post(admin, `/admin/rankings/${id}/delete`, {}, `/admin/rankings/${id}/delete`);
      expect(refused.status).to.equal(400);
      expect(await RankingModel.countDocuments({ _id: id })).to.equal(1);
      expect(await ObjectionModel.countDocuments()).to.equal(1);

      const ok = await post(admin, `/admin/rankings/${id}/delete`, { confirm: 'yes' }, `/admin/rankings/${id}/delete`);
      expect(ok.status).to.equal(303);
      expect(await RankingModel.countDocuments({ _id: id })).to.equal(0);
      expect(await ObjectionModel.countDocuments()).to.equal(0);
      expect(await AuditEntryModel.countDocuments({ action: 'ranking.draft.delete' })).to.equal(1);
    });

    it('when the ranking is published, then there is no delete confirmation', async () => {
      const id = await computeDraft();
      await post(admin, `/admin/rankings/${id}/publish`, { note: '', confirm: 'yes' }, `/admin/rankings/${id}/publish`);
      expect((await admin.get(`/admin/rankings/${id}/delete`)).status).to.equal(404);
    });
  });

  describe('institutions that joined after the cutoff', () => {
    it('when an institution was registered after the cutoff, then it is listed as joined after the cutoff, not ranked and not under needs improvement', async () => {
      await createInstitution({ code: 'MIN-NEW', type: 'ministry', region: 'Dodoma', name: { sw: 'Wizara Mpya', en: 'New Ministry' } });
      const id = await computeDraft();
      const draft = await RankingModel.findById(id).lean();
      expect(draft!.entries.map((e) => e.code)).not.to.include('MIN-NEW');
      expect(draft!.awards!.needsImprovement.map((a) => a.code)).not.to.include('MIN-NEW');
      expect(draft!.unranked.map((u) => [u.code, u.reason])).to.deep.equal([['MIN-NEW', 'joined_after_cutoff']]);
      const adminPage = await admin.get(`/admin/rankings/${id}?lang=en`);
      expect(adminPage.text).to.contain('Joined after the cutoff');
      expect(adminPage.text).to.contain('New Ministry');

      await post(admin, `/admin/rankings/${id}/publish`, { note: '', confirm: 'yes' }, `/admin/rankings/${id}/publish`);
      const page = await request(app).get(`/rankings/${id}?lang=en`);
      expect(page.status).to.equal(200);
      const joined = page.text.slice(page.text.indexOf('id="joined-h"'));
      expect(joined).to.contain('New Ministry (MIN-NEW)');
      const needs = (await request(app).get(`/api/v1/rankings/${id}`)).body.data.awards.needsImprovement.map((a: { code: string }) => a.code);
      expect(needs).to.deep.equal(['LGA-C']);
    });
  });
});
