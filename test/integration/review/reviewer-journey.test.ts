import { expect } from 'chai';
import { ProgressItemModel, ProgressReportModel } from '../../../src/features/progress/progress.model.js';
import { buildScenario, itemOf, pdfBytes, PNG_BYTES, signIn, submitReport, tokenOf, type Scenario } from '../progress/scenario.js';

const DAY = 86_400_000;

describe('reviewer journey (queue, evidence preview, next report, gaps)', () => {
  let s: Scenario;
  let itemA: string;
  let itemB: string;

  beforeEach(async () => {
    s = await buildScenario();
    const a = await signIn(s.app, s.userA);
    itemA = String((await itemOf(a, s.instA, s.r1))._id);
    const res = await submitReport(a, itemA, { revision: 0, status: 'in_progress', percent: 60, narrative: 'Mfumo umesimikwa' }, [
      { name: 'picha.png', data: PNG_BYTES },
      { name: 'ripoti.pdf', data: pdfBytes() },
    ]);
    expect(res.status).to.equal(302);
    const b = await signIn(s.app, s.userB);
    itemB = String((await itemOf(b, s.instB, s.r1))._id);
    expect((await submitReport(b, itemB, { revision: 0, status: 'in_progress', percent: 30, narrative: 'Tumeanza' })).status).to.equal(302);
    // A's claim has waited five days, B's is new.
    await ProgressItemModel.updateOne({ _id: itemA }, { $set: { 'claimed.at': new Date(s.deps.now().getTime() - 5 * DAY) } });
  });

  it('when a reviewer searches the queue by institution name or code, then only that institution is listed, with the days it has waited', async () => {
    const r = await signIn(s.app, s.reviewer);
    const byCode = await r.get(`/review?q=${encodeURIComponent(s.instA.code.toLowerCase())}`);
    expect(byCode.status).to.equal(200);
    expect(byCode.text).to.include(`/review/items/${itemA}`);
    expect(byCode.text).not.to.include(`/review/items/${itemB}`);
    expect(byCode.text).to.match(/data-label="Siku za kusubiri">5<\/td>/);
    const byName = await r.get(`/review?q=${encodeURIComponent(s.instB.name.sw.slice(0, 12))}`);
    expect(byName.text).to.include(`/review/items/${itemB}`);
    // Longest waiting first by default; newest first on request.
    const all = await r.get('/review');
    expect(all.text.indexOf(itemA)).to.be.lessThan(all.text.indexOf(itemB));
    const recent = await r.get('/review?sort=recent');
    expect(recent.text.indexOf(itemB)).to.be.lessThan(recent.text.indexOf(itemA));
    // Columns that are always empty for waiting reports are gone.
    expect(all.text).not.to.include('Tofauti');
    expect((await r.get('/review?sort=sideways')).status).to.equal(400);
  });

  it('when a reviewer opens a report with an image and a PDF, then both are previewed from the app itself', async () => {
    const r = await signIn(s.app, s.reviewer);
    const page = await r.get(`/review/items/${itemA}`);
    const report = await ProgressReportModel.findOne({ item: itemA, kind: 'claim' }).lean();
    const png = report!.evidence.find((e) => e.contentType === 'image/png')!;
    const pdf = report!.evidence.find((e) => e.contentType === 'application/pdf')!;
    expect(page.text).to.include(`<img class="evidence-preview" src="/evidence/${String(png.fileId)}"`);
    expect(page.text).to.match(new RegExp(`<iframe class="evidence-preview evidence-pdf" src="/evidence/${String(pdf.fileId)}"[^>]* sandbox`));
    const file = await r.get(`/evidence/${String(png.fileId)}`);
    expect(file.status).to.equal(200);
    expect(file.headers['content-security-policy']).to.include('sandbox');
  });

  it('when a reviewer returns a report, then the page offers the next waiting report, and a decision on the last one says none is left', async () => {
    const r = await signIn(s.app, s.reviewer);
    const token = await tokenOf(r, `/review/items/${itemA}`);
    const ret = await r.post(`/review/items/${itemA}/return`).type('form').send({ _csrf: token, revision: '1', comment: 'Ambatisha barua' });
    expect(ret.status).to.equal(302);
    const after = await r.get(`/review/items/${itemA}`);
    expect(after.text).to.include(`href="/review/items/${itemB}">Ripoti inayofuata`);
    expect((await ProgressItemModel.findById(itemA).lean())!.state).to.equal('returned');
    const tokenB = await tokenOf(r, `/review/items/${itemB}`);
    expect((await r.post(`/review/items/${itemB}/verify`).type('form').send({ _csrf: tokenB, revision: '1', reason: '' })).status).to.equal(302);
    const last = await r.get(`/review/items/${itemB}`);
    expect(last.text).to.include('Hakuna ripoti nyingine inayosubiri uhakiki.');
  });

  it('when a reviewer opens the gaps page, then numbers are right-aligned, institutions link to their reports, and the CSV has every row', async () => {
    const r = await signIn(s.app, s.reviewer);
    const tokenB = await tokenOf(r, `/review/items/${itemB}`);
    await r.post(`/review/items/${itemB}/verify`).type('form').send({ _csrf: tokenB, revision: '1', status: 'in_progress', percent: '10', reason: 'Ushahidi hautoshi' });
    const page = await r.get('/review/gaps');
    expect(page.status).to.equal(200);
    expect(page.text).to.include(`href="/review?q=${s.instB.code}&amp;state=verified"`);
    expect(page.text).to.include('<td class="num">20</td>');
    expect(page.text).to.include('<figure class="chart chart-bar">');
    const csv = await r.get('/review/gaps.csv');
    expect(csv.status).to.equal(200);
    expect(csv.headers['content-type']).to.include('text/csv');
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).to.equal('Msimbo,Taasisi,Safu zilizolinganishwa,Iliyoripotiwa (wastani),Iliyohakikiwa (wastani),Tofauti,Zinasubiri,Zimerudishwa');
    expect(lines.slice(1).map((l) => l.split(',')[0]).sort()).to.deep.equal([s.instA.code, s.instB.code].sort());
  });
});
