import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApp, stopApp } from '../../helpers/app-process.js';

describe('server start-up (child process)', function () {
  this.timeout(180_000);
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'maazimio-server-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('when started on a fresh data dir, then it seeds, prints the URL and accounts, answers, and stops cleanly on SIGTERM; a second start does not reseed', async () => {
    const first = await startApp(dataDir, 0);
    expect(first.output()).to.contain('Demo accounts');
    expect(first.output()).to.match(/admin\s+admin@maazimio\.go\.tz\s+\S+/);
    const health = await fetch(`${first.url}/healthz`);
    expect(health.status).to.equal(200);
    const home = await fetch(`${first.url}/login`);
    expect(home.status).to.equal(200);
    expect(await stopApp(first)).to.equal(0);

    const second = await startApp(dataDir, 0);
    expect(second.output()).to.not.contain('Demo accounts');
    expect(second.output()).to.contain('npm run create-admin');
    expect((await fetch(`${second.url}/healthz`)).status).to.equal(200);
    expect(await stopApp(second)).to.equal(0);
  });
});
