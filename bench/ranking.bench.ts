/**
 * Ranking benchmark (issue 5): on the embedded engine, 1,000 institutions × 20 resolutions with
 * 5 verified versions per pair (92,860 reports, 18,572 progress items), compute a ranking (read
 * the verified values, score, store the draft). Targets: ≤ 500 ms and ≤ 300 MB RSS.
 *
 * How it measures (every step in its own process):
 * 1. A child process generates the data set into a data directory through the models (the
 *    engine writes it to disk) and stops its engine. Generating 92,860 reports leaves hundreds
 *    of MB of garbage and allocator high-water marks that have nothing to do with computing a
 *    ranking; before this split the RSS figure was mostly that.
 * 2. For each engine placement, a fresh process starts the engine on a copy of that directory,
 *    connects, and computes the ranking: one warm-up, then measured full createDraft runs.
 *    - own-process: the engine runs as `npm run db` in its own process, as production runs
 *      the app against a separate mongod. The app's RSS is then what the app and the ranking
 *      cost; the engine's RSS (the data set and the stored drafts) is printed beside it, as
 *      mongod's would be.
 *    - in-process: the engine runs inside the app process (the default when MONGODB_URI is
 *      unset); the RSS then includes the engine holding the whole data set.
 *   Printed per placement: wall time per run (median of 5), CPU time of the app process (and
 *   of the engine process) per run, RSS and heap before ranking, peak RSS over the runs
 *   (`process.resourceUsage().maxRSS`, the kernel's high-water mark) and the load average.
 *   Wall time depends on what else the machine runs; CPU time is far less disturbed.
 *   Then GET /admin/rankings/:id of the newest draft through the whole app as a signed-in
 *   admin (issue 11 target ≤ 200 ms); it runs after the peak RSS is read, so it is not in it.
 *
 * Run alone: npx tsx bench/ranking.bench.ts [institutions] [resolutions] [versions]
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';
import { startEmbeddedMongo } from '../src/db/embedded/index.js';
import { connectDatabase, disconnectDatabase } from '../src/db/connect.js';
import { createDraft } from '../src/features/rankings/ranking-workflow.service.js';
import { RankingModel } from '../src/features/rankings/ranking.model.js';
import { loadLargeDataset, type LargeDataset } from './fixtures/large-dataset.js';
import { runBench } from './fixtures/bench-db.js';
import { loadRankingInputs } from '../src/features/rankings/ranking-inputs.js';
import { InstitutionModel } from '../src/features/institutions/institution.model.js';
import { ResolutionModel } from '../src/features/resolutions/resolution.model.js';
import { computeRanking, defaultScoringParameters } from '../src/domain/scoring.js';
import request from 'supertest';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createCapturingMailer } from '../src/mail/mailer.js';
import { createApp } from '../src/app.js';
import { UserModel } from '../src/features/accounts/user.model.js';
import { hashPassword } from '../src/features/accounts/password.js';

const args = process.argv.slice(2);
const generateInto = args[0] === '--generate' ? args[1] : undefined;
const [institutions = 1000, resolutions = 20, versionsPerPair = 5] = (generateInto ? args.slice(2) : args).map(Number);
const TARGET_MS = 500;
const TARGET_RSS_MB = 300;
/** Issue 11: the admin page of one ranking (/admin/rankings/:id). */
const TARGET_ADMIN_PAGE_MS = 200;
const DB_NAME = 'maazimio_bench';
const RUNS = 5;

const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Child process: writes the data set into `dataDir` and its description into dataset.json. */
async function generate(dataDir: string): Promise<void> {
  const engine = await startEmbeddedMongo({ dataDir, port: 0 });
  try {
    await connectDatabase(engine.uri, { dbName: DB_NAME });
    await Promise.all(Object.values(mongoose.connection.models).map((m) => m.init()));
    const t0 = performance.now();
    const data = await loadLargeDataset({ institutions, resolutions, versionsPerPair });
    writeFileSync(join(dataDir, 'dataset.json'), JSON.stringify({ ...data, loadMs: Math.round(performance.now() - t0) }));
  } finally {
    await disconnectDatabase();
    await engine.stop();
  }
}

