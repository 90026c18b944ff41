/**
 * `npm run bench:db`: speed of the embedded engine (issue #2).
 *
 * The engine runs as its own process (`src/db/embedded/cli.ts`), as with
 * `npm run db`, so its RSS and CPU are measured without the benchmark's own.
 * Data lives under bench-data/ (git-ignored) and is removed afterwards.
 *
 * Targets on the 2-core reference machine: >= 5,000 acknowledged inserts/s with
 * concurrent clients, >= 5,000 finds by _id/s, replay of 100k documents <= 2 s,
 * RSS <= 250 MB at 100k documents; a selective range or prefix query and a
 * sort + limit 20 as fast (within 2x) at 200k documents as at 20k (bench/db-indexes.ts).
 *
 * Two views of single-document inserts and finds by _id:
 * - "driver" rows: N connections of the official mongodb driver in this
 *   process. The driver spends ~250-300 us of CPU per insertOne/findOne
 *   (command building, BSON, server selection, sessions, timeouts, cursor
 *   objects), so ONE Node driver process tops out at ~3.5k ops/s on its own
 *   core, whatever the server. These rows stay for reference, with the
 *   benchmark process's CPU per op printed so the reader sees that limit.
 * - "wire" rows (engine capacity): N sockets of bench/db-wire-client.ts, each
 *   sending one OP_MSG command and waiting for its acknowledged reply (`ok: 1`,
 *   `n: 1`, no writeErrors; finds check the returned document) before sending
 *   the next. Same protocol and same per-connection round trips as the driver,
 *   at ~50 us of client CPU per op. The targets are about the engine, so the
 *   "met" column of the insert/find targets is computed from these rows.
 *   Splitting driver clients over several processes does not help here: engine
 *   plus driver CPU per op exceeds 2 cores at 5,000 ops/s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../src/db/embedded/index.js';
import { openStorage } from '../src/db/embedded/storage/index.js';
import { WireClientPool, checkFindOneReply, checkInsertReply } from './db-wire-client.js';
import { indexScaling, indexTable } from './db-indexes.js';

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
  /** CPU time of this (client) process, for the rows where it is the client. */
  clientCpuMs?: number;
  target?: string;
  ok?: boolean;
}
const rows: Row[] = [];

interface Target {
  minOpsPerSec?: number;
  maxMs?: number;
  /** Shown for the target but not judged here (the driver rows: the target is judged on the engine-capacity rows). */
  referenceOnly?: boolean;
}

function record(name: string, ops: number, ms: number, target?: Target, cpuMs?: number, clientCpuMs?: number): void {
  let ok: boolean | undefined;
  let label: string | undefined;
  if (target?.minOpsPerSec !== undefined) {
    ok = (ops / ms) * 1000 >= target.minOpsPerSec;
    label = `>= ${target.minOpsPerSec} ops/s`;
  } else if (target?.maxMs !== undefined) {
    ok = ms <= target.maxMs;
    label = `<= ${target.maxMs} ms`;
  }
  if (target?.referenceOnly) {
    ok = undefined;
    label = `(${label}: judged on the wire rows)`;
  }
  rows.push({ name, ops, ms, cpuMs, clientCpuMs, target: label, ok });
  const cpu = [cpuMs === undefined ? '' : `engine CPU ${cpuMs.toFixed(0)} ms`, clientCpuMs === undefined ? '' : `client CPU ${clientCpuMs.toFixed(0)} ms`].filter(Boolean).join(', ');
  console.error(`  ${name}: ${ops} ops in ${ms.toFixed(0)} ms${cpu ? ` (${cpu})` : ''}`);
}

