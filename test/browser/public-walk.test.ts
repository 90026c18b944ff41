import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { blockingViolations, runAxe } from '../helpers/axe.js';
import { screenshot, useBrowserSuite } from '../helpers/browser.js';
import { seedReviewedMeeting } from '../helpers/scenarios.js';
import { createMeeting } from '../helpers/fixtures.js';
import { daysAgo, publishedRanking } from '../integration/public/public-fixtures.js';

/** The meeting being implemented (verified progress, a published ranking) and the next one being prepared. */
async function seed() {
  const { meeting, resolutions, institutions } = await seedReviewedMeeting({ status: 'held' });
  const ranking = await publishedRanking(meeting, {
    version: 1,
    publishedAt: daysAgo(3),
    entries: institutions.map((inst, i) => ({ institution: inst, score: 88.4 - i * 6.3, rank: i + 1, grade: (['A', 'A', 'B', 'B', 'C', 'C', 'D'] as const)[Math.min(6, i)] })),
    winners: 3,
    needsImprovement: [],
  });
  await createMeeting({ number: 5, status: 'planned', title: { sw: 'Kikao cha Tano cha Wadau wa Serikali Mtandao', en: 'Fifth e-Government Stakeholders Session' } });
  return { meeting, resolutions, ranking };
}

/** Follows a link as a visitor would and waits for the next page (the pages need no JavaScript; axe does). */
async function follow(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
}

describe('browser: the public walk before the next meeting (home → meeting → resolution → scorecard → ranking → report)', function () {
  this.timeout(600_000);
  const suite = useBrowserSuite();

  for (const lang of ['sw', 'en'] as const) {
    for (const width of [1280, 390]) {
      it(`when a visitor walks through in ${lang === 'sw' ? 'Kiswahili' : 'English'} at ${width} px, then every page passes axe, fits the screen and shows verified figures`, async () => {
        const { meeting, resolutions, ranking } = await seed();
        const base = await suite.appUrl();
        const context = await suite.browser.newContext({ viewport: { width, height: 900 } });
        const page = await context.newPage();
        const blocking: string[] = [];
        const check = async (name: string) => {
          await screenshot(page, `public-walk-${lang}-${width}-${name}`);
          blocking.push(...blockingViolations(await runAxe(page), `${name} @${width}px ${lang}`));
          const size = (await page.evaluate('({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })')) as { scroll: number; client: number };
          if (size.scroll > size.client) blocking.push(`${name} @${width}px ${lang} scrolls sideways: ${size.scroll}px`);
        };

        await page.goto(`${base}/?lang=${lang}`);
        const home = await page.textContent('main');
        expect(home).to.contain(lang === 'sw' ? 'Maazimio yanayotekelezwa' : 'Being implemented');
        expect(home).to.contain(lang === 'sw' ? 'Kikao kinachoandaliwa' : 'Being prepared');
        expect(await page.locator('.resolution-progress progress').count()).to.equal(3);
        expect(await page.locator('.stat').count()).to.equal(4);
        expect(await page.locator('.award-card li').count()).to.equal(3);
        await check('01-home');

        await follow(page, `#impl-h a[href="/meetings/${String(meeting._id)}"]`);
        expect(await page.locator('#regions-h ~ figure details').count()).to.equal(1);
        await check('02-meeting');

        await follow(page, `.resolution-card a[href="/resolutions/${String(resolutions[0]._id)}"]`);
        expect(await page.locator('table.data-table tbody tr').count()).to.equal(12);
        await check('03-resolution');

        await follow(page, 'a[href="/institutions/MOF"]');
        expect(await page.textContent('#claims-h')).to.contain(lang === 'sw' ? 'Thamani iliyodaiwa na iliyohakikiwa' : 'Claimed and verified values');
        expect(await page.textContent('main')).not.to.match(/\bv1\b/);
        await check('04-scorecard');

        await follow(page, `a[href="/rankings/${String(ranking._id)}"]`);
        expect(page.url()).to.contain(`/rankings/${String(ranking._id)}`);
        await check('05-ranking');

        await page.goto(`${base}/meetings/${String(meeting._id)}/report`);
        expect(await page.locator('.report-resolution').count()).to.equal(3);
        await check('06-report');
        await context.close();
        expect(blocking, blocking.join('\n')).to.deep.equal([]);
      });
    }
  }
});
