import { expect } from 'chai';
import request from 'supertest';
import { buildTestApp } from '../../helpers/app.js';
import { createUser } from '../../helpers/fixtures.js';
import { postForm, signIn } from '../../helpers/http.js';
import { UserModel } from '../../../src/features/accounts/user.model.js';
import { AuditEntryModel } from '../../../src/features/audit/audit.model.js';
import { verifyPassword } from '../../../src/features/accounts/password.js';

describe('/account', () => {
  it('when signed in, then the page shows the user details and the password form', async () => {
    const { app } = buildTestApp();
    const created = await createUser({ role: 'institution', name: 'Neema Mushi' });
    const agent = await signIn(app, created);
    const res = await agent.get('/account');
    expect(res.status).to.equal(200);
    expect(res.text).to.contain('Neema Mushi');
    expect(res.text).to.contain('Taasisi ya Majaribio');
    expect(res.text).to.contain('name="current"');
    expect((await request(app).get('/account')).status).to.equal(302);
  });

  it('when the new password is too short, common, mismatched or the current one is wrong, then 400 with messages', async () => {
    const { app } = buildTestApp();
    const created = await createUser();
    const agent = await signIn(app, created);
    const cases: Array<[Record<string, string>, string]> = [
      [{ current: created.password, password: 'fupi', confirm: 'fupi' }, 'Nenosiri liwe na angalau herufi 10.'],
      [{ current: created.password, password: '1234567890', confirm: '1234567890' }, 'linatumika sana'],
      [{ current: created.password, password: 'kisima-cha-maji-safi', confirm: 'kisima-cha-maji' }, 'Manenosiri mawili hayafanani.'],
      [{ current: 'si-sahihi-kabisa', password: 'kisima-cha-maji-safi', confirm: 'kisima-cha-maji-safi' }, 'Nenosiri la sasa si sahihi.'],
      [{ current: '', password: '', confirm: '' }, 'Sehemu hii ni lazima.'],
    ];
    for (const [fields, message] of cases) {
      const res = await postForm(agent, '/account/password', fields);
      expect(res.status, message).to.equal(400);
      expect(res.text).to.contain(message);
      expect(res.text).to.contain('aria-invalid="true"');
    }
    const user = await UserModel.findById(created.user._id);
    expect(await verifyPassword(created.password, user?.passwordHash)).to.equal(true);
  });

  it('when the password is changed, then this session continues, other sessions end, and it is audited', async () => {
    const { app } = buildTestApp();
    const created = await createUser();
    const other = await signIn(app, created);
    const agent = await signIn(app, created);
    const res = await postForm(agent, '/account/password', { current: created.password, password: 'kisima-cha-maji-safi', confirm: 'kisima-cha-maji-safi' });
    expect(res.status).to.equal(302);
    const page = await agent.get('/account');
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Nenosiri limebadilishwa');
    expect((await other.get('/account')).status).to.equal(302);
    const user = await UserModel.findById(created.user._id);
    expect(await verifyPassword('kisima-cha-maji-safi', user?.passwordHash)).to.equal(true);
    expect(await AuditEntryModel.countDocuments({ action: 'user.changePassword' })).to.equal(1);
    const audit = await AuditEntryModel.findOne({ action: 'user.changePassword' }).lean();
    expect(JSON.stringify(audit)).to.not.contain('kisima');
  });
});