type Mode = 'own-process' | 'in-process';

interface Engine {
  uri: string;
  /** Engine process id when it runs in its own process. */
  pid?: number;
  stop(): Promise<void>;
}

/** Starts the engine on `dataDir`: in this process, or as `npm run db` in a child process. */
async function startEngine(mode: Mode, dataDir: string): Promise<Engine> {
  if (mode === 'in-process') return startEmbeddedMongo({ dataDir, port: 0 });
  const cli = fileURLToPath(new URL('../src/db/embedded/cli.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--data-dir', dataDir, '--port', '0', '--quiet', '--no-auth'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const uri = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /^ready (\S+)$/m.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`engine process exited with ${code}`)));
  });
  return {
    uri,
    pid: child.pid,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Current and peak RSS (bytes) and CPU time (ms) of another process, from /proc (Linux). */
function processStats(pid: number | undefined): { rss: number; hwm: number; cpuMs: number } | null {
  if (pid === undefined) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    // Fields 14 and 15 (utime, stime) in clock ticks of 10 ms; [0] here is field 3.
    const cpuMs = (Number(stat[11]) + Number(stat[12])) * 10;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM'), cpuMs };
  } catch {
    return null;
  }
}

/**
 * Wall time of GET /admin/rankings/:id for the newest draft, through the whole app (session,
 * Passport, CSRF, the route, the view) as a signed-in admin: median of 5 after a warm-up.
 * View caching is on as in production; cookies are not Secure here (plain HTTP to supertest).
 */
async function measureAdminPage(dataDir: string): Promise<{ medianMs: number; runs: number[]; bytes: number }> {
  const config = loadConfig({ NODE_ENV: 'development', SESSION_SECRET: 'bench-secret-that-is-long-enough-0123456789', DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
  const app = createApp({ config, logger: createLogger(config), mailer: createCapturingMailer(), now: () => new Date() });
  app.enable('view cache');
  const password = 'benchi-ya-orodha-ya-viwango';
  const email = `bench-admin-${Date.now()}@example.go.tz`;
  await UserModel.create({ email, name: 'Bench Admin', role: 'admin', passwordHash: await hashPassword(password), active: true, language: 'sw' });
  const agent = request.agent(app);
  const token = /name="_csrf" value="([^"]+)"/.exec((await agent.get('/login')).text)?.[1];
  const login = await agent.post('/login').type('form').send({ email, password, _csrf: token });
  if (login.status !== 302) throw new Error(`bench admin sign-in failed: HTTP ${login.status}`);
  const newest = await RankingModel.collection.findOne({}, { projection: { _id: 1 }, sort: { createdAt: -1 } });
  const url = `/admin/rankings/${String(newest?._id)}`;
  const first = await agent.get(url);
  if (first.status !== 200) throw new Error(`${url}: HTTP ${first.status}`);
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await agent.get(url).expect(200);
    runs.push(performance.now() - t);
  }
  return { medianMs: Math.round(median(runs)), runs: runs.map(Math.round), bytes: Buffer.byteLength(first.text) };
}

