import { expect } from 'chai';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMailer } from '../../src/mail/mailer.js';
import { checkDataDirPermissions, DataDirPermissionError } from '../../src/server.js';
import { startApp, stopApp } from '../helpers/app-process.js';

describe('security: data directory, mail files and production start', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'maazimio-sec-'));
    dirs.push(d);
    return d;
  };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('when a mail with a set-password link is written to a file, then the file is 0600 in a 0700 directory', async () => {
    const dataDir = tempDir();
    const mailer = createMailer({ smtpUrl: undefined, mailFrom: 'Maazimio <no-reply@maazimio.local>', dataDir });
    await mailer.send({ to: 'mtu@taasisi.go.tz', subject: 'Weka nenosiri', text: 'http://localhost:3000/set-password/abc' });
    const mailDir = join(dataDir, 'mail');
    const [file] = readdirSync(mailDir);
    expect(statSync(join(mailDir, file)).mode & 0o777).to.equal(0o600);
    expect(statSync(mailDir).mode & 0o777).to.equal(0o700);
  });

  it('when an existing data directory is open to others, then the check names it and says how to fix it', async () => {
    const dataDir = tempDir();
    mkdirSync(join(dataDir, 'mail'));
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'mail'), 0o750);
    try {
      await checkDataDirPermissions(dataDir);
      expect.fail('should refuse');
    } catch (err) {
      expect(err).to.be.instanceOf(DataDirPermissionError);
      expect((err as Error).message).to.contain(`chmod 700 ${dataDir}`).and.contain(`chmod 700 ${join(dataDir, 'mail')}`);
    }
    chmodSync(dataDir, 0o700);
    chmodSync(join(dataDir, 'mail'), 0o700);
    await checkDataDirPermissions(dataDir);
  });

  it('when the server starts on a data directory open to others, then it stops with that message', async () => {
    const dataDir = tempDir();
    chmodSync(dataDir, 0o755);
    let message = '';
    await startApp(dataDir, 0).catch((err: Error) => (message = err.message));
    expect(message).to.contain('exited before it was ready (1)');
    expect(message).to.contain('open to other users').and.contain(`chmod 700 ${dataDir}`);
  });

  it('when NODE_ENV=production starts on an empty database, then no demo data or accounts are created', async () => {
    const dataDir = tempDir();
    chmodSync(dataDir, 0o700);
    const app = await startApp(dataDir, 0, { NODE_ENV: 'production', SESSION_SECRET: 's'.repeat(48) });
    const code = await stopApp(app);
    const output = app.output();
    expect(output).to.not.contain('Demo accounts');
    expect(output).to.not.contain('admin@maazimio.go.tz');
    expect(output).to.contain('npm run create-admin');
    expect(code).to.equal(0);
  });
});
