import { expect } from 'chai';
import request from 'supertest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { buildTestApp } from '../../helpers/app.js';
import { createInstitution, createMeeting, createResolution } from '../../helpers/fixtures.js';
import { daysAgo, progressRow, publishedRanking } from '../public/public-fixtures.js';

async function scenario() {
  const meeting = await createMeeting({ number: 4, title: { sw: 'Kikao cha Nne cha Serikali Mtandao', en: 'Fourth e-Government Session' } });
  const r1 = await createResolution({ meeting, number: 1, title: { sw: 'Kuimarisha usalama wa mifumo', en: 'Strengthen systems security' } });
  const r2 = await createResolution({ meeting, number: 2, title: { sw: 'Kuunganisha mifumo na GovESB', en: 'Connect systems to GovESB' } });
  const a = await createInstitution({ code: 'MOF', name: { sw: 'Wizara ya Fedha', en: 'Ministry of Finance' } });
  const b = await createInstitution({ code: 'MOH', name: { sw: 'Wizara ya Afya', en: 'Ministry of Health' } });
  await progressRow(a, r1, { verified: [{ status: 'completed', percent: 100, at: daysAgo(3) }] });
  await progressRow(b, r1, { verified: [{ status: 'in_progress', percent: 50, at: daysAgo(2) }] });
  await progressRow(a, r2, { verified: [{ status: 'completed', percent: 100, at: daysAgo(2) }] });
  return { meeting, a, b };
}

async function pdfText(buffer: Buffer): Promise<{ pages: number; text: string; pageTexts: string[] }> {
  const pdf = await getDocument({ data: new Uint8Array(buffer), useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  const pageTexts: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const page = await pdf.getPage(i);
    const content = await page.getTextContent();
    pageTexts.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' ').replace(/\s+/g, ' '));
  }
  const pages = pdf.numPages;
  await pdf.destroy();
  return { pages, text: pageTexts.join(' '), pageTexts };
}

function binaryParser(res: request.Response, callback: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

describe('implementation report', () => {
  it('when opened in Kiswahili, then the report has the summary, a section per resolution, the ranking and the method', async () => {
    const { meeting, a, b } = await scenario();
    await publishedRanking(meeting, {
      entries: [{ institution: a, score: 100, rank: 1, grade: 'A', completed: 2 }, { institution: b, score: 25, rank: 2, grade: 'C' }],
      needsImprovement: [{ institution: b, score: 25, rank: 2, grade: 'C' }],
    });
    const { app } = buildTestApp();
    const res = await request(app).get(`/meetings/${meeting.id}/report`).expect(200);
    expect(res.text).to.contain('Taarifa ya Utekelezaji wa Maazimio');
    expect(res.text).to.contain('href="/css/print.css" media="print"');
    expect(res.text).not.to.contain('class="main-nav"');
    expect(res.text).to.contain('id="r-summary"');
    expect(res.text.match(/class="report-resolution"/g)).to.have.length(2);
    expect(res.text).to.contain('Kuimarisha usalama wa mifumo');
    expect(res.text).to.contain('Kuunganisha mifumo na GovESB');
    expect(res.text).to.contain('Taasisi za kwanza kukamilisha');
    expect(res.text).to.contain('Washindi');
    expect(res.text).to.contain('Zinazohitaji kuboresha');
    expect(res.text).to.match(/Zinazohitaji kuboresha<\/h3>\s*<ul class="report-columns"><li>Wizara ya Afya \(MOH\)/);
    expect(res.text).to.contain('id="r-method"');
    expect(res.text).to.contain('Mgawanyo wa alama');
  });

  it('when opened in English without a ranking, then it is in English and says the ranking is not published', async () => {
    const { meeting } = await scenario();
    const { app } = buildTestApp();
    const res = await request(app).get(`/meetings/${meeting.id}/report?lang=en`).expect(200);
    expect(res.text).to.contain('Implementation Report of the Resolutions');
    expect(res.text).to.contain('Strengthen systems security');
    expect(res.text).to.contain('The ranking for this meeting has not been published yet.');
  });

  it('when the PDF is asked for, then it parses and contains the resolution titles in the chosen language', async () => {
    const { meeting, a } = await scenario();
    await publishedRanking(meeting, { entries: [{ institution: a, score: 100, rank: 1, grade: 'A' }] });
    const { app } = buildTestApp();
    const res = await request(app).get(`/meetings/${meeting.id}/report.pdf?lang=en`).buffer(true).parse(binaryParser).expect(200);
    expect(res.headers['content-type']).to.equal('application/pdf');
    const body = res.body as Buffer;
    expect(body.subarray(0, 5).toString()).to.equal('%PDF-');
    const { pages, text } = await pdfText(body);
    expect(pages).to.be.greaterThan(1);
    expect(text).to.contain('Implementation Report of the Resolutions');
    expect(text).to.contain('Strengthen systems security');
    expect(text).to.contain('Connect systems to GovESB');
    expect(text).to.contain('Ministry of Finance');

    const sw = await request(app).get(`/meetings/${meeting.id}/report.pdf`).buffer(true).parse(binaryParser).expect(200);
    const swText = (await pdfText(sw.body as Buffer)).text;
    expect(swText).to.contain('Taarifa ya Utekelezaji wa Maazimio');
    expect(swText).to.contain('Kuimarisha usalama wa mifumo');
  });

  it('when the PDF is made, then it has a cover with the date, a contents page whose page numbers are right, and numbered pages', async () => {
    const { meeting, a } = await scenario();
    await publishedRanking(meeting, { entries: [{ institution: a, score: 100, rank: 1, grade: 'A' }] });
    const { app } = buildTestApp({ now: () => new Date('2025-03-04T08:00:00Z') });
    const res = await request(app).get(`/meetings/${meeting.id}/report.pdf?lang=en`).buffer(true).parse(binaryParser).expect(200);
    const { pages, pageTexts } = await pdfText(res.body as Buffer);
    // Cover: title, meeting and the date the report was made; no page number.
    expect(pageTexts[0]).to.contain('Implementation Report of the Resolutions');
    expect(pageTexts[0]).to.contain('Report generated');
    expect(pageTexts[0]).not.to.match(/Page 1 of/);
    // Contents on page 2, pointing at the page where each resolution really starts.
    expect(pageTexts[1]).to.contain('Contents');
    const entry = /Resolution 2: Connect systems to GovESB (\d+)/.exec(pageTexts[1]);
    expect(entry, pageTexts[1]).to.not.equal(null);
    const target = Number(entry?.[1]);
    expect(pageTexts[target - 1]).to.contain('Resolution 2: Connect systems to GovESB');
    for (let i = 2; i <= pages; i++) expect(pageTexts[i - 1]).to.contain(`Page ${i} of ${pages}`);
  });

  it('when the meeting is unknown, then 404 for both the page and the PDF', async () => {
    const { app } = buildTestApp();
    await request(app).get('/meetings/64b7f0000000000000000000/report').expect(404);
    await request(app).get('/meetings/64b7f0000000000000000000/report.pdf').expect(404);
  });
});
