import { expect } from 'chai';
import { buildTestApp } from '../../helpers/app.js';
import { createUser } from '../../helpers/fixtures.js';
import { signIn } from '../../helpers/http.js';
import { recordAudit, listAudit } from '../../../src/features/audit/audit.service.js';
import { AuditEntryModel } from '../../../src/features/audit/audit.model.js';

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

  it('when an admin opens /admin/audit with filters, then the page lists matching entries, paginated', async () => {
    const { app } = buildTestApp();
    await seedEntries();
    const admin = await signIn(app, await createUser({ role: 'admin' }));
    const res = await admin.get('/admin/audit?entity=Resolution&from=2024-02-01&to=2024-02-06');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('kichwa kimebadilishwa');
    expect(res.text).to.not.contain('>TRA<');
    const bad = await admin.get('/admin/audit?from=06-02-2024');
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
});
