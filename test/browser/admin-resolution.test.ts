import { expect } from 'chai';
import { ResolutionModel } from '../../src/features/resolutions/resolution.model.js';
import { seedReferenceData } from '../../src/seed/reference.seed.js';
import { screenshot, signIn, useBrowserSuite } from '../helpers/browser.js';
import { createUser } from '../helpers/fixtures.js';

describe('browser: admin creates a resolution, the public sees it in both languages', function () {
  this.timeout(90_000);
  const suite = useBrowserSuite();

  it('when an admin signs in and creates a bilingual resolution, then after sign-out the home page shows it in Kiswahili and English', async () => {
    await seedReferenceData({ now: new Date() });
    const admin = await createUser({ role: 'admin', email: 'afisa@ega.go.tz' });
    const base = await suite.appUrl();
    const page = await suite.browser.newPage({ viewport: { width: 1280, height: 900 } });

    await signIn(page, base, admin, '/admin');

    await page.goto(`${base}/admin/resolutions/new`);
    await screenshot(page, 'admin-resolution-01-new-form');
    // The 4th session is preselected (newest first) with the next free number.
    expect(await page.inputValue('#f-number')).to.equal('12');
    await page.fill('#f-titleSw', 'Kutumia saini za kielektroniki katika nyaraka za Serikali');
    await page.fill('#f-titleEn', 'Use electronic signatures on Government documents');
    await page.fill('#f-textSw', 'Taasisi zote za umma zianze kutumia saini za kielektroniki zinazotambuliwa kisheria katika nyaraka rasmi.');
    await page.fill('#f-textEn', 'All public institutions start using legally recognised electronic signatures on official documents.');
    await page.selectOption('#f-category', 'digital_services');
    await page.fill('#f-dueDate', '31/12/2025');
    await Promise.all([page.waitForURL(/\/admin\/resolutions\/[0-9a-f]{24}$/), page.click('form.form button[type="submit"]')]);
    await screenshot(page, 'admin-resolution-02-created');
    expect(await page.textContent('h1')).to.include('Kutumia saini za kielektroniki');
    const stored = await ResolutionModel.findOne({ number: 12 }).lean();
    expect(stored?.title.en).to.equal('Use electronic signatures on Government documents');

    await Promise.all([page.waitForURL(`${base}/`), page.click('form[action="/logout"] button')]);
    await page.goto(`${base}/`);
    await screenshot(page, 'admin-resolution-03-home-sw');
    const sw = await page.textContent('main');
    expect(sw).to.include('Kutumia saini za kielektroniki katika nyaraka za Serikali');
    expect(sw).to.include('Kikao Kazi cha Nne cha Serikali Mtandao');
    expect(await page.locator('a[href="/login"]').count()).to.be.greaterThan(0);

    await Promise.all([page.waitForURL(/lang=en/), page.click('a.lang-switch')]);
    await screenshot(page, 'admin-resolution-04-home-en');
    const en = await page.textContent('main');
    expect(en).to.include('Use electronic signatures on Government documents');
    expect(en).to.include('Fourth e-Government Working Session');
    expect(await page.getAttribute('html', 'lang')).to.equal('en');
  });

  it('when an admin browses institutions and dry-runs a CSV file, then the pages render cleanly', async () => {
    await seedReferenceData({ now: new Date() });
    const admin = await createUser({ role: 'admin', email: 'afisa2@ega.go.tz' });
    const base = await suite.appUrl();
    const page = await suite.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, base, admin, '/admin');

    await page.goto(`${base}/admin/institutions?type=lga`);
    await screenshot(page, 'admin-institutions-list');
    expect(await page.locator('input[name="ids"]').count()).to.be.greaterThan(10);

    await page.goto(`${base}/admin/meetings`);
    await screenshot(page, 'admin-meetings-list');
    await Promise.all([page.waitForURL(/\/admin\/meetings\/[0-9a-f]{24}$/), page.click('a:has-text("Kikao Kazi cha Nne")')]);
    await screenshot(page, 'admin-meeting-detail');
    await Promise.all([page.waitForURL(/\/admin\/resolutions\/[0-9a-f]{24}$/), page.click('a:has-text("Kuanzisha vitengo vya TEHAMA")')]);
    await page.goto(`${page.url()}?lang=en`);
    await screenshot(page, 'admin-resolution-carried-over-en');
    expect(await page.textContent('main')).to.include('Carried over from');
    await page.goto(`${base}/admin/resolutions?lang=sw`);
    await screenshot(page, 'admin-resolutions-list');

    await page.goto(`${base}/admin/institutions/import`);
    const csv = 'code,name_sw,name_en,type,region,parent_code\nMIN-201,Wizara Mpya,New Ministry,ministry,Dodoma,\nMIN-001,Nakala,Copy,ministry,Mbeya,\nLGA-201,Halmashauri,Council,lga,Atlantis,MIN-201';
    await page.setInputFiles('#f-file', { name: 'taasisi.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await Promise.all([page.waitForLoadState('load'), page.click('form[enctype="multipart/form-data"] button[type="submit"]')]);
    await screenshot(page, 'admin-csv-dry-run');
    expect(await page.textContent('main')).to.include('Safu 2 kati ya 3 zina makosa.');
  });
});
