import { expect } from 'chai';
import { ProgressReportModel } from '../../../src/features/progress/progress.model.js';
import { buildScenario, itemOf, pdfBytes, signIn, submitReport } from './scenario.js';

describe('report form (links and attached files after an error)', () => {
  it('when a link line is not an address, then that line is named, the chosen files are named as not kept, and nothing is stored', async () => {
    const s = await buildScenario();
    const a = await signIn(s.app, s.userA);
    const item = await itemOf(a, s.instA, s.r1);
    const res = await submitReport(a, String(item._id), { revision: 0, status: 'in_progress', percent: 40, narrative: 'Tumeanza', links: 'tra.go.tz/govesb\nripoti ya robo' }, [
      { name: 'barua.pdf', data: pdfBytes() },
    ]);
    expect(res.status).to.equal(400);
    expect(res.text).to.include('Mstari &quot;ripoti ya robo&quot; si anwani ya tovuti.');
    expect(res.text).to.include('Faili ulizochagua (barua.pdf) hazikuhifadhiwa');
    // What the user typed is still in the form.
    expect(res.text).to.include('tra.go.tz/govesb\nripoti ya robo</textarea>');
    expect(await ProgressReportModel.countDocuments({ item: item._id })).to.equal(0);
  });

  it('when a link is typed without https://, then it is stored with https://', async () => {
    const s = await buildScenario();
    const a = await signIn(s.app, s.userA);
    const item = await itemOf(a, s.instA, s.r1);
    const res = await submitReport(a, String(item._id), { revision: 0, status: 'in_progress', percent: 40, narrative: 'Tumeanza', links: 'tra.go.tz/govesb' });
    expect(res.status).to.equal(302);
    const report = await ProgressReportModel.findOne({ item: item._id, kind: 'claim' }).lean();
    expect(report!.evidence.map((e) => e.url)).to.deep.equal(['https://tra.go.tz/govesb']);
  });
});
