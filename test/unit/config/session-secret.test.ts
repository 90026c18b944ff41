import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveSessionSecret } from '../../../src/server.js';
import { loadConfig } from '../../../src/config.js';

describe('resolveSessionSecret', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'maazimio-secret-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('when SESSION_SECRET is unset, then a secret is generated once into DATA_DIR/session-secret with mode 0600 and reused', async () => {
    const config = loadConfig({ DATA_DIR: dir });
    const first = await resolveSessionSecret(config);
    expect(first.length).to.be.greaterThanOrEqual(32);
    const file = join(dir, 'session-secret');
    expect(readFileSync(file, 'utf8').trim()).to.equal(first);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    expect(await resolveSessionSecret(config)).to.equal(first);
  });

  it('when SESSION_SECRET is set, then it is used and no file is written', async () => {
    const secret = 'a-configured-secret-of-at-least-32-characters';
    expect(await resolveSessionSecret(loadConfig({ DATA_DIR: dir, SESSION_SECRET: secret }))).to.equal(secret);
    expect(() => statSync(join(dir, 'session-secret'))).to.throw();
  });
});
