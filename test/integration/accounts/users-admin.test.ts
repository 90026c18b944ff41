import { expect } from 'chai';
import request from 'supertest';
import { buildTestApp } from '../../helpers/app.js';
import { createInstitution, createUser } from '../../helpers/fixtures.js';
import { csrfFrom, postForm, signIn } from '../../helpers/http.js';
import { UserModel } from '../../../src/features/accounts/user.model.js';
import { AuditEntryModel } from '../../../src/features/audit/audit.model.js';
import { hashToken } from '../../../src/features/accounts/users.service.js';

const HOUR = 3600 * 1000;

function linkFrom(html: string): string {
  const m = /id="set-password-link">[^<]*(\/set-password\/[A-Za-z0-9_-]+)</.exec(html);
  if (!m) throw new Error('no link in page');
  return m[1];
}

describe('users administration', () => {
  it('when each role opens the admin pages, then only admins get in', async () => {
    const { app } = buildTestApp();
    const admin = await signIn(app, await createUser({ role: 'admin' }));
    const reviewer = await signIn(app, await createUser({ role: 'reviewer' }));
    const institution = await signIn(app, await createUser({ role: 'institution' }));
    for (const path of ['/admin/users', '/admin/users/new', '/admin/audit']) {
      expect((await admin.get(path)).status, path).to.equal(200);
      expect((await reviewer.get(path)).status, path).to.equal(403);
      expect((await institution.get(path)).status, path).to.equal(403);
      const anon = await request(app).get(path);
      expect(anon.status, path).to.equal(302);
      expect(anon.headers.location).to.match(/^\/login\?next=/);
    }
    const forbidden = await reviewer.get('/admin/users?lang=en');
    expect(forbidden.text).to.contain('You are not allowed');
  });

  it('when a non-admin posts to create a user, then 403 and nothing is created', async () => {
    const { app } = buildTestApp();
    const reviewer = await signIn(app, await createUser({ role: 'reviewer' }));
    const res = await postForm(reviewer, '/admin/users', { name: 'X', email: 'x@egov.go.tz', role: 'admin' });
    expect(res.status).to.equal(403);
    expect(await UserModel.countDocuments({ email: 'x@egov.go.tz' })).to.equal(0);
  });

  it('when the admin filters the list, then only matching users are shown', async () => {
    const { app } = buildTestApp();
    const inst = await createInstitution();
    await createUser({ role: 'institution', institution: inst, name: 'Neema Focal' });
    await createUser({ role: 'reviewer', name: 'Juma Reviewer' });
    const admin = await signIn(app, await createUser({ role: 'admin', name: 'Asha Admin' }));
    const byRole = await admin.get('/admin/users?role=reviewer');
    expect(byRole.text).to.contain('Juma Reviewer');
    expect(byRole.text).to.not.contain('Neema Focal');
    const byInst = await admin.get(`/admin/users?institution=${inst._id}`);
    expect(byInst.text).to.contain('Neema Focal');
    expect(byInst.text).to.not.contain('Juma Reviewer');
    const bySearch = await admin.get('/admin/users?q=neema');
    expect(bySearch.text).to.contain('Neema Focal');
    expect(bySearch.text).to.not.contain('Asha Admin');
    expect((await admin.get('/admin/users?role=boss')).status).to.equal(400);
  });

  it('when the form is invalid, then it is shown again with messages in the user language and nothing is written', async () => {
    const { app } = buildTestApp();
    const existing = await createUser({ role: 'reviewer' });
    const admin = await signIn(app, await createUser({ role: 'admin' }));
    const res = await postForm(admin, '/admin/users?lang=en', { name: '', email: 'not-an-email', role: 'institution', institutionId: '' });
    expect(res.status).to.equal(400);
    expect(res.text).to.contain('This field is required.');
    expect(res.text).to.contain('Enter a valid email address.');
    expect(res.text).to.contain('value="not-an-email"');
    const dup = await postForm(admin, '/admin/users?lang=sw', { name: 'Tena', email: existing.user.email, role: 'institution', institutionId: '' });
    expect(dup.status).to.equal(400);
    expect(dup.text).to.contain('Barua pepe hii tayari inatumiwa');
    expect(dup.text).to.contain('Chagua taasisi ya mtumiaji huyu.');
    expect(await UserModel.countDocuments()).to.equal(2);
  });

  it('when the admin creates a user, then a 72 h one-time link is shown, emailed, stored hashed and audited', async () => {
    const clock = new Date('2024-03-01T08:00:00Z');
    const { app, outbox } = buildTestApp({ now: () => clock });
    const inst = await createInstitution();
    const admin = await signIn(app, await createUser({ role: 'admin' }));
    const res = await postForm(admin, '/admin/users', { name: 'Neema Mushi', email: 'Neema@Taasisi.go.tz', role: 'institution', institutionId: String(inst._id), title: 'Mratibu' });
    expect(res.status).to.equal(201);
    const path = linkFrom(res.text);
    const token = path.split('/').pop() as string;
    const user = await UserModel.findOne({ email: 'neema@taasisi.go.tz' });
    expect(user?.institution?.toString()).to.equal(String(inst._id));
    expect(user?.passwordHash).to.equal(null);
    expect(user?.setPasswordTokenHash).to.equal(hashToken(token));
    expect(user?.setPasswordExpires?.getTime()).to.equal(clock.getTime() + 72 * HOUR);
    expect(outbox).to.have.length(1);
    expect(outbox[0].to).to.equal('neema@taasisi.go.tz');
    expect(outbox[0].text).to.contain(`http://localhost:3000${path}`);
    expect(await AuditEntryModel.countDocuments({ action: 'user.create', entityId: String(user?._id) })).to.equal(1);
    expect(await AuditEntryModel.countDocuments({ action: 'user.setPasswordLink' })).to.equal(1);
  });

  it('when the link is used, then the password is set once; reuse and expiry answer 404', async () => {
    let clock = new Date('2024-03-01T08:00:00Z');
    const { app } = buildTestApp({ now: () => clock });
    const admin = await signIn(app, await createUser({ role: 'admin' }));
    const created = await postForm(admin, '/admin/users', { name: 'Juma', email: 'juma@egov.go.tz', role: 'reviewer' });
    const path = linkFrom(created.text);

    const visitor = request.agent(app);
    const form = await visitor.get(path);
    expect(form.status).to.equal(200);
    const token = csrfFrom(form.text);
    const short = await visitor.post(path).type('form').send({ _csrf: token, password: 'fupi', confirm: 'fupi' });
    expect(short.status).to.equal(400);
    expect(short.text).to.contain('Weka angalau herufi 10.'.slice(0, 5));
    const common = await visitor.post(path).type('form').send({ _csrf: token, password: 'password123', confirm: 'password123' });
    expect(common.status).to.equal(400);
    expect(common.text).to.contain('linatumika sana');
    const mismatch = await visitor.post(`${path}?lang=en`).type('form').send({ _csrf: token, password: 'kisima-cha-maji-safi', confirm: 'kisima-cha-maji-safi!' });
    expect(mismatch.status).to.equal(400);
    expect(mismatch.text).to.contain('The two passwords do not match.');

    const ok = await visitor.post(path).type('form').send({ _csrf: token, password: 'kisima-cha-maji-safi', confirm: 'kisima-cha-maji-safi' });
    expect(ok.status).to.equal(302);
    expect(ok.headers.location).to.equal('/login');
    const user = await UserModel.findOne({ email: 'juma@egov.go.tz' });
    expect(user?.setPasswordTokenHash).to.equal(null);
    expect(await AuditEntryModel.countDocuments({ action: 'user.setPassword' })).to.equal(1);
    await signIn(app, user!, 'kisima-cha-maji-safi');

    const reused = await visitor.get(path);
    expect(reused.status).to.equal(404);
    // The visitor switched to English above; the choice is remembered.
    expect(reused.text).to.contain('This link is not valid');

    const again = await admin.post(`/admin/users/${user?._id}/link`).type('form').send({ _csrf: csrfFrom((await admin.get(`/admin/users/${user?._id}`)).text) });
    const second = linkFrom(again.text);
    clock = new Date(clock.getTime() + 73 * HOUR);
    expect((await request(app).get(second)).status).to.equal(404);
  });

  it('when the admin deactivates a signed-in user, then their session ends; reactivation lets them back', async () => {
    const { app } = buildTestApp();
    const target = await createUser({ role: 'institution' });
    const victim = await signIn(app, target);
    expect((await victim.get('/account')).status).to.equal(200);
    const admin = await signIn(app, await createUser({ role: 'admin' }));
    const res = await postForm(admin, `/admin/users/${target.user._id}/deactivate`, {});
    expect(res.status).to.equal(302);
    expect((await UserModel.findById(target.user._id))?.active).to.equal(false);
    const after = await victim.get('/account');
    expect(after.status).to.equal(302);
    expect(after.headers.location).to.equal('/login?next=%2Faccount');
    expect(await AuditEntryModel.countDocuments({ action: 'user.deactivate', entityId: String(target.user._id) })).to.equal(1);

    await postForm(admin, `/admin/users/${target.user._id}/reactivate`, {});
    expect((await UserModel.findById(target.user._id))?.active).to.equal(true);
    await signIn(app, target);
  });

  it('when the admin tries to deactivate themselves, then 400 and the account stays active', async () => {
    const { app } = buildTestApp();
    const me = await createUser({ role: 'admin' });
    const admin = await signIn(app, me);
    const res = await postForm(admin, `/admin/users/${me.user._id}/deactivate`, {});
    expect(res.status).to.equal(400);
    expect((await UserModel.findById(me.user._id))?.active).to.equal(true);
  });

  it('when a user id is malformed or unknown, then 404', async () => {
    const { app } = buildTestApp();
    const admin = await signIn(app, await createUser({ role: 'admin' }));
    expect((await admin.get('/admin/users/not-an-id')).status).to.equal(404);
    expect((await admin.get('/admin/users/0123456789abcdef01234567')).status).to.equal(404);
  });
});
