/**
 * `npm run bench:db`: speed of the embedded engine through the real driver.
 *
 * The engine runs as its own process (`src/db/embedded/cli.ts`), as with
 * `npm run db`, so its RSS is measured without the benchmark's own memory.
 * Data lives under bench-data/ (git-ignored) and is removed afterwards.
 *
 * Targets on the 2-core reference machine: >= 5,000 acknowledged inserts/s with
 * concurrent clients, >= 5,000 finds by _id/s, replay of 100k documents <= 2 s,
 * RSS <= 250 MB at 100k documents.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../src/db/embedded/index.js';
import { openStorage } from '../src/db/embedded/storage/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(root, 'src/db/embedded/cli.ts');
const CONCURRENCY = 16;
const INSERTS = 10_000;
const FINDS = 10_000;
const BIG = 100_000;
const EQUALITY_QUERIES = 1_000;
const DISTINCT_CODES = 10_000;

interface Row {
  name: string;
  ops: number;
  ms: number;
  /** CPU time the engine spent (its process, or this one for in-process phases). */
  cpuMs?: number;
  target?: string;
  ok?: boolean;
}
const rows: Row[] = [];

function record(name: string, ops: number, ms: number, target?: { minOpsPerSec?: number; maxMs?: number }, cpuMs?: number): void {
  let ok: boolean | undefined;
  let label: string | undefined;
  if (target?.minOpsPerSec !== undefined) {
    ok = (ops / ms) * 1000 >= target.minOpsPerSec;
    label = `>= ${target.minOpsPerSec} ops/s`;
  } else if (target?.maxMs !== undefined) {
    ok = ms <= target.maxMs;
    label = `<= ${target.maxMs} ms`;
  }
  rows.push({ name, ops, ms, cpuMs, target: label, ok });
  console.error(`  ${name}: ${ops} ops in ${ms.toFixed(0)} ms${cpuMs === undefined ? '' : ` (engine CPU ${cpuMs.toFixed(0)} ms)`}`);
}

/** Runs `total` operations with `concurrency` workers; returns elapsed ms. */
async function concurrently(total: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await op(next++);
    }),
  );
  return performance.now() - started;
}

/** User + system CPU time of a process, in ms (Linux /proc). */
function cpuMsOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // clock ticks, USER_HZ = 100
}

function selfCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function startEngineProcess(dataDir: string): Promise<{ child: ChildProcess; uri: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--data-dir', dataDir, '--port', '0', '--quiet'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const uri = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /ready (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`engine exited with ${code}`)));
  });
  return { child, uri };
}

function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    child.on('exit', () => resolve());
    child.kill(signal);
  });
}

function dirBytes(dir: string): Record<string, number> {
  return Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.statSync(path.join(dir, f)).size]));
}

