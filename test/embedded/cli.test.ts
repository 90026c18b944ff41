import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { usingRealServer } from './engine-helper.js';

const CLI = path.resolve('src/db/embedded/cli.ts');
const TSX = path.resolve('node_modules/.bin/tsx');

function startCli(args: string[]): { child: ChildProcess; ready: Promise<string>; exit: Promise<number | null>; stderr: () => string } {
  const child = spawn(TSX, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('ready '));
      if (line) resolve(line.slice('ready '.length).trim());
    });
    void exit.then((code) => reject(new Error(`exited with ${code} before ready: ${err}`)));
  });
  return { child, ready, exit, stderr: () => err };
}

if (!usingRealServer) {
  describe('engine-internal: npm run db (cli)', function () {
    this.timeout(30_000);
    let dir: string;

    beforeEach(async () => {
      dir = path.join(await mkdtemp(path.join(tmpdir(), 'maazimio-cli-')), 'data');
    });
    afterEach(async () => {
      await rm(path.dirname(dir), { recursive: true, force: true });
    });

    it('when started with --no-auth, then it prints exactly one ready line, serves clients and exits 0 on SIGTERM keeping the data', async () => {
      const first = startCli(['--data-dir', dir, '--port', '0', '--quiet', '--no-auth']);
      const uri = await first.ready;
      expect(uri).to.match(/^mongodb:\/\/127\.0\.0\.1:\d+$/);
      expect((await stat(dir)).mode & 0o777).to.equal(0o700);
      const client = await MongoClient.connect(uri);
      await client.db('app').collection('c').insertOne({ kept: true });
      await client.close();
      first.child.kill('SIGTERM');
      expect(await first.exit).to.equal(0);

      const second = startCli(['--data-dir', dir, '--port', '0', '--quiet', '--no-auth']);
      const client2 = await MongoClient.connect(await second.ready);
      expect(await client2.db('app').collection('c').countDocuments({ kept: true })).to.equal(1);
      await client2.close();
      second.child.kill('SIGINT');
      expect(await second.exit).to.equal(0);
    });

    it('when started on TCP without --no-auth, then it prints generated credentials once, refuses unauthenticated clients and serves authenticated ones', async () => {
      const first = startCli(['--data-dir', dir, '--port', '0', '--quiet']);
      const uri = await first.ready;
      const printed = /connect with (mongodb:\/\/admin:[^@\s]+@127\.0\.0\.1:\d+\/\?authSource=admin)/.exec(first.stderr());
      expect(printed, first.stderr()).to.not.equal(null);
      const anonymous = await MongoClient.connect(uri);
      try {
        const err = (await anonymous.db('app').collection('c').findOne({}).catch((e: unknown) => e)) as { code?: number };
        expect(err.code).to.equal(13);
      } finally {
        await anonymous.close();
      }
      const admin = await MongoClient.connect(printed![1]);
      await admin.db('app').collection('c').insertOne({ kept: true });
      await admin.close();
      first.child.kill('SIGTERM');
      expect(await first.exit).to.equal(0);

      const second = startCli(['--data-dir', dir, '--port', '0', '--quiet']);
      const uri2 = await second.ready;
      expect(second.stderr()).to.not.match(/password/);
      const again = await MongoClient.connect(printed![1].replace(/:\d+\//, `:${new URL(uri2).port}/`));
      expect(await again.db('app').collection('c').countDocuments({ kept: true })).to.equal(1);
      await again.close();
      second.child.kill('SIGTERM');
      expect(await second.exit).to.equal(0);
    });

    it('when the data directory is locked by a running engine, then a second one exits non-zero with a clear message', async () => {
      const first = startCli(['--data-dir', dir, '--port', '0', '--quiet']);
      await first.ready;
      const second = startCli(['--data-dir', dir, '--port', '0', '--quiet']);
      second.ready.catch(() => undefined);
      const code = await second.exit;
      expect(code).to.not.equal(0);
      expect(second.stderr()).to.match(/in use|lock/i);
      first.child.kill('SIGTERM');
      expect(await first.exit).to.equal(0);
    });

    it('when a socket name is given, then it listens on a Unix socket inside the data directory', async () => {
      const run = startCli(['--data-dir', dir, '--socket', 'mongod.sock', '--quiet']);
      const uri = await run.ready;
      expect(decodeURIComponent(uri)).to.equal(`mongodb://${path.join(dir, 'mongod.sock')}`);
      const client = await MongoClient.connect(uri);
      expect((await client.db('admin').command({ ping: 1 })).ok).to.equal(1);
      await client.close();
      run.child.kill('SIGTERM');
      expect(await run.exit).to.equal(0);
    });
  });
}