const perOpUs = (ms: number | undefined, ops: number): string => (ms === undefined ? '' : ((ms * 1000) / ops).toFixed(0));

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
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--data-dir', dataDir, '--port', '0', '--quiet', '--no-auth'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
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
    let self0 = selfCpuMs();
    const insertMs = await concurrently(INSERTS, CONCURRENCY, (i) => small.insertOne({ _id: i, title: `Azimio namba ${i}`, at: new Date() }));
    record(`driver: insertOne x${INSERTS} (${CONCURRENCY} driver clients)`, INSERTS, insertMs, { minOpsPerSec: 5000, referenceOnly: true }, cpuMsOf(child.pid!) - cpu0, selfCpuMs() - self0);
    // Group commit scales with the number of writers waiting on one fsync.
    const wide = await MongoClient.connect(uri, { maxPoolSize: 64 });
    const wideSmall = wide.db('bench').collection<{ _id: number; title: string; at: Date }>('small');
    cpu0 = cpuMsOf(child.pid!);
    self0 = selfCpuMs();
    const wideMs = await concurrently(INSERTS, 64, (i) => wideSmall.insertOne({ _id: INSERTS + i, title: `Azimio namba ${i}`, at: new Date() }));
    record(`driver: insertOne x${INSERTS} (64 driver clients)`, INSERTS, wideMs, undefined, cpuMsOf(child.pid!) - cpu0, selfCpuMs() - self0);
    await wide.close();

    // 1b. The same inserts from raw wire clients: what the engine itself sustains.
    for (const [n, base] of [
      [CONCURRENCY, 2 * INSERTS],
      [64, 3 * INSERTS],
    ] as const) {
      const pool = await WireClientPool.open(uri, 'bench', n);
      cpu0 = cpuMsOf(child.pid!);
      const run = await pool.run(
        INSERTS,
        (i) => ({ insert: 'small', documents: [{ _id: base + i, title: `Azimio namba ${i}`, at: new Date() }], ordered: true }),
        checkInsertReply,
      );
      record(`wire: insert x${INSERTS}, ${n} concurrent wire clients (engine capacity)`, INSERTS, run.ms, n === CONCURRENCY ? { minOpsPerSec: 5000 } : undefined, cpuMsOf(child.pid!) - cpu0, run.clientCpuMs);
      pool.close();
      // Cross-check through the driver: every acknowledged insert is there, with its fields.
      const stored = await small.countDocuments({ _id: { $gte: base, $lt: base + INSERTS } });
      const sample = await small.findOne({ _id: base + INSERTS - 1 });
      if (stored !== INSERTS || sample?.title !== `Azimio namba ${INSERTS - 1}` || !(sample.at instanceof Date)) {
        throw new Error(`wire inserts: ${stored} of ${INSERTS} stored, sample ${JSON.stringify(sample)}`);
      }
    }

    // 2. Finds by _id.
    cpu0 = cpuMsOf(child.pid!);
    self0 = selfCpuMs();
    const findMs = await concurrently(FINDS, CONCURRENCY, async (i) => {
      const doc = await small.findOne({ _id: (i * 7919) % INSERTS });
      if (!doc) throw new Error(`missing ${i}`);
    });
    record(`driver: findOne by _id x${FINDS} (${CONCURRENCY} driver clients)`, FINDS, findMs, { minOpsPerSec: 5000, referenceOnly: true }, cpuMsOf(child.pid!) - cpu0, selfCpuMs() - self0);

    // 2b. The same finds from raw wire clients (the command findOne sends: filter, limit 1, single batch).
    const findPool = await WireClientPool.open(uri, 'bench', CONCURRENCY);
    cpu0 = cpuMsOf(child.pid!);
    const findRun = await findPool.run(
      FINDS,
      (i) => ({ find: 'small', filter: { _id: (i * 7919) % INSERTS }, limit: 1, singleBatch: true, batchSize: 1 }),
      (reply, i) => {
        const id = (i * 7919) % INSERTS;
        checkFindOneReply(reply, (doc) => doc._id === id && doc.title === `Azimio namba ${id}` && doc.at instanceof Date);
      },
    );
    record(`wire: find by _id x${FINDS}, ${CONCURRENCY} concurrent wire clients (engine capacity)`, FINDS, findRun.ms, { minOpsPerSec: 5000 }, cpuMsOf(child.pid!) - cpu0, findRun.clientCpuMs);
    findPool.close();

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

    // 5. Ordered indexes: the same selective queries at 20k and 200k documents (bench/db-indexes.ts).
    const indexLines = indexTable(await indexScaling());

    // Table.
    const lines = [
      '',
      '| benchmark | ops | time (ms) | ops/s | engine CPU (ms) | engine CPU/op (us) | client CPU/op (us) | target | met |',
      '|---|---:|---:|---:|---:|---:|---:|---|---|',
      ...rows.map(
        (r) =>
          `| ${r.name} | ${r.ops} | ${r.ms.toFixed(0)} | ${Math.round((r.ops / r.ms) * 1000)} | ${r.cpuMs === undefined ? '' : r.cpuMs.toFixed(0)} | ${perOpUs(r.cpuMs, r.ops)} | ${perOpUs(r.clientCpuMs, r.ops)} | ${r.target ?? ''} | ${r.ok === undefined ? '' : r.ok ? 'yes' : 'NO'} |`,
      ),
      `| engine RSS at ${BIG + 4 * INSERTS} docs | | | | | | | <= 250 MB | ${rss <= 250 ? 'yes' : 'NO'} (${rss.toFixed(0)} MB) |`,
      `load average at the end: ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')} (other processes share the CPUs and the disk)`,
      '',
      'The insert/find targets are judged on the "wire" rows (engine capacity): the benchmark process is the client, and one Node',
      'process running the mongodb driver spends the "client CPU/op" shown on its rows, ~3.5k ops/s of one core on this machine.',
      'The driver rows are kept for reference. CPU is user + system time; engine CPU/op includes its journal writes.',
      groupCommitNote,
      `journal files before replay: ${JSON.stringify(journalFiles)}`,
      `files after compaction: ${JSON.stringify(snapshotFiles)}`,
      `node ${process.version}, ${(await import('node:os')).cpus().length} CPUs`,
      ...indexLines,
    ];
    console.log(lines.join('\n'));
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