/** The storage layer alone: 16 writers, each waiting for its commit before the next, as 16 clients would. */
async function storageOnly(base: string): Promise<string> {
  const dir = fs.mkdtempSync(path.join(base, 'storage-'));
  try {
    const storage = (await openStorage({ dataDir: dir })) as Awaited<ReturnType<typeof openStorage>> & { stats(): { syncs: number; records: number } };
    const c0 = selfCpuMs();
    const ms = await concurrently(INSERTS, CONCURRENCY, (i) =>
      storage.commit([{ op: 'put', ns: 'bench.small', doc: { _id: i, title: `Azimio namba ${i}`, at: new Date() } }]),
    );
    record(`storage.commit x${INSERTS} alone (${CONCURRENCY} writers, in-process)`, INSERTS, ms, undefined, selfCpuMs() - c0);
    const { syncs, records } = storage.stats();
    await storage.close();
    return `group commit (storage alone): ${records} records in ${syncs} durable writes, ${(records / syncs).toFixed(1)} records per write`;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const base = path.join(root, 'bench-data');
  fs.mkdirSync(base, { recursive: true });
  const groupCommitNote = await storageOnly(base);
  const dataDir = fs.mkdtempSync(path.join(base, 'db-'));
  try {
    console.error(`data dir ${dataDir}`);
    const { child, uri } = await startEngineProcess(dataDir);
    const client = await MongoClient.connect(uri, { maxPoolSize: CONCURRENCY });
    const db = client.db('bench');

    // 1. Acknowledged single-document inserts from concurrent clients (group commit).
    const small = db.collection<{ _id: number; title: string; at: Date }>('small');
    await small.insertOne({ _id: -1, title: 'warm-up', at: new Date() });
    let cpu0 = cpuMsOf(child.pid!);
    const insertMs = await concurrently(INSERTS, CONCURRENCY, (i) => small.insertOne({ _id: i, title: `Azimio namba ${i}`, at: new Date() }));
    record(`insertOne x${INSERTS} (${CONCURRENCY} clients)`, INSERTS, insertMs, { minOpsPerSec: 5000 }, cpuMsOf(child.pid!) - cpu0);
    // Group commit scales with the number of writers waiting on one fsync.
    const wide = await MongoClient.connect(uri, { maxPoolSize: 64 });
    const wideSmall = wide.db('bench').collection<{ _id: number; title: string; at: Date }>('small');
    cpu0 = cpuMsOf(child.pid!);
    const wideMs = await concurrently(INSERTS, 64, (i) => wideSmall.insertOne({ _id: INSERTS + i, title: `Azimio namba ${i}`, at: new Date() }));
    record(`insertOne x${INSERTS} (64 clients)`, INSERTS, wideMs, undefined, cpuMsOf(child.pid!) - cpu0);
    await wide.close();

    // 2. Finds by _id.
    cpu0 = cpuMsOf(child.pid!);
    const findMs = await concurrently(FINDS, CONCURRENCY, async (i) => {
      const doc = await small.findOne({ _id: (i * 7919) % INSERTS });
      if (!doc) throw new Error(`missing ${i}`);
    });
    record(`findOne by _id x${FINDS} (${CONCURRENCY} clients)`, FINDS, findMs, { minOpsPerSec: 5000 }, cpuMsOf(child.pid!) - cpu0);

    // 3. A 100k-document collection with an indexed field.
    const big = db.collection<{ _id: number; [field: string]: unknown }>('big');
    await big.createIndex({ code: 1 });
    const statuses = ['not_started', 'in_progress', 'completed', 'overdue'];
    let loadMs = 0;
    cpu0 = cpuMsOf(child.pid!);
    for (let start = 0; start < BIG; start += 1000) {
      const batch = Array.from({ length: 1000 }, (_, k) => {
        const n = start + k;
        return { _id: n, code: `C${n % DISTINCT_CODES}`, status: statuses[n % statuses.length], score: n % 101, institution: `inst-${n % 250}`, title: `Azimio la mkutano ${n}`, createdAt: new Date(1_700_000_000_000 + n * 1000) };
      });
      const t = performance.now();
      await big.insertMany(batch, { ordered: false });
      loadMs += performance.now() - t;
    }
    record(`insertMany 100 x 1000 docs (load)`, BIG, loadMs, undefined, cpuMsOf(child.pid!) - cpu0);

    cpu0 = cpuMsOf(child.pid!);
    const eqMs = await concurrently(EQUALITY_QUERIES, CONCURRENCY, async (i) => {
      const docs = await big.find({ code: `C${(i * 31) % DISTINCT_CODES}` }).toArray();
      if (docs.length !== BIG / DISTINCT_CODES) throw new Error(`expected ${BIG / DISTINCT_CODES} docs, got ${docs.length}`);
    });
    record(`find by indexed field x${EQUALITY_QUERIES} (100k docs)`, EQUALITY_QUERIES, eqMs, undefined, cpuMsOf(child.pid!) - cpu0);

    cpu0 = cpuMsOf(child.pid!);
    const t = performance.now();
    const groups = await big.aggregate([{ $group: { _id: '$status', n: { $sum: 1 }, avgScore: { $avg: '$score' } } }, { $sort: { _id: 1 } }]).toArray();
    record('$group over 100k docs (1 pipeline)', 1, performance.now() - t, undefined, cpuMsOf(child.pid!) - cpu0);
    if (groups.reduce((s, g) => s + (g.n as number), 0) !== BIG) throw new Error('bad $group result');

    const rss = rssMb(child.pid!);
    await client.close();

    // 4. Replay. Kill the engine so nothing is compacted: the 110k writes must come back from the journal.
    await stopProcess(child, 'SIGKILL');
    const journalFiles = dirBytes(dataDir);
    let t0 = performance.now();
    let c0 = selfCpuMs();
    const storage = await openStorage({ dataDir });
    const journalReplayMs = performance.now() - t0;
    const journalReplayCpu = selfCpuMs() - c0;
    const replayedDocs = storage.initialState.collections.reduce((n, c) => n + c.documents.length, 0);
    await storage.close();
    record(`storage replay from journal (${replayedDocs} docs)`, replayedDocs, journalReplayMs, { maxMs: 2000 }, journalReplayCpu);

    t0 = performance.now();
    c0 = selfCpuMs();
    let engine = await startEmbeddedMongo({ dataDir });
    record('engine start from journal (replay + indexes)', replayedDocs, performance.now() - t0, { maxMs: 2000 }, selfCpuMs() - c0);
    t0 = performance.now();
    c0 = selfCpuMs();
    await engine.stop(); // a clean stop compacts into a snapshot
    record('engine stop with compaction to snapshot', replayedDocs, performance.now() - t0, undefined, selfCpuMs() - c0);
    const snapshotFiles = dirBytes(dataDir);

    t0 = performance.now();
    c0 = selfCpuMs();
    engine = await startEmbeddedMongo({ dataDir });
    record('engine start from snapshot (replay + indexes)', replayedDocs, performance.now() - t0, { maxMs: 2000 }, selfCpuMs() - c0);
    await engine.stop();

    // Table.
    const lines = [
      '',
      '| benchmark | ops | time (ms) | ops/s | engine CPU (ms) | target | met |',
      '|---|---:|---:|---:|---:|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.name} | ${r.ops} | ${r.ms.toFixed(0)} | ${Math.round((r.ops / r.ms) * 1000)} | ${r.cpuMs === undefined ? '' : r.cpuMs.toFixed(0)} | ${r.target ?? ''} | ${r.ok === undefined ? '' : r.ok ? 'yes' : 'NO'} |`,
      ),
      `| engine RSS at ${BIG + 2 * INSERTS} docs | | | | | <= 250 MB | ${rss <= 250 ? 'yes' : 'NO'} (${rss.toFixed(0)} MB) |`,
      `load average at the end: ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')} (other processes share the CPUs and the disk)`,
      '',
      groupCommitNote,
      `journal files before replay: ${JSON.stringify(journalFiles)}`,
      `files after compaction: ${JSON.stringify(snapshotFiles)}`,
      `node ${process.version}, ${(await import('node:os')).cpus().length} CPUs`,
    ];
    console.log(lines.join('\n'));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
