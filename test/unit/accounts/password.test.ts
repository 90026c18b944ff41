import { expect } from 'chai';
import { hashPassword, verifyPassword, isCommonPassword, passwordProblem, generateReadablePassword } from '../../../src/features/accounts/password.js';
import { safeNextPath } from '../../../src/middleware/auth.js';

describe('password hashing', () => {
  it('when a password is hashed, then it verifies and a wrong one does not', async () => {
    const hash = await hashPassword('mti-mrefu-wa-mbuyu', 2 ** 12);
    expect(hash).to.match(/^scrypt\$4096\$8\$1\$/);
    expect(await verifyPassword('mti-mrefu-wa-mbuyu', hash)).to.equal(true);
    expect(await verifyPassword('mti-mrefu-wa-mbuyU', hash)).to.equal(false);
  });

  it('when the same password is hashed twice, then the salts differ', async () => {
    expect(await hashPassword('mti-mrefu-wa-mbuyu', 2 ** 12)).to.not.equal(await hashPassword('mti-mrefu-wa-mbuyu', 2 ** 12));
  });

  it('when the stored hash is missing or malformed, then verification fails', async () => {
    expect(await verifyPassword('x', null)).to.equal(false);
    expect(await verifyPassword('x', 'bcrypt$abc')).to.equal(false);
    expect(await verifyPassword('x', 'scrypt$1$1$1$$')).to.equal(false);
  });
});

describe('password rules', () => {
  it('when shorter than 10, common, or repeated, then a problem key is returned', () => {
    expect(passwordProblem('short')).to.equal('accounts:passwordTooShort');
    expect(passwordProblem('Password123')).to.equal('accounts:passwordCommon');
    expect(passwordProblem('aaaaaaaaaaaa')).to.equal('accounts:passwordCommon');
    expect(passwordProblem('tembo-mvua-kisima-47')).to.equal(null);
    expect(isCommonPassword('QWERTYUIOP')).to.equal(true);
  });

  it('when a demo password is generated, then it passes the rules', () => {
    for (let i = 0; i < 20; i++) expect(passwordProblem(generateReadablePassword())).to.equal(null);
  });
});

describe('safeNextPath', () => {
  it('when the target is a same-site path, then it is kept', () => {
    expect(safeNextPath('/admin/users?page=2')).to.equal('/admin/users?page=2');
  });
  it('when the target leaves the site, then it is rejected', () => {
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil.example', 'javascript:alert(1)', '', '/x\r\nSet-Cookie: a', 5]) {
      expect(safeNextPath(bad), String(bad)).to.equal(undefined);
    }
  });
});
