import { expect } from 'chai';
import { buildTestApp } from '../../helpers/app.js';
import { createUser } from '../../helpers/fixtures.js';
import { signIn } from '../../helpers/http.js';

const ADMIN_MENUS = ['/admin/meetings', '/admin/resolutions', '/admin/institutions', '/admin/rankings', '/admin/users', '/admin/audit'];

/** The hrefs of the main navigation of a rendered page. */
function navLinks(html: string): string[] {
  const nav = /<nav[^>]*>([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '';
  return [...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!);
}

describe('main navigation by role', () => {
  it('when a reviewer opens the review queue, then the header offers the queue and no administration menu', async () => {
    const { app } = buildTestApp();
    const reviewer = await signIn(app, await createUser({ role: 'reviewer' }));
    const res = await reviewer.get('/review');
    expect(res.status).to.equal(200);
    const links = navLinks(res.text);
    expect(links).to.include('/review');
    for (const menu of ADMIN_MENUS) expect(links, menu).to.not.include(menu);
  });

  it('when an admin opens the dashboard, then every administration menu is in the header', async () => {
    const { app } = buildTestApp();
    const admin = await signIn(app, await createUser({ role: 'admin' }));
    const res = await admin.get('/admin');
    expect(res.status).to.equal(200);
    expect(navLinks(res.text)).to.include.members(ADMIN_MENUS);
  });
});
