import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Starts `src/server.ts` in a child process and resolves once it printed its URL. */
function startChild(dataDir: string): Promise<{ child: ChildProcess; output: () => string; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn', NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /running at (http:\/\/\S+)/.exec(out);
      if (match) {
        clearInterval(timer);
        // Give the rest of the banner a moment to arrive.
        setTimeout(() => resolve({ child, output: () => out, url: match[1] }), 200);
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`server exited early (${code}):\n${out}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('server start-up (child process)', function () {
  this.timeout(180_000);
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'maazimio-server-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('when started on a fresh data dir, then it seeds, prints the URL and accounts, answers, and stops cleanly on SIGTERM; a second start does not reseed', async () => {
    const first = await startChild(dataDir);
    expect(first.output()).to.contain('Demo accounts');
    expect(first.output()).to.match(/admin\s+admin@maazimio\.go\.tz\s+\S+/);
    const health = await fetch(`${first.url}/healthz`);
    expect(health.status).to.equal(200);
    const home = await fetch(`${first.url}/login`);
    expect(home.status).to.equal(200);
    expect(await stopChild(first.child)).to.equal(0);

    const second = await startChild(dataDir);
    expect(second.output()).to.not.contain('Demo accounts');
    expect(second.output()).to.contain('npm run create-admin');
    expect((await fetch(`${second.url}/healthz`)).status).to.equal(200);
    expect(await stopChild(second.child)).to.equal(0);
  });
});
