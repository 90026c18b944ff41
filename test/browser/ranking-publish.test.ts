import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { ObjectionModel } from '../../src/features/rankings/objection.model.js';
import { RankingModel } from '../../src/features/rankings/ranking.model.js';
import { screenshot, signIn, useBrowserSuite } from '../helpers/browser.js';
import { arrange, localInput } from '../integration/rankings/setup.js';

/** Serious or critical axe-core findings (WCAG 2.0/2.1 A and AA) on the current page. */
async function seriousAxeFindings(page: Page): Promise<string[]> {
  const source = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined'))) await page.evaluate(source);
  const options = JSON.stringify({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
  const violations = (await page.evaluate(`axe.run(document, ${options}).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, n: v.nodes.length })))`)) as {
    id: string;
    impact: string;
    n: number;
  }[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${page.url()}: ${v.id} (${v.n})`);
}

describe('browser: admin computes and publishes a ranking, the public sees the winners', function () {
  this.timeout(120_000);
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

    // An institution objected on resolution 2 asking for "completed": the answer form has no
    // decision chosen and the requested value pre-filled; the admin accepts.
    await ObjectionModel.create({
      ranking: id,
      institution: s.a._id,
      resolution: s.r2._id,
      reason: 'Mfumo umekamilika; tazama ripoti.',
      requestedStatus: 'completed',
      requestedPercent: 100,
      filedBy: s.userA.user._id,
      filedAt: new Date(),
    });
    await page.goto(`${base}/admin/rankings/${id}`);
    const findings = await seriousAxeFindings(page);
    expect(await page.isChecked('input[name="decision"][value="accept"]')).to.equal(false);
    expect(await page.isChecked('input[name="decision"][value="reject"]')).to.equal(false);
    expect(await page.inputValue('select[name="status"]')).to.equal('completed');
    await page.goto(`${base}/admin/rankings/${id}/publish`);
    expect(await page.textContent('main')).to.include('Rasimu hii haiwezi kuchapishwa bado');
    await page.goto(`${base}/admin/rankings/${id}`);
    await page.check('input[name="decision"][value="accept"]');
    await page.fill('textarea[name="answer"]', 'Tumekubali: ushahidi unaonyesha mfumo umekamilika.');
    await screenshot(page, 'ranking-02b-answer-objection');
    await Promise.all([page.waitForURL(`${base}/admin/rankings/${id}`), page.click('form[action$="/answer"] button[type="submit"]')]);
    expect(await ObjectionModel.findOne().lean()).to.include({ state: 'accepted', correctedStatus: 'completed', correctedPercent: 100 });

    // Publishing is irreversible: the draft page leads to a confirmation page (no JavaScript).
    await Promise.all([page.waitForURL(`${base}/admin/rankings/${id}/publish`), page.click(`a[href="/admin/rankings/${id}/publish"]`)]);
    await screenshot(page, 'ranking-03-confirm-publish');
    const confirmText = await page.textContent('main');
    expect(confirmText).to.include('toleo 1').and.include('haliwezi kubadilishwa wala kufutwa');
    expect((await RankingModel.findById(id).lean())?.status).to.equal('draft');
    findings.push(...(await seriousAxeFindings(page)));
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'ranking-03b-confirm-publish-390');
    findings.push(...(await seriousAxeFindings(page)));
    expect(findings, findings.join('\n')).to.deep.equal([]);
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
