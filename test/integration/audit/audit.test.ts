import { expect } from 'chai';
import { buildTestApp } from '../../helpers/app.js';
import { createUser } from '../../helpers/fixtures.js';
import { signIn } from '../../helpers/http.js';
import { text } from '../institutions/admin.helpers.js';
import { recordAudit, listAudit } from '../../../src/features/audit/audit.service.js';
import { AuditEntryModel } from '../../../src/features/audit/audit.model.js';

/** The table body only: the filter's drop-downs list every action and record label. */
const rowsOf = (html: string): string => html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));

describe('audit log', () => {
  async function seedEntries() {
    const actor = { id: '65a000000000000000000001', role: 'admin' as const, institutionId: null, name: 'Asha Admin', email: 'asha@egov.go.tz' };
    await recordAudit({ actor, action: 'resolution.update', entity: 'Resolution', entityId: 'r1', summary: 'kichwa kimebadilishwa', before: { title: 'A' }, after: { title: 'B', passwordHash: 'secret' }, at: new Date('2024-02-06T09:00:00Z') });
    await recordAudit({ actor, action: 'institution.create', entity: 'Institution', entityId: 'i1', summary: 'TRA', at: new Date('2024-02-10T09:00:00Z') });
    await recordAudit({ actor: null, actorKind: 'system', action: 'user.create', entity: 'User', summary: 'seed', at: new Date('2024-02-12T09:00:00Z') });
  }

  it('when an entry is recorded, then secrets are stripped from the summaries', async () => {
    await seedEntries();
    const entry = await AuditEntryModel.findOne({ action: 'resolution.update' }).lean();
    expect(entry?.after).to.deep.equal({ title: 'B' });
    expect(entry?.before).to.deep.equal({ title: 'A' });
    expect(entry?.role).to.equal('admin');
  });

  it('when filtering by entity, action prefix, actor and dates, then only matching entries are listed', async () => {
    await seedEntries();
    expect((await listAudit({ entity: 'Institution', page: 1 })).total).to.equal(1);
    expect((await listAudit({ action: 'user', page: 1 })).total).to.equal(1);
    expect((await listAudit({ actor: 'ASHA', page: 1 })).total).to.equal(2);
    expect((await listAudit({ from: new Date('2024-02-07T00:00:00Z'), to: new Date('2024-02-11T00:00:00Z'), page: 1 })).total).to.equal(1);
    const all = await listAudit({ page: 1 });
    expect(all.entries.map((e) => e.action)).to.deep.equal(['user.create', 'institution.create', 'resolution.update']);
  });

  it('when an admin opens /admin/audit with filters (dd/mm/yyyy), then the page lists matching entries, paginated', async () => {
    const { app } = buildTestApp();
    await seedEntries();
    const admin = await signIn(app, await createUser({ role: 'admin' }));
    const res = await admin.get('/admin/audit?entity=Resolution&from=01/02/2024&to=06/02/2024');
    expect(res.status).to.equal(200);
    expect(rowsOf(res.text)).to.contain('Azimio limehaririwa');
    expect(rowsOf(res.text)).to.not.contain('Taasisi imeongezwa');
    // "to" includes the whole day in Dar es Salaam: nothing on 06/02 is lost, 05/02 ends the range before it.
    expect(rowsOf((await admin.get('/admin/audit?entity=Resolution&from=01/02/2024&to=05/02/2024')).text)).to.not.contain('Azimio limehaririwa');
    const bad = await admin.get('/admin/audit?from=31/02/2024');
    expect(bad.status).to.equal(400);
    for (let i = 0; i < 55; i++) {
      await recordAudit({ actor: null, actorKind: 'system', action: 'bulk.test', entity: 'Bulk', summary: `n${i}`, at: new Date(Date.UTC(2024, 3, 1, 0, i)) });
    }
    const page1 = await admin.get('/admin/audit?entity=Bulk');
    expect(page1.text).to.contain('class="pagination"');
    const page2 = await admin.get('/admin/audit?entity=Bulk&page=2');
    expect(page2.text).to.contain('>n4<');
    expect(page2.text).to.not.contain('>n54<');
  });

  it('when an entry records a change, then the Kiswahili page shows a translated action, field: before → after, a link to the record and the time in EAT', async () => {
    const { app } = buildTestApp();
    const meetingId = '65a0000000000000000000aa';
    const actor = { id: '65a000000000000000000001', role: 'admin' as const, institutionId: null, name: 'Asha Admin', email: 'asha@egov.go.tz' };
    await recordAudit({
      actor,
      action: 'meeting.update',
      entity: 'Meeting',
      entityId: meetingId,
      summary: 'meeting 5',
      before: { title: { sw: 'Kikao cha Tano', en: 'Fifth session' }, venue: 'Dodoma', startDate: '2025-02-04', status: 'planned' },
      after: { title: { sw: 'Kikao cha Tano', en: 'Fifth session' }, venue: 'AICC, Arusha', startDate: '2025-02-05', status: 'planned' },
      at: new Date('2025-02-06T21:30:00Z'),
    });
    const admin = await signIn(app, await createUser({ role: 'admin' }));
    const res = await admin.get('/admin/audit');
    expect(res.status).to.equal(200);
    const page = rowsOf(text(res.text));
    expect(page).to.contain('Kikao kimehaririwa');
    expect(page).to.contain(`Kikao: <a href="/admin/meetings/${meetingId}">Kikao cha Tano</a>`);
    expect(page).to.match(/<span class="change-field">Mahali:<\/span>\s*<del>Dodoma<\/del> <span aria-hidden="true">→<\/span>.*<ins>AICC, Arusha<\/ins>/);
    expect(page).to.match(/<span class="change-field">Siku ya kwanza:<\/span>\s*<del>04\/02\/2025<\/del>.*<ins>05\/02\/2025<\/ins>/);
    // Unchanged fields are not listed; no raw JSON, no model names.
    expect(page).not.to.contain('Hali:');
    expect(page).not.to.contain('{"');
    expect(page).not.to.match(/>Meeting</);
    // 21:30 UTC on 6 Feb is 00:30 on 7 Feb in Dar es Salaam.
    expect(page).to.contain('07/02/2025, 00:30 EAT');
  });

  it('when an admin downloads the filtered log as CSV, then it has the same entries with readable changes; other roles are refused', async () => {
    const { app } = buildTestApp();
    await seedEntries();
    const admin = await signIn(app, await createUser({ role: 'admin' }));
    const res = await admin.get('/admin/audit.csv?actor=asha&lang=en');
    expect(res.status).to.equal(200);
    expect(res.headers['content-type']).to.match(/^text\/csv/);
    expect(res.headers['content-disposition']).to.contain('attachment');
    const lines = res.text.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
    expect(lines[0]).to.equal('at_utc,at_eat,who,email,role,action,action_label,entity,entity_label,entity_id,record,summary,changes');
    expect(res.text).to.contain('2024-02-06T09:00:00.000Z,"06/02/2024, 12:00 EAT",Asha Admin,asha@egov.go.tz,Administrator,resolution.update,Resolution edited,Resolution,Resolution,r1,B,kichwa kimebadilishwa,Title: A → B');
    expect(res.text).to.contain('institution.create,Institution created');
    // The system entry is filtered out by "who".
    expect(res.text).not.to.contain('user.create');
    const reviewer = await signIn(app, await createUser({ role: 'reviewer' }));
    expect((await reviewer.get('/admin/audit.csv')).status).to.equal(403);
  });
});
