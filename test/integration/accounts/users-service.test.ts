import { expect } from 'chai';
import { createInstitution, createUser } from '../../helpers/fixtures.js';
import { validateNewUser, createUser as createUserService, createAdminAccount } from '../../../src/features/accounts/users.service.js';
import { UserModel } from '../../../src/features/accounts/user.model.js';
import { ValidationError } from '../../../src/errors.js';

const ADMIN = { id: '0123456789abcdef01234567', role: 'admin' as const, institutionId: null };

describe('users service (used by the form and CSV import)', () => {
  it('when a row is valid, then validateNewUser normalizes it and writes nothing', async () => {
    const inst = await createInstitution();
    const check = await validateNewUser({ name: ' Neema ', email: ' Neema@Taasisi.GO.TZ', role: 'institution', institutionId: String(inst._id) });
    expect(check.ok).to.equal(true);
    if (check.ok) {
      expect(check.data).to.include({ name: 'Neema', email: 'neema@taasisi.go.tz', role: 'institution', institutionId: String(inst._id), language: 'sw' });
    }
    expect(await UserModel.countDocuments()).to.equal(0);
  });

  it('when rows repeat an email in the same file or the database, or reference a missing institution, then field keys explain why', async () => {
    const existing = await createUser({ role: 'reviewer' });
    const taken = new Set(['dup@egov.go.tz']);
    const inFile = await validateNewUser({ name: 'A', email: 'dup@egov.go.tz', role: 'reviewer' }, { takenEmails: taken });
    const inDb = await validateNewUser({ name: 'B', email: existing.user.email, role: 'reviewer' });
    const noInst = await validateNewUser({ name: 'C', email: 'c@egov.go.tz', role: 'institution', institutionId: '0123456789abcdef01234567' });
    const badRole = await validateNewUser({ name: 'D', email: 'd@egov.go.tz', role: 'boss' });
    const adminWithInst = await validateNewUser({ name: 'E', email: 'e@egov.go.tz', role: 'admin', institutionId: String((await createInstitution())._id) });
    expect(inFile.ok ? {} : inFile.errors).to.deep.equal({ email: 'accounts:emailTaken' });
    expect(inDb.ok ? {} : inDb.errors).to.deep.equal({ email: 'accounts:emailTaken' });
    expect(noInst.ok ? {} : noInst.errors).to.deep.equal({ institutionId: 'accounts:institutionUnknown' });
    expect(badRole.ok ? {} : badRole.errors).to.deep.equal({ role: 'validation:invalidOption' });
    expect(adminWithInst.ok ? {} : adminWithInst.errors).to.deep.equal({ institutionId: 'accounts:institutionNotForAdmin' });
  });

  it('when createUser gets an invalid row, then it throws ValidationError and writes nothing', async () => {
    try {
      await createUserService({ name: '', email: 'x', role: 'reviewer' }, ADMIN);
      expect.fail('should throw');
    } catch (err) {
      expect(err).to.be.instanceOf(ValidationError);
      expect((err as ValidationError).fields).to.have.keys(['name', 'email']);
    }
    expect(await UserModel.countDocuments()).to.equal(0);
  });

  it('when create-admin gets a common password, then nothing is created', async () => {
    try {
      await createAdminAccount({ email: 'boss@ega.go.tz', name: 'Boss', password: 'password123' }, new Date());
      expect.fail('should throw');
    } catch (err) {
      expect((err as ValidationError).fields).to.deep.equal({ password: 'accounts:passwordCommon' });
    }
    expect(await UserModel.countDocuments()).to.equal(0);
    const user = await createAdminAccount({ email: 'Boss@ega.go.tz', name: 'Boss', password: 'kisima-cha-maji-safi' }, new Date());
    expect(user.role).to.equal('admin');
    expect(user.email).to.equal('boss@ega.go.tz');
  });
});
