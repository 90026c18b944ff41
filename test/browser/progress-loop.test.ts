import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { ProgressItemModel, ProgressReportModel } from '../../src/features/progress/progress.model.js';
import { screenshot, signIn, useBrowserSuite } from '../helpers/browser.js';
import { createInstitution, createMeeting, createResolution, createUser } from '../helpers/fixtures.js';
import { pdfBytes } from '../integration/progress/scenario.js';

const DAY = 24 * 3600 * 1000;

describe('browser: claim, return, resubmit, verify, public page', function () {
  this.timeout(120_000);
  const suite = useBrowserSuite();

  async function signOut(page: Page): Promise<void> {
    await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/progress') && !url.pathname.startsWith('/review')), page.click('form[action="/logout"] button')]);
  }

  it('when an institution reports 60% with a PDF, is returned, resubmits completed and is verified, then the public meeting page shows it completed', async () => {
    const now = Date.now();
    const meeting = await createMeeting({ number: 4, reportingOpens: new Date(now - 10 * DAY), reportingCloses: new Date(now + 30 * DAY) });
    const resolution = await createResolution({
      meeting,
      number: 1,
      title: { sw: 'Kuunganisha mifumo na GovESB', en: 'Connect systems to GovESB' },
      appliesTo: ['ministry'],
    });
    const institution = await createInstitution({ type: 'ministry', name: { sw: 'Wizara ya Majaribio', en: 'Ministry of Testing' }, acronym: 'WM' });
    const focal = await createUser({ role: 'institution', institution, name: 'Asha Mratibu', email: 'asha@wm.go.tz' });
    const reviewer = await createUser({ role: 'reviewer', name: 'Baraka Mhakiki', email: 'baraka@ega.go.tz' });
    const base = await suite.appUrl();
    const page = await suite.browser.newPage({ viewport: { width: 1280, height: 1000 } });

    // 1. The institution reports in_progress 60% with a PDF.
    await signIn(page, base, focal);
    await page.goto(`${base}/progress`);
    await screenshot(page, 'progress-01-dashboard');
    expect(await page.textContent('main')).to.include('Kuunganisha mifumo na GovESB');
    await Promise.all([page.waitForURL(/\/progress\/items\/[0-9a-f]{24}$/), page.click('table a[href^="/progress/items/"]:not([href$="/history"])')]);
    const itemUrl = page.url();
    await page.selectOption('#f-status', 'in_progress');
    await page.fill('#f-percent', '60');
    await page.fill('#f-narrative', 'Mifumo mitatu kati ya mitano imeunganishwa na GovESB.');
    await page.setInputFiles('#f-files', { name: 'ripoti-govesb.pdf', mimeType: 'application/pdf', buffer: pdfBytes('GovESB') });
    await screenshot(page, 'progress-02-report-form');
    await Promise.all([page.waitForURL(itemUrl), page.click('form[enctype="multipart/form-data"] button[type="submit"]')]);
    await screenshot(page, 'progress-03-submitted');
    expect(await page.textContent('main')).to.include('Taarifa yenu imehifadhiwa');
    expect(await page.textContent('main')).to.include('ripoti-govesb.pdf');
    await signOut(page);

    // 2. The reviewer returns it with a comment.
    await signIn(page, base, reviewer);
    await page.goto(`${base}/review`);
    await screenshot(page, 'progress-04-review-queue');
    await Promise.all([page.waitForURL(/\/review\/items\/[0-9a-f]{24}$/), page.click('table a[href^="/review/items/"]')]);
    const reviewUrl = page.url();
    expect(await page.textContent('main')).to.include('ripoti-govesb.pdf');
    await page.fill('#r-comment', 'Tafadhali ambatisheni ripoti ya majaribio ya mifumo yote.');
    await screenshot(page, 'progress-05-review-item');
    await Promise.all([page.waitForURL(reviewUrl), page.click('form[action$="/return"] button[type="submit"]')]);
    expect(await page.textContent('main')).to.include('Imerudishwa kwa taasisi');
    await signOut(page);

    // 3. The institution sees the comment and resubmits completed with evidence.
    await signIn(page, base, focal);
    await page.goto(`${base}/progress`);
    expect(await page.textContent('main')).to.include('Imerudishwa kwa marekebisho');
    expect(await page.locator('a[href="/notifications"] .badge-count').textContent()).to.match(/1/);
    await page.goto(itemUrl);
    expect(await page.textContent('main')).to.include('Tafadhali ambatisheni ripoti ya majaribio');
    await screenshot(page, 'progress-06-returned');
    await page.selectOption('#f-status', 'completed');
    await page.fill('#f-percent', '100');
    await page.fill('#f-narrative', 'Mifumo yote mitano imeunganishwa na GovESB. Ripoti ya majaribio imeambatishwa.');
    await page.fill('#f-links', 'https://www.wm.go.tz/govesb/ripoti');
    await Promise.all([page.waitForURL(itemUrl), page.click('form[enctype="multipart/form-data"] button[type="submit"]')]);
    await screenshot(page, 'progress-07-resubmitted');
    await signOut(page);

    // 4. The reviewer verifies.
    await signIn(page, base, reviewer);
    await page.goto(reviewUrl);
    expect(await page.inputValue('#v-percent')).to.equal('100');
    await Promise.all([page.waitForURL(reviewUrl), page.click('form[action$="/verify"] button[type="submit"]')]);
    await screenshot(page, 'progress-08-verified');
    expect(await page.textContent('main')).to.include('Imehakikiwa');
    const item = await ProgressItemModel.findOne({ institution: institution._id, resolution: resolution._id }).lean();
    expect(item).to.include({ state: 'verified', lastVersion: 4 });
    expect(item!.verified).to.include({ status: 'completed', percent: 100 });
    expect((await ProgressReportModel.find({ item: item!._id }).sort({ version: 1 }).lean()).map((r) => r.kind)).to.deep.equal([
      'claim',
      'return',
      'claim',
      'verification',
    ]);

    // The history shows the whole loop with a diff; the same pages work in English.
    await page.goto(`${itemUrl}/history`);
    await screenshot(page, 'progress-09-history');
    await page.goto(`${reviewUrl}?lang=en`);
    await screenshot(page, 'progress-09b-review-item-en');
    expect(await page.textContent('main')).to.include('Verified by e-GA');
    await page.goto(`${base}/review?state=verified`);
    expect(await page.textContent('main')).to.include('Connect systems to GovESB');
    await page.goto(`${base}/review?lang=sw`);
    await signOut(page);
    await signIn(page, base, focal);
    await page.goto(`${base}/progress?lang=en`);
    await screenshot(page, 'progress-09c-dashboard-en');
    const dashEn = await page.textContent('main');
    expect(dashEn).to.include('Progress on resolutions');
    expect(dashEn).to.include('Verified');
    await page.goto(`${base}/progress?lang=sw`);
    await signOut(page);

    // 5. The public meeting page (no login) reflects the verified status, in both languages.
    await page.goto(`${base}/meetings/${meeting._id}`);
    await screenshot(page, 'progress-10-public-meeting-sw');
    const sw = await page.textContent('main');
    expect(sw).to.include('Kuunganisha mifumo na GovESB');
    expect(sw).to.match(/Imekamilika:\s*1/);
    await page.goto(`${base}/meetings/${meeting._id}?lang=en`);
    await screenshot(page, 'progress-11-public-meeting-en');
    expect(await page.textContent('main')).to.match(/Completed:\s*1/);
  });
});
