import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { InstitutionModel } from '../../src/features/institutions/institution.model.js';
import { RankingModel } from '../../src/features/rankings/ranking.model.js';
import { screenshot, signIn, useBrowserSuite } from '../helpers/browser.js';
import { arrange, localInput } from '../integration/rankings/setup.js';

describe('browser: an admin defines an award category, publishes and downloads a certificate', function () {
  this.timeout(120_000);
  const suite = useBrowserSuite();

  it('when an admin adds a category judged by maturity level and publishes, then the winner certificate downloads as a PDF', async () => {
    const s = await arrange();
    await InstitutionModel.updateOne({ _id: s.a._id }, { $set: { maturityLevel: 4, maturityAssessedOn: new Date('2024-06-30') } });
    await InstitutionModel.updateOne({ _id: s.b._id }, { $set: { maturityLevel: 3, maturityAssessedOn: new Date('2024-06-30') } });
    const base = await suite.appUrl();
    const page = await suite.browser.newPage({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    await signIn(page, base, s.admin);

    await page.goto(`${base}/admin/rankings`);
    await page.selectOption('#f-meeting', String(s.meeting._id));
    await page.fill('#f-cutoff', localInput(s.cutoff));
    await page.selectOption('#f-period', '2023/24');
    await Promise.all([page.waitForURL(/\/admin\/rankings\/[0-9a-f]{24}$/), page.click('form[action="/admin/rankings"] button[type="submit"]')]);
    const id = /([0-9a-f]{24})$/.exec(page.url())![1];

    await Promise.all([page.waitForURL(`${base}/admin/rankings/${id}/categories/new`), page.click(`a[href="/admin/rankings/${id}/categories/new"]`)]);
    await page.fill('#f-nameSw', 'Utendaji Bora katika GovESB');
    await page.fill('#f-nameEn', 'Best Performance in GovESB');
    await page.fill(`#c-${String(s.r1._id)}`, '1');
    await page.selectOption('#f-grouping', 'maturity');
    await page.fill('#f-top', '4');
    await screenshot(page, 'awards-01-category-form-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'awards-01b-category-form-390');
    await page.setViewportSize({ width: 1280, height: 900 });
    await Promise.all([page.waitForURL(new RegExp(`/admin/rankings/${id}`)), page.click('form[action$="/categories"] button[type="submit"]')]);
    expect(await page.textContent('#categories-h + article')).to.include('Utendaji Bora katika GovESB');
    await screenshot(page, 'awards-02-draft-with-category');

    await Promise.all([page.waitForURL(`${base}/admin/rankings/${id}/publish`), page.click(`a[href="/admin/rankings/${id}/publish"]`)]);
    await Promise.all([page.waitForURL(`${base}/admin/rankings/${id}`), page.click('button[name="confirm"][value="yes"]')]);
    expect((await RankingModel.findById(id).lean())?.status).to.equal('published');
    await page.goto(`${base}/admin/rankings/${id}?lang=en`);
    await screenshot(page, 'awards-03-published-categories-en');

    const link = `/admin/rankings/${id}/certificates/best-performance-in-govesb/${String(s.a._id)}.pdf`;
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`a[href="${link}"]`)]);
    const file = await download.path();
    const pdf = await readFile(file);
    expect(pdf.subarray(0, 5).toString()).to.equal('%PDF-');
    expect(download.suggestedFilename()).to.match(/^cheti-best-performance-in-govesb-[0-9a-f]{24}\.pdf$/);

    const publicPage = await suite.browser.newPage({ viewport: { width: 390, height: 844 } });
    await publicPage.goto(`${base}/rankings/${id}#cat-best-performance-in-govesb`);
    expect(await publicPage.textContent('main')).to.include('Utendaji Bora katika GovESB').and.include('Mwaka wa fedha 2023/24');
    await screenshot(publicPage, 'awards-04-public-categories-390');
  });
});
