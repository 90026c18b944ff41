import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { screenshot, useBrowserSuite } from '../helpers/browser.js';
import { seedReviewedMeeting } from '../helpers/scenarios.js';
import { daysAgo, publishedRanking } from '../integration/public/public-fixtures.js';

/** A small but varied meeting: 3 resolutions, 12 institutions over 4 peer groups and regions. */
async function seedMeeting() {
  const { meeting, resolutions, institutions } = await seedReviewedMeeting();
  await publishedRanking(meeting, {
    version: 1,
    publishedAt: daysAgo(20),
    entries: institutions.map((inst, i) => ({ institution: inst, score: 90 - i * 7, rank: i + 1, grade: (['A', 'A', 'B', 'B', 'C', 'C', 'D'] as const)[Math.min(6, i)] })),
    winners: 2,
    needsImprovement: [],
  });
  await publishedRanking(meeting, {
    version: 2,
    publishedAt: daysAgo(2),
    entries: institutions.map((inst, i) => ({ institution: inst, score: 95 - i * 8, rank: i === 0 ? 2 : i === 1 ? 1 : i + 1, grade: (['A', 'A', 'B', 'B', 'C', 'C', 'D'] as const)[Math.min(6, i)] })),
    winners: 3,
    needsImprovement: institutions.slice(9).map((inst, i) => ({ institution: inst, score: 10 + i, rank: 10 + i, grade: 'D' as const })),
  });
  return { meeting, resolutions };
}

async function clickAndWait(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForLoadState('load'), page.waitForURL(/.*/), page.click(selector)]);
  await page.waitForLoadState('load');
}

describe('browser: the public reviews a meeting (archive → meeting → resolution → institution → report)', function () {
  this.timeout(120_000);
  const suite = useBrowserSuite();

  it('when a visitor walks from the archive to the report, then every page shows verified progress without JavaScript', async () => {
    const { meeting, resolutions } = await seedMeeting();
    const base = await suite.appUrl();
    const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
    const page = await context.newPage();

    await page.goto(`${base}/meetings`);
    expect(await page.textContent('h1')).to.contain('Kumbukumbu ya vikao');
    await screenshot(page, 'public-review-01-archive');

    await clickAndWait(page, `a[href="/meetings/${meeting.id}"]`);
    expect(page.url()).to.equal(`${base}/meetings/${meeting.id}`);
    expect(await page.textContent('h1')).to.contain('Kikao cha Nne cha Wadau wa Serikali Mtandao');
    expect(await page.locator('.resolution-card').count()).to.equal(3);
    expect(await page.locator('figure.chart-status svg[role="img"]').count()).to.be.greaterThan(3);
    expect(await page.textContent('body')).to.contain('Washindi');
    await screenshot(page, 'public-review-02-meeting');

    await clickAndWait(page, `a[href="/resolutions/${resolutions[0].id}"]`);
    expect(await page.textContent('h1')).to.contain('Kuimarisha usalama wa mifumo ya TEHAMA');
    const allRows = await page.locator('table.data-table tbody tr').count();
    expect(allRows).to.equal(12);
    await screenshot(page, 'public-review-03-resolution');

    // Filter with the GET form (no JavaScript): only ministries.
    await page.selectOption('#f-type', 'ministry');
    await clickAndWait(page, 'form.filters button[type="submit"]');
    expect(page.url()).to.contain('type=ministry');
    expect(await page.locator('table.data-table tbody tr').count()).to.equal(3);
    await screenshot(page, 'public-review-04-resolution-filtered');

    await clickAndWait(page, 'a[href="/institutions/MOF"]');
    expect(await page.textContent('h1')).to.contain('Wizara ya Fedha');
    expect(await page.locator('.chart-trend svg').count()).to.equal(1);
    await screenshot(page, 'public-review-05-institution');

    await page.goto(`${base}/meetings/${meeting.id}`);
    await clickAndWait(page, `a[href="/meetings/${meeting.id}/report"]`);
    expect(await page.textContent('h1')).to.contain('Kikao cha Nne');
    expect(await page.locator('.report-resolution').count()).to.equal(3);
    await screenshot(page, 'public-review-06-report');
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.report-nav').isVisible()).to.equal(false);
    await screenshot(page, 'public-review-07-report-print');
    await page.emulateMedia({ media: 'screen' });

    // The same report in English through the language switch.
    await clickAndWait(page, 'a.lang-switch');
    expect(await page.textContent('body')).to.contain('Implementation Report of the Resolutions');
    expect(await page.textContent('body')).to.contain('Strengthen ICT systems security');
    await screenshot(page, 'public-review-08-report-en');

    await page.goto(`${base}/search?q=halmashauri`);
    expect(await page.locator('ul.results li').count()).to.equal(3);
    await screenshot(page, 'public-review-09-search');
    await context.close();
  });
});
