import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../../../src/db/embedded/index.js';
import { openStorage, type StoredState } from '../../../src/db/embedded/storage/index.js';
import { captureLogger, removeTempDirs, tempDir } from './helpers.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const WRITER = path.join(here, 'crash-writer.ts');
const CLI = path.resolve(here, '../../../src/db/embedded/cli.ts');
const KILLS = 20;

interface Acked {
  inserts: Set<number>;
  /** Highest acknowledged value per pair key. */
  pairs: Map<string, number>;
}

function startWriter(dataDir: string, run: number, acked: Acked): { child: ChildProcess; ready: Promise<void>; exited: Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dataDir, String(run)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let buffered = '';
  let stderr = '';
  let onReady: () => void;
  let onFail: (err: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    onFail = reject;
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const [kind, a, b] = line.split(' ');
      if (kind === 'ready') onReady();
      else if (kind === 'I') acked.inserts.add(Number(a));
      else if (kind === 'U') acked.pairs.set(`pair-${a}`, Math.max(acked.pairs.get(`pair-${a}`) ?? 0, Number(b)));
    }
  });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  child.on('exit', (code, signal) => {
    if (signal !== 'SIGKILL') onFail(new Error(`writer exited early (code ${code}, signal ${signal}): ${stderr}`));
  });
  return { child, ready, exited };
}

/** Checks the recovered state against every acknowledged write. */
function verify(state: StoredState, acked: Acked, when: string): void {
  const docs = state.collections.find((c) => c.ns === 'crash.writes')?.documents ?? [];
  const ids = new Set(docs.filter((d) => typeof d._id === 'number').map((d) => d._id as number));
  const missing = [...acked.inserts].filter((id) => !ids.has(id));
  expect(missing, `${when}: acknowledged inserts missing`).to.deep.equal([]);
  for (const doc of docs.filter((d) => typeof d._id === 'string')) {
    expect(doc.a, `${when}: ${doc._id} half-applied`).to.equal(doc.b);
  }
  for (const [key, value] of acked.pairs) {
    const doc = docs.find((d) => d._id === key);
    expect(doc, `${when}: ${key} missing`).to.not.equal(undefined);
    expect(doc!.a, `${when}: ${key} lost an acknowledged update`).to.be.at.least(value);
  }
}

describe('embedded storage through the driver: crash', function () {
  // Each of the 20 restarts is a new process that loads tsx, the engine and the
  // driver: about 2 s on an idle 2-core machine, more when the CPUs are busy.
  this.timeout(180_000);
  afterEach(removeTempDirs);

  it(`when the engine process is killed with SIGKILL ${KILLS} times while writing, then every acknowledged write survives and none is half-applied`, async () => {
    const dataDir = tempDir('crash-');
    const acked: Acked = { inserts: new Set(), pairs: new Map() };
    for (let run = 1; run <= KILLS; run++) {
      const writer = startWriter(dataDir, run, acked);
      await writer.ready;
      await new Promise((resolve) => setTimeout(resolve, 30 + Math.random() * 200));
      writer.child.kill('SIGKILL');
      await writer.exited;
      // Recover the directory as the next start would, and check it right away.
      const storage = await openStorage({ dataDir, logger: captureLogger() });
      await storage.close();
      verify(storage.initialState, acked, `after kill ${run}`);
    }
    expect(acked.inserts.size).to.be.greaterThan(KILLS);

    // Finally through the engine and the driver.
    const engine = await startEmbeddedMongo({ dataDir });
    const client = await MongoClient.connect(engine.uri);
    try {
      const coll = client.db('crash').collection<{ _id: number | string; a?: number; b?: number }>('writes');
      const all = await coll.find({}).toArray();
      const ids = new Set(all.map((d) => d._id));
      expect([...acked.inserts].filter((id) => !ids.has(id))).to.deep.equal([]);
      const pairs = all.filter((d) => typeof d._id === 'string');
      expect(pairs.length).to.be.greaterThan(0);
      for (const doc of pairs) expect(doc.a).to.equal(doc.b);
    } finally {
      await client.close();
      await engine.stop();
    }
  });

  it('when a second process opens a data directory that is in use, then it exits non-zero with a clear message', async () => {
    const dataDir = tempDir('crash-lock-');
    const acked: Acked = { inserts: new Set(), pairs: new Map() };
    const holder = startWriter(dataDir, 1, acked);
    try {
      await holder.ready;
      const second = spawn(process.execPath, ['--import', 'tsx', CLI, '--data-dir', dataDir, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      second.stdout!.on('data', (c: Buffer) => (output += c.toString()));
      second.stderr!.on('data', (c: Buffer) => (output += c.toString()));
      const code = await new Promise<number | null>((resolve) => second.on('close', (c) => resolve(c)));
      expect(code).to.not.equal(0);
      expect(code).to.not.equal(null);
      expect(output).to.include('in use by another process').and.to.include(`pid ${holder.child.pid}`);
      expect(output).to.not.include('ready');
    } finally {
      holder.child.kill('SIGKILL');
      await holder.exited;
    }
  });
});
