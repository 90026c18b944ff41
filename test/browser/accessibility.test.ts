/**
 * Accessibility pass over the whole app: axe-core (WCAG 2.0/2.1 A and AA rules) on every kind of
 * page, public and signed-in, in both languages, plus a check that no page scrolls sideways on a
 * 375 px phone. Serious and critical violations fail the test; minor and moderate ones are
 * printed. Full-page screenshots at 375 px and 1280 px go to test-output/screenshots/a11y-*.png.
 */
import { expect } from 'chai';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ProgressItemModel } from '../../src/features/progress/progress.model.js';
import { buildTestApp } from '../helpers/app.js';
import { runAxe, WCAG_TAGS, type AxeViolation } from '../helpers/axe.js';
import { launchBrowser, screenshot, startServer } from '../helpers/browser.js';
import { createUser, type CreatedUser } from '../helpers/fixtures.js';
import { seedStakeholderMeeting, seedVerifiedProgress } from '../helpers/scenarios.js';
import { daysAgo, publishedRanking, DAY } from '../integration/public/public-fixtures.js';

interface PageCheck {
  path: string;
  name: string;
  /** Serious/critical violations and sideways scrolling here are reported, not asserted (see below). */
  reportOnly?: string;
  /** Expected HTTP status when not 200. */
  status?: number;
}

interface Finding {
  page: string;
  width: number;
  violation: AxeViolation;
}

/** A small but realistic meeting: 3 resolutions (one without English text), 8 institutions, progress and two ranking versions. */
async function seed() {
  const { meeting, resolutions, institutions } = await seedStakeholderMeeting({
    meeting: { reportingOpens: new Date(Date.now() - 20 * DAY), reportingCloses: new Date(Date.now() + 40 * DAY) },
    firstDueDaysAgo: 10,
    // Kiswahili only: English pages show it marked as a fallback (lang="sw").
    capacity: { title: { sw: 'Kuwajengea uwezo watumishi wa TEHAMA' }, text: { sw: 'Taasisi ziwapeleke watumishi wa TEHAMA kwenye mafunzo ya usalama wa mtandao.' } },
    institutionCodes: ['MOF', 'MOH', 'TRA', 'TANESCO', 'ARU-CC', 'MWZ-CC', 'RS-ARU', 'NBS'],
  });
  await seedVerifiedProgress(resolutions, institutions, {
    values: [
      { status: 'completed', percent: 100 },
      { status: 'in_progress', percent: 60 },
      { status: 'not_started', percent: 0 },
    ],
    skipEvery: 4,
    verifiedDaysAgo: () => 8,
    // Waiting for a reviewer: a claim with no verification yet.
    claimOnly: (inst, r) => (inst.code === 'MOF' && r.number === 1 ? { status: 'in_progress', percent: 70, at: daysAgo(3) } : undefined),
  });
  const entries = institutions.map((inst, i) => ({ institution: inst, score: 92 - i * 9, rank: i + 1, grade: (['A', 'A', 'B', 'B', 'C', 'C', 'D', 'D'] as const)[i] }));
  const ranking = await publishedRanking(meeting, { version: 1, publishedAt: daysAgo(5), entries, winners: 2, needsImprovement: entries.slice(6) });
  const admin = await createUser({ role: 'admin', name: 'Neema Afisa', email: 'neema@ega.go.tz' });
  const reviewer = await createUser({ role: 'reviewer', name: 'Baraka Mhakiki', email: 'baraka@ega.go.tz' });
  const focal = await createUser({ role: 'institution', institution: institutions[0], name: 'Asha Mratibu', email: 'asha@mof.go.tz' });
  const waiting = await ProgressItemModel.findOne({ institution: institutions[0]._id, resolution: resolutions[0]._id }).lean();
  return { meeting, resolutions, ranking, admin, reviewer, focal, waitingItemId: String(waiting!._id) };
}