async function measure(mode: Mode, dataDir: string, data: LargeDataset): Promise<Record<string, unknown>> {
  const tStart = performance.now();
  const engine = await startEngine(mode, dataDir);
  try {
    await connectDatabase(engine.uri, { dbName: DB_NAME });
    await Promise.all(Object.values(mongoose.connection.models).map((m) => m.init()));
    const where = mode === 'in-process' ? 'in this process' : `in its own process (pid ${engine.pid})`;
    console.log(`\n[engine ${mode}] engine started on the data directory ${where} and connected in ${Math.round(performance.now() - tStart)} ms`);
    const base = process.memoryUsage();

    const actor = { id: data.reviewerId, role: 'admin' as const, institutionId: null, name: 'bench' };
    const cutoff = new Date(new Date(data.lastReportAt).getTime() + 1000);
    // Warm-up run (JIT, first query plans), then measured runs.
    const first = await createDraft(actor, data.meetingId, { cutoff }, new Date());
    console.log(`ranked ${first.entries.length} institutions, ${first.awards?.winners.length ?? 0} winners`);
    const runs: number[] = [];
    const cpuRuns: number[] = [];
    const engineCpuRuns: number[] = [];
    let peakHeap = process.memoryUsage().heapUsed;
    for (let i = 0; i < RUNS; i++) {
      const e0 = processStats(engine.pid);
      const start = performance.now();
      const cpu0 = process.cpuUsage();
      await createDraft(actor, data.meetingId, { cutoff }, new Date());
      runs.push(performance.now() - start);
      const cpu = process.cpuUsage(cpu0);
      cpuRuns.push((cpu.user + cpu.system) / 1000);
      const e1 = processStats(engine.pid);
      if (e0 && e1) engineCpuRuns.push(e1.cpuMs - e0.cpuMs);
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }
    const peakRss = process.resourceUsage().maxRSS * 1024;
    const engineStats = processStats(engine.pid);
    const stored = await RankingModel.collection.findOne({}, { projection: { _id: 1 }, sort: { createdAt: -1 } });
    const storedBytes = stored ? (await RankingModel.collection.find({ _id: stored._id }, { raw: true }).toArray())[0].byteLength : 0;

    // Where the time goes: reading the inputs from the engine vs the scoring itself.
    let t = performance.now();
    const resolutionDocs = await ResolutionModel.find({ meeting: data.meetingId }).lean();
    const inputs = await loadRankingInputs(resolutionDocs.map((r) => r._id), cutoff);
    const institutionDocs = await InstitutionModel.find({ active: true }).select({ code: 1, type: 1, region: 1, active: 1 }).lean();
    const readMs = performance.now() - t;
    const pure: number[] = [];
    for (let i = 0; i < 5; i++) {
      t = performance.now();
      computeRanking(
        {
          institutions: institutionDocs.map((d) => ({ id: String(d._id), code: d.code, type: d.type, region: d.region, active: d.active })),
          resolutions: resolutionDocs.map((r) => ({ id: String(r._id), number: r.number, weight: r.weight, appliesTo: r.appliesTo, active: r.active })),
          values: inputs.values,
          cutoff,
        },
        defaultScoringParameters(),
      );
      pure.push(performance.now() - t);
    }

    const adminPage = await measureAdminPage(dataDir);

    const load = loadavg().map((x) => x.toFixed(1)).join(' ');
    const inProcess = mode === 'in-process';
    console.log(`  of which: reading ${inputs.values.length} verdicts + institutions ${Math.round(readMs)} ms; pure scoring median ${Math.round(median(pure))} ms`);
    console.log(`ranking compute (createDraft): median ${Math.round(median(runs))} ms (runs ${runs.map((r) => Math.round(r)).join(', ')} ms), target ≤ ${TARGET_MS} ms`);
    console.log(
      `CPU time per run: app process median ${Math.round(median(cpuRuns))} ms (runs ${cpuRuns.map((r) => Math.round(r)).join(', ')} ms)` +
        (inProcess ? ' (includes the engine)' : `; engine process median ${Math.round(median(engineCpuRuns))} ms`) +
        `; load average ${load}`,
    );
    console.log(`stored draft: ${Math.round(storedBytes / 1024)} KB of BSON`);
    console.log(`admin page GET /admin/rankings/:id: median ${adminPage.medianMs} ms (runs ${adminPage.runs.join(', ')} ms, ${Math.round(adminPage.bytes / 1024)} KB of HTML), target ≤ ${TARGET_ADMIN_PAGE_MS} ms`);
    if (inProcess) {
      console.log(`app process (engine + data + app) with the data loaded, before ranking: RSS ${mb(base.rss)} MB, heap used ${mb(base.heapUsed)} MB`);
      console.log(`app process (engine + data + app) peak RSS over ${RUNS + 1} rankings: ${mb(peakRss)} MB, target ≤ ${TARGET_RSS_MB} MB; peak heap used ${mb(peakHeap)} MB`);
    } else {
      console.log(`app process (app only) before ranking: RSS ${mb(base.rss)} MB, heap used ${mb(base.heapUsed)} MB`);
      console.log(`app process (app only) peak RSS over ${RUNS + 1} rankings: ${mb(peakRss)} MB, target ≤ ${TARGET_RSS_MB} MB; peak heap used ${mb(peakHeap)} MB`);
      if (engineStats) console.log(`engine process (data + ${RUNS + 1} stored drafts): RSS ${mb(engineStats.rss)} MB now, peak ${mb(engineStats.hwm)} MB (includes loading the data at start)`);
    }
    return {
      engine: mode,
      medianMs: Math.round(median(runs)),
      medianCpuMs: Math.round(median(cpuRuns)),
      ...(inProcess ? {} : { engineMedianCpuMs: Math.round(median(engineCpuRuns)), engineRssMb: engineStats ? mb(engineStats.rss) : null, enginePeakRssMb: engineStats ? mb(engineStats.hwm) : null }),
      loadAverage: loadavg()[0],
      pureScoringMs: Math.round(median(pure)),
      readMs: Math.round(readMs),
      storedKb: Math.round(storedBytes / 1024),
      adminPageMs: adminPage.medianMs,
      adminPageKb: Math.round(adminPage.bytes / 1024),
      baseRssMb: mb(base.rss),
      peakRssMb: mb(peakRss),
      peakHeapMb: mb(peakHeap),
      withinTargets: median(runs) <= TARGET_MS && mb(peakRss) <= TARGET_RSS_MB && adminPage.medianMs <= TARGET_ADMIN_PAGE_MS,
    };
  } finally {
    await disconnectDatabase();
    await engine.stop();
  }
}

