import { expect } from 'chai';
import { RankingModel } from '../../src/features/rankings/ranking.model.js';
import { screenshot, signIn, useBrowserSuite } from '../helpers/browser.js';
import { arrange, localInput } from '../integration/rankings/setup.js';

describe('browser: admin computes and publishes a ranking, the public sees the winners', function () {
  this.timeout(90_000);
  const suite = useBrowserSuite();

  it('when an admin computes a draft and publishes it, then the public ranking page shows the winners in both languages', async () => {
    const s = await arrange();
    const base = await suite.appUrl();
    const page = await suite.browser.newPage({ viewport: { width: 1280, height: 900 } });

    await signIn(page, base, s.admin);

    await page.goto(`${base}/admin/rankings`);
    await page.selectOption('#f-meeting', String(s.meeting._id));
    await page.fill('#f-cutoff', localInput(s.cutoff));
    await screenshot(page, 'ranking-01-new-draft');
    await Promise.all([page.waitForURL(/\/admin\/rankings\/[0-9a-f]{24}$/), page.click('form[action="/admin/rankings"] button[type="submit"]')]);
    await screenshot(page, 'ranking-02-draft');
    const id = /([0-9a-f]{24})$/.exec(page.url())![1];
    expect(await page.textContent('main')).to.include('Wizara A');
    expect((await RankingModel.findById(id).lean())?.status).to.equal('draft');

    // The draft is not public yet.
    const anon = await suite.browser.newPage();
    const hidden = await anon.goto(`${base}/rankings/${id}`);
    expect(hidden?.status()).to.equal(404);

    // Publishing is irreversible: the draft page leads to a confirmation page (no JavaScript).
    await Promise.all([page.waitForURL(`${base}/admin/rankings/${id}/publish`), page.click(`a[href="/admin/rankings/${id}/publish"]`)]);
    await screenshot(page, 'ranking-03-confirm-publish');
    const confirmText = await page.textContent('main');
    expect(confirmText).to.include('toleo 1').and.include('haliwezi kubadilishwa wala kufutwa');
    expect((await RankingModel.findById(id).lean())?.status).to.equal('draft');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'ranking-03b-confirm-publish-390');
    await page.setViewportSize({ width: 1280, height: 900 });
    await Promise.all([page.waitForURL(`${base}/admin/rankings/${id}`), page.click('button[name="confirm"][value="yes"]')]);
    await screenshot(page, 'ranking-03c-published-admin');
    expect((await RankingModel.findById(id).lean())).to.include({ status: 'published', version: 1 });

    await anon.goto(`${base}/rankings/${id}`);
    await screenshot(anon, 'ranking-04-public-sw');
    const winners = await anon.textContent('ul.winners');
    expect(winners).to.include('Wizara A');
    expect(await anon.textContent('main')).to.include('Washindi').and.include('Halmashauri C');
    await Promise.all([anon.waitForURL(/lang=en/), anon.click('a.lang-switch')]);
    await screenshot(anon, 'ranking-05-public-en');
    expect(await anon.textContent('main')).to.include('Winners').and.include('How the ranking is made');
    expect(await anon.textContent('ul.winners')).to.include('Ministry A');
    await anon.goto(`${base}/rankings/${id}/institutions/MIN-B?lang=en`);
    await screenshot(anon, 'ranking-06-breakdown-en');
    expect(await anon.textContent('main')).to.include('200/3');
  });
});
