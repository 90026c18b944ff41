import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { DataDirLockedError, openStorage } from '../../../src/db/embedded/storage/index.js';
import { captureLogger, removeTempDirs, tempDir } from './helpers.js';

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('embedded storage: lock file', () => {
  afterEach(removeTempDirs);

  it('when the directory is already open, then a second open is rejected with a clear error', async () => {
    const dir = tempDir();
    const first = await openStorage({ dataDir: dir, logger: captureLogger() });
    let error: unknown;
    await openStorage({ dataDir: dir, logger: captureLogger() }).catch((err: unknown) => (error = err));
    expect(error).to.be.instanceOf(DataDirLockedError);
    expect((error as Error).message).to.include(dir).and.to.include(`pid ${process.pid}`);
    await first.close();

    // Closing releases the lock.
    expect(fs.existsSync(path.join(dir, 'mongod.lock'))).to.equal(false);
    const second = await openStorage({ dataDir: dir, logger: captureLogger() });
    await second.close();
  });

  it('when another process holds the directory, then opening it here fails naming that process', async () => {
    const dir = tempDir();
    const holder = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `const { openStorage } = await import(${JSON.stringify(path.resolve('src/db/embedded/storage/index.ts'))});
         await openStorage({ dataDir: ${JSON.stringify(dir)} });
         process.stdout.write('ready\\n');
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
        holder.on('exit', (code) => reject(new Error(`holder exited with ${code}`)));
      });
      let error: unknown;
      await openStorage({ dataDir: dir, logger: captureLogger() }).catch((err: unknown) => (error = err));
      expect(error).to.be.instanceOf(DataDirLockedError);
      expect((error as DataDirLockedError).pid).to.equal(holder.pid);
    } finally {
      holder.kill('SIGKILL');
      await new Promise((resolve) => (holder.exitCode !== null || holder.signalCode !== null ? resolve(null) : holder.on('exit', resolve)));
    }

    // The holder died without releasing the lock: it is stale now and gets taken over.
    const logger = captureLogger();
    const storage = await openStorage({ dataDir: dir, logger });
    expect(logger.entries.some((e) => e.level === 'warn' && e.msg.includes('stale lock'))).to.equal(true);
    await storage.close();
  });

  it('when the lock file names a dead process, then it is taken over with a warning', async () => {
    const dir = tempDir();
    const pid = deadPid();
    fs.writeFileSync(path.join(dir, 'mongod.lock'), JSON.stringify({ pid }));
    const logger = captureLogger();
    const storage = await openStorage({ dataDir: dir, logger });
    const warning = logger.entries.find((e) => e.level === 'warn');
    expect(warning?.msg).to.include('stale lock');
    expect(warning?.extra).to.deep.equal({ stalePid: pid });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'mongod.lock'), 'utf8')).pid).to.equal(process.pid);
    await storage.close();
  });

  it('when the lock file is empty or unreadable, then it is treated as stale', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'mongod.lock'), '');
    const storage = await openStorage({ dataDir: dir, logger: captureLogger() });
    await storage.close();
    fs.writeFileSync(path.join(dir, 'mongod.lock'), 'not json');
    const again = await openStorage({ dataDir: dir, logger: captureLogger() });
    await again.close();
  });

  it('when the lock names a live pid that belongs to a process started at another time, then it is stale (pid reuse)', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'mongod.lock'), JSON.stringify({ pid: process.pid, startTime: '1' }));
    const logger = captureLogger();
    const storage = await openStorage({ dataDir: dir, logger });
    expect(logger.entries.some((e) => e.msg.includes('stale lock'))).to.equal(true);
    await storage.close();
  });
});