/** Generates the data once, then measures each engine placement on its own copy, each in a fresh process. */
async function main(): Promise<void> {
  const mode = process.env.RANKING_BENCH_ENGINE as Mode | undefined;
  const dataDir = process.env.RANKING_BENCH_DATA;
  if (mode && dataDir) {
    const data = JSON.parse(readFileSync(join(dataDir, 'dataset.json'), 'utf8')) as LargeDataset;
    const result = await measure(mode, dataDir, data);
    console.log(JSON.stringify({ bench: 'ranking', institutions, resolutions, versionsPerPair, ...result }));
    return;
  }
  const root = mkdtempSync(join(tmpdir(), 'maazimio-rank-bench-'));
  try {
    const generated = join(root, 'generated');
    const self = fileURLToPath(import.meta.url);
    const sizes = [String(institutions), String(resolutions), String(versionsPerPair)];
    const gen = spawnSync(process.execPath, ['--import', 'tsx', self, '--generate', generated, ...sizes], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (gen.status !== 0) throw new Error(`generating the data set failed (${gen.status ?? gen.signal})`);
    const data = JSON.parse(readFileSync(join(generated, 'dataset.json'), 'utf8')) as LargeDataset & { loadMs: number };
    console.log(`generated ${institutions} institutions × ${resolutions} resolutions × ${versionsPerPair} versions = ${data.reports} reports in ${data.loadMs} ms (separate process)`);
    for (const m of ['own-process', 'in-process'] as const) {
      const copy = join(root, m);
      cpSync(generated, copy, { recursive: true });
      const run = spawnSync(process.execPath, ['--import', 'tsx', self, ...sizes], {
        stdio: 'inherit',
        env: { ...process.env, RANKING_BENCH_ENGINE: m, RANKING_BENCH_DATA: copy },
      });
      if (run.status !== 0) throw new Error(`measuring with the engine ${m} failed (${run.status ?? run.signal})`);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

runBench(() => (generateInto ? generate(generateInto) : main()));