describe('browser: accessibility (axe-core, WCAG 2.1 A/AA) and mobile layout of every page', function () {
  this.timeout(300_000);
  let browser: Browser | undefined;
  let server: { baseUrl: string; close: () => Promise<void> } | undefined;

  before(async () => {
    browser = await launchBrowser();
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  after(async () => {
    await browser?.close();
  });

  async function signIn(page: Page, base: string, who: CreatedUser): Promise<void> {
    await page.goto(`${base}/login`);
    await page.fill('#f-email', who.user.email);
    await page.fill('#f-password', who.password);
    await Promise.all([page.waitForURL((url) => !url.pathname.startsWith('/login')), page.click('form[action="/login"] button[type="submit"]')]);
  }

  /**
   * Visits each page at 1280 px and 375 px: axe at both widths, a screenshot at both, and the
   * sideways-scroll check on the phone. Returns the blocking findings; prints the rest.
   */
  async function checkPages(context: BrowserContext, base: string, pages: PageCheck[]): Promise<string[]> {
    const page = await context.newPage();
    const blocking: string[] = [];
    const minor: Finding[] = [];
    for (const p of pages) {
      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: width === 375 ? 740 : 900 });
        const res = await page.goto(`${base}${p.path}`);
        expect(res?.status(), `${p.path} status`).to.equal(p.status ?? 200);
        await screenshot(page, `a11y-${p.name}-${width}`);
        const violations = await runAxe(page);
        for (const v of violations) {
          const wcag = v.tags.some((tag) => WCAG_TAGS.includes(tag));
          const serious = wcag && (v.impact === 'serious' || v.impact === 'critical');
          if (serious && !p.reportOnly) {
            blocking.push(`${p.path} @${width}px ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${n.html.slice(0, 160)}`).join('\n    ')}`);
          } else minor.push({ page: p.path, width, violation: v });
        }
        if (width === 375) {
          const overflow = (await page.evaluate('({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })')) as { scroll: number; client: number };
          if (overflow.scroll > overflow.client) {
            const msg = `${p.path} @375px scrolls sideways: ${overflow.scroll}px wide`;
            if (p.reportOnly) minor.push({ page: p.path, width, violation: { id: 'horizontal-overflow', impact: 'serious', help: msg, tags: [], nodes: [] } });
            else blocking.push(msg);
          }
        }
      }
    }
    await page.close();
    for (const f of minor) {
      // Not failing: impact minor/moderate, best practice only, or a page owned elsewhere (see reportOnly).
      process.stdout.write(`      a11y note: ${f.page} @${f.width}px ${f.violation.id} (${f.violation.impact}): ${f.violation.help}${f.violation.nodes.length ? ` — ${f.violation.nodes[0].target.join(' ')}` : ''}\n`);
    }
    return blocking;
  }

  it('when anyone opens the public pages in Kiswahili and English, then axe finds no serious or critical violation and nothing scrolls sideways on a phone', async () => {
    const { meeting, resolutions, ranking } = await seed();
    server = await startServer(buildTestApp().app);
    const context = await (browser as Browser).newContext();
    const m = meeting.id as string;
    const pages: PageCheck[] = [
      { path: '/', name: 'home' },
      { path: '/login', name: 'login' },
      { path: '/meetings', name: 'meetings' },
      { path: `/meetings/${m}`, name: 'meeting' },
      { path: `/resolutions/${resolutions[0].id as string}`, name: 'resolution' },
      { path: '/institutions/MOF', name: 'institution' },
      { path: '/search?q=halmashauri', name: 'search' },
      { path: `/meetings/${m}/report`, name: 'report' },
      { path: '/api/docs', name: 'api-docs' },
      { path: '/no-such-page', name: 'not-found', status: 404 },
      { path: '/?lang=en', name: 'home-en' },
      { path: `/meetings/${m}?lang=en`, name: 'meeting-en' },
      { path: `/resolutions/${resolutions[2].id as string}?lang=en`, name: 'resolution-fallback-en' },
      { path: `/meetings/${m}/report?lang=en`, name: 'report-en' },
      { path: '/search?q=tehama&lang=en', name: 'search-en' },
      // The rankings views are owned by the rankings work in progress: findings there are reported to it, not asserted here.
      { path: '/rankings?lang=sw', name: 'rankings', reportOnly: 'rankings views' },
      { path: `/rankings/${ranking.id as string}?lang=sw`, name: 'ranking', reportOnly: 'rankings views' },
    ];
    const blocking = await checkPages(context, server.baseUrl, pages);
    // The fallback title is marked with its language for screen readers.
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/resolutions/${resolutions[2].id as string}?lang=en`);
    expect(await page.getAttribute('html', 'lang')).to.equal('en');
    expect(await page.locator('h1 [lang="sw"]').count()).to.equal(1);
    // The harness itself finds a real problem: an image without a text alternative.
    await page.evaluate(`document.querySelector('main').insertAdjacentHTML('beforeend', '<img src="/no-such.png" id="axe-probe">')`);
    expect((await runAxe(page)).map((v) => v.id)).to.include('image-alt');
    await context.close();
    expect(blocking, blocking.join('\n')).to.deep.equal([]);
  });

  it('when an institution focal person works on reports, then the signed-in pages pass axe and fit a phone', async () => {
    const { focal, waitingItemId } = await seed();
    server = await startServer(buildTestApp().app);
    const context = await (browser as Browser).newContext();
    const page = await context.newPage();
    await signIn(page, server.baseUrl, focal);
    await page.close();
    const blocking = await checkPages(context, server.baseUrl, [
      { path: '/progress', name: 'progress-dashboard' },
      { path: `/progress/items/${waitingItemId}`, name: 'progress-item' },
      { path: `/progress/items/${waitingItemId}/history`, name: 'progress-history' },
      { path: '/progress/bulk', name: 'progress-bulk' },
      { path: '/progress/import', name: 'progress-import' },
      { path: '/notifications', name: 'notifications' },
      { path: '/account', name: 'account' },
      { path: '/progress?lang=en', name: 'progress-dashboard-en' },
      { path: '/rankings/draft', name: 'ranking-draft', reportOnly: 'rankings views' },
    ]);
    await context.close();
    expect(blocking, blocking.join('\n')).to.deep.equal([]);
  });

  it('when e-GA staff review and administer, then the queue, lists, forms and audit log pass axe and fit a phone', async () => {
    const { admin, reviewer, meeting, resolutions, waitingItemId, ranking } = await seed();
    server = await startServer(buildTestApp().app);
    const base = server.baseUrl;

    const reviewerContext = await (browser as Browser).newContext();
    const rp = await reviewerContext.newPage();
    await signIn(rp, base, reviewer);
    await rp.close();
    const blocking = await checkPages(reviewerContext, base, [
      { path: '/review', name: 'review-queue' },
      { path: `/review/items/${waitingItemId}`, name: 'review-item' },
      { path: '/review/gaps', name: 'review-gaps' },
      { path: '/review/assess', name: 'review-assess' },
      { path: `/review/items/${waitingItemId}?lang=en`, name: 'review-item-en' },
    ]);
    await reviewerContext.close();

    const adminContext = await (browser as Browser).newContext();
    const ap = await adminContext.newPage();
    await signIn(ap, base, admin);
    await ap.close();
    const institutionId = (await ProgressItemModel.findById(waitingItemId).lean())!.institution.toString();
    blocking.push(
      ...(await checkPages(adminContext, base, [
        { path: '/admin', name: 'admin-dashboard' },
        { path: '/admin?lang=en', name: 'admin-dashboard-en' },
        { path: '/admin/meetings', name: 'admin-meetings' },
        { path: '/admin/meetings/new', name: 'admin-meeting-new' },
        { path: `/admin/meetings/${meeting.id as string}`, name: 'admin-meeting' },
        { path: `/admin/meetings/${meeting.id as string}/edit`, name: 'admin-meeting-edit' },
        { path: '/admin/resolutions', name: 'admin-resolutions' },
        { path: '/admin/resolutions/new', name: 'admin-resolution-new' },
        { path: `/admin/resolutions/${resolutions[0].id as string}`, name: 'admin-resolution' },
        { path: '/admin/institutions', name: 'admin-institutions' },
        { path: '/admin/institutions/new', name: 'admin-institution-new' },
        { path: `/admin/institutions/${institutionId}`, name: 'admin-institution' },
        { path: '/admin/institutions/import', name: 'admin-institutions-import' },
        { path: '/admin/users', name: 'admin-users' },
        { path: '/admin/users/new', name: 'admin-user-new' },
        { path: `/admin/users/${admin.user.id as string}`, name: 'admin-user' },
        { path: '/admin/audit', name: 'admin-audit' },
        { path: '/review/extensions', name: 'review-extensions' },
        { path: '/admin/users/new?lang=en', name: 'admin-user-new-en' },
        { path: '/admin/audit?lang=en', name: 'admin-audit-en' },
        { path: '/admin/rankings', name: 'admin-rankings', reportOnly: 'rankings views' },
        { path: `/admin/rankings/${ranking.id as string}`, name: 'admin-ranking', reportOnly: 'rankings views' },
      ])),
    );
    await adminContext.close();
    expect(blocking, blocking.join('\n')).to.deep.equal([]);
  });
});
