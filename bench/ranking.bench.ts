/**
 * Ranking benchmark (issue 5): on the embedded engine, 1,000 institutions × 20 resolutions with
 * 5 verified versions per pair (92,860 reports, 18,572 progress items), compute a ranking (read
 * the verified values, score, store the draft). Targets: ≤ 500 ms and ≤ 300 MB RSS.
 *
 * How it measures (two processes):
 * 1. A child process generates the data set into a data directory through the models (the
 *    engine writes it to disk) and stops its engine.
 * 2. This process starts the engine on that directory (in-process, holding the whole data set
 *    in memory, as a server started on existing data does), connects, and computes the
 *    ranking: one warm-up, then measured runs, each a full createDraft.
 * Generating 92,860 reports leaves hundreds of MB of garbage and allocator high-water marks
 * that have nothing to do with computing a ranking; before this split the RSS figure was mostly
 * that. The engine holding the data still runs in this process and its memory counts: the
 * printed RSS is the whole process (engine + data + app + ranking). Printed as well: the RSS
 * and heap with the data loaded before any ranking, and the peak RSS over the ranking runs
 * (`process.resourceUsage().maxRSS`, the kernel's high-water mark).
 * Wall time depends on what else the machine runs; the CPU time (user + system) of this
 * process per run is printed beside it (the engine runs in-process, so that is all the work).
 *
 * Run alone: npx tsx bench/ranking.bench.ts [institutions] [resolutions] [versions]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';
import { startEmbeddedMongo } from '../src/db/embedded/index.js';
import { connectDatabase, disconnectDatabase } from '../src/db/connect.js';
import { createDraft } from '../src/features/rankings/rankings.service.js';
import { RankingModel } from '../src/features/rankings/ranking.model.js';
import { loadLargeDataset, type LargeDataset } from './fixtures/large-dataset.js';
import { runBench } from './fixtures/bench-db.js';
import { loadRankingInputs } from '../src/features/rankings/ranking-inputs.js';
import { InstitutionModel } from '../src/features/institutions/institution.model.js';
import { ResolutionModel } from '../src/features/resolutions/resolution.model.js';
import { computeRanking, defaultScoringParameters } from '../src/domain/scoring.js';

const args = process.argv.slice(2);
const generateInto = args[0] === '--generate' ? args[1] : undefined;
const [institutions = 1000, resolutions = 20, versionsPerPair = 5] = (generateInto ? args.slice(2) : args).map(Number);
const TARGET_MS = 500;
const TARGET_RSS_MB = 300;
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

async function measure(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'maazimio-rank-bench-'));
  try {
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--generate', dataDir, String(institutions), String(resolutions), String(versionsPerPair)], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    if (child.status !== 0) throw new Error(`generating the data set failed (${child.status ?? child.signal})`);
    const data = JSON.parse(readFileSync(join(dataDir, 'dataset.json'), 'utf8')) as LargeDataset & { loadMs: number };
    console.log(`generated ${institutions} institutions × ${resolutions} resolutions × ${versionsPerPair} versions = ${data.reports} reports in ${data.loadMs} ms (separate process)`);

    const tStart = performance.now();
    const engine = await startEmbeddedMongo({ dataDir, port: 0 });
    try {
      await connectDatabase(engine.uri, { dbName: DB_NAME });
      await Promise.all(Object.values(mongoose.connection.models).map((m) => m.init()));
      console.log(`engine started on the data directory and connected in ${Math.round(performance.now() - tStart)} ms (in this process)`);
      global.gc?.();
      const base = process.memoryUsage();
      const baseMaxRss = process.resourceUsage().maxRSS * 1024;

      const actor = { id: data.reviewerId, role: 'admin' as const, institutionId: null, name: 'bench' };
      const cutoff = new Date(new Date(data.lastReportAt).getTime() + 1000);
      // Warm-up run (JIT, first query plans), then measured runs.
      const first = await createDraft(actor, data.meetingId, { cutoff });
      console.log(`ranked ${first.entries.length} institutions, ${first.awards?.winners.length ?? 0} winners`);
      const runs: number[] = [];
      const cpuRuns: number[] = [];
      let peakHeap = process.memoryUsage().heapUsed;
      for (let i = 0; i < RUNS; i++) {
        const start = performance.now();
        const cpu0 = process.cpuUsage();
        await createDraft(actor, data.meetingId, { cutoff });
        runs.push(performance.now() - start);
        const cpu = process.cpuUsage(cpu0);
        cpuRuns.push((cpu.user + cpu.system) / 1000);
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      }
      const peakRss = process.resourceUsage().maxRSS * 1024;
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

      const load = loadavg().map((x) => x.toFixed(1)).join(' ');
      console.log(`  of which: reading ${inputs.values.length} verdicts + institutions ${Math.round(readMs)} ms; pure scoring median ${Math.round(median(pure))} ms`);
      console.log(`ranking compute (createDraft): median ${Math.round(median(runs))} ms (runs ${runs.map((r) => Math.round(r)).join(', ')} ms), target ≤ ${TARGET_MS} ms`);
      console.log(`ranking compute CPU time: median ${Math.round(median(cpuRuns))} ms (runs ${cpuRuns.map((r) => Math.round(r)).join(', ')} ms); load average ${load}`);
      console.log(`stored draft: ${Math.round(storedBytes / 1024)} KB of BSON`);
      console.log(`memory with the data loaded, before ranking: RSS ${mb(base.rss)} MB, heap used ${mb(base.heapUsed)} MB (engine + ${data.reports} reports + app, this process)`);
      console.log(`peak RSS over the ranking runs ${mb(peakRss)} MB (whole process: engine + data + app + ${RUNS + 1} rankings), target ≤ ${TARGET_RSS_MB} MB; peak heap used ${mb(peakHeap)} MB; ranking runs added ${mb(Math.max(0, peakRss - Math.max(base.rss, baseMaxRss)))} MB to the RSS high-water mark`);
      console.log(`drafts stored: ${await RankingModel.countDocuments()}`);
      console.log(
        JSON.stringify({
          bench: 'ranking',
          institutions,
          resolutions,
          versionsPerPair,
          medianMs: Math.round(median(runs)),
          medianCpuMs: Math.round(median(cpuRuns)),
          loadAverage: loadavg()[0],
          pureScoringMs: Math.round(median(pure)),
          readMs: Math.round(readMs),
          storedKb: Math.round(storedBytes / 1024),
          baseRssMb: mb(base.rss),
          baseHeapMb: mb(base.heapUsed),
          peakRssMb: mb(peakRss),
          peakHeapMb: mb(peakHeap),
          engine: 'in-process, started on the generated data directory',
          withinTargets: median(runs) <= TARGET_MS && mb(peakRss) <= TARGET_RSS_MB,
        }),
      );
    } finally {
      await disconnectDatabase();
      await engine.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runBench(() => (generateInto ? generate(generateInto) : measure()));
