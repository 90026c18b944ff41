import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProgressReportModel } from '../../src/features/progress/progress.model.js';
import { InstitutionModel } from '../../src/features/institutions/institution.model.js';
import { VIEWS_DIR } from '../../src/paths.js';
import { buildScenario, itemOf, pdfBytes, signIn, tokenOf } from '../integration/progress/scenario.js';

function viewFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? viewFiles(join(dir, e.name)) : e.name.endsWith('.hbs') ? [join(dir, e.name)] : []));
}

describe('security: CSRF tokens of multipart forms', () => {
  it('when any view renders a form, then no CSRF token is put in a URL', () => {
    const offenders = viewFiles(VIEWS_DIR).filter((f) => /[?&]_csrf=/.test(readFileSync(f, 'utf8')));
    expect(offenders).to.deep.equal([]);
  });

  it('when the report form is rendered, then its action has no token and the token field comes first', async () => {
    const s = await buildScenario();
    const agent = await signIn(s.app, s.userA);
    const item = await itemOf(agent, s.instA, s.r1);
    const page = await agent.get(`/progress/items/${item._id}`);
    const form = /<form[^>]*enctype="multipart\/form-data"[^>]*>\s*<input type="hidden" name="_csrf" value="[^"]+">/.exec(page.text);
    expect(form, 'multipart form whose first field is _csrf').to.not.equal(null);
    expect(form?.[0]).to.not.contain('?_csrf');
  });

  it('when a multipart report carries the token only in the query string, then 403 and nothing is stored', async () => {
    const s = await buildScenario();
    const agent = await signIn(s.app, s.userA);
    const item = await itemOf(agent, s.instA, s.r1);
    const token = await tokenOf(agent, `/progress/items/${item._id}`);
    const res = await agent
      .post(`/progress/items/${item._id}/reports?_csrf=${encodeURIComponent(token)}`)
      .field('revision', String(item.revision))
      .field('status', 'in_progress')
      .field('percent', '40')
      .attach('files', pdfBytes(), 'ripoti.pdf');
    expect(res.status).to.equal(403);
    expect(await ProgressReportModel.countDocuments()).to.equal(0);
  });

  it('when the token is in the multipart body, then the report is stored; a wrong body token is refused', async () => {
    const s = await buildScenario();
    const agent = await signIn(s.app, s.userA);
    const item = await itemOf(agent, s.instA, s.r1);
    const token = await tokenOf(agent, `/progress/items/${item._id}`);
    const post = (t: string) =>
      agent
        .post(`/progress/items/${item._id}/reports`)
        .field('_csrf', t)
        .field('revision', String(item.revision))
        .field('status', 'in_progress')
        .field('percent', '40')
        .attach('files', pdfBytes(), 'ripoti.pdf');
    expect((await post('forged-token')).status).to.equal(403);
    expect(await ProgressReportModel.countDocuments()).to.equal(0);
    expect((await post(token)).status).to.equal(302);
    expect(await ProgressReportModel.countDocuments()).to.equal(1);
  });

  it('when a CSV import is posted with the token in the query string, then 403 and nothing is imported', async () => {
    const s = await buildScenario();
    const admin = await signIn(s.app, s.admin);
    const token = await tokenOf(admin, '/admin/institutions/import');
    const before = await InstitutionModel.countDocuments();
    const csv = 'code,name_sw,name_en,acronym,type,region,parent_code,active\nMIN-901,Wizara ya Majaribio,,WM,ministry,Dodoma,,true\n';
    const res = await admin
      .post(`/admin/institutions/import?_csrf=${encodeURIComponent(token)}`)
      .field('mode', 'import')
      .attach('file', Buffer.from(csv), { filename: 'x.csv', contentType: 'text/csv' });
    expect(res.status).to.equal(403);
    expect(await InstitutionModel.countDocuments()).to.equal(before);
  });

  it('when a multipart post goes to a route that takes no files, then the usual check refuses it without a body token', async () => {
    const s = await buildScenario();
    const admin = await signIn(s.app, s.admin);
    const token = await tokenOf(admin, '/account');
    const res = await admin.post(`/logout?_csrf=${encodeURIComponent(token)}`).field('_csrf', token);
    expect(res.status).to.equal(403);
    expect((await admin.get('/account')).status).to.equal(200);
  });
});
