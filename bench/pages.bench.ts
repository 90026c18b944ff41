/**
 * Public pages benchmark (issue 6). On the embedded engine: 1,000 institutions × 20 resolutions
 * with 5 verified versions per pair and a published ranking; the app on port 0; autocannon at
 * 32 connections against the meeting page, a resolution page, an institution scorecard, the
 * ranking page and /api/v1/meetings/:id/resolutions, beside a static file of the same size served
 * by the same app in the same run. Then the implementation report (HTML and PDF) is timed.
 *
 * Targets: p99 ≤ 50 ms, each page ≥ 40 % of the static file's req/s, pages ≤ 60 KB compressed,
 * report < 3 s.
 *
 * Run alone: npx tsx bench/pages.bench.ts [institutions] [resolutions] [versions] [seconds]
 */
import { createRequire } from 'node:module';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createCapturingMailer } from '../src/mail/mailer.js';
import { createApp } from '../src/app.js';
import { PUBLIC_DIR } from '../src/paths.js';
import { createDraft, publishRanking } from '../src/features/rankings/rankings.service.js';
import { clearPublicCache } from '../src/features/public/public.cache.js';
import { InstitutionModel } from '../src/features/institutions/institution.model.js';
import { loadLargeDataset } from './fixtures/large-dataset.js';
import { runBench, startBenchEngine } from './fixtures/bench-db.js';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (options: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const [institutions = 1000, resolutions = 20, versionsPerPair = 5, seconds = 5] = process.argv.slice(2).map(Number);
const CONNECTIONS = 32;
const TARGET_P99_MS = 50;
const TARGET_RATIO = 0.4;
const TARGET_KB = 60;
const TARGET_REPORT_MS = 3000;

async function fetchWeight(base: string, path: string): Promise<{ status: number; bytes: number; gzipKb: number }> {
  const res = await fetch(base + path, { headers: { 'accept-encoding': 'identity' } });
  const body = Buffer.from(await res.arrayBuffer());
  return { status: res.status, bytes: body.length, gzipKb: Math.round((gzipSync(body).length / 1024) * 10) / 10 };
}

async function timeGet(base: string, path: string): Promise<{ ms: number; status: number; bytes: number }> {
  const start = performance.now();
  const res = await fetch(base + path);
  const body = Buffer.from(await res.arrayBuffer());
  return { ms: Math.round(performance.now() - start), status: res.status, bytes: body.length };
}

async function main(): Promise<void> {
  const bench = await startBenchEngine('maazimio-pages-bench-');
  const { dataDir } = bench;
  const staticName = `bench-static-${process.pid}.html`;
  const staticPath = join(PUBLIC_DIR, staticName);
  const config = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'bench-secret-that-is-long-enough-0123456789', DATA_DIR: dataDir, LOG_LEVEL: 'warn', BASE_URL: 'http://127.0.0.1' });
  const logger = createLogger(config);
  let server: import('node:http').Server | undefined;
  try {
    await bench.connect('maazimio_pages_bench');
    const t0 = performance.now();
    const data = await loadLargeDataset({ institutions, resolutions, versionsPerPair });
    console.log(`loaded ${institutions} institutions × ${resolutions} resolutions × ${versionsPerPair} versions (${data.reports} reports) in ${Math.round(performance.now() - t0)} ms`);
    const actor = { id: data.reviewerId, role: 'admin' as const, institutionId: null, name: 'bench', email: 'bench@example.tz' };
    const draft = await createDraft(actor, data.meetingId, { cutoff: new Date(data.lastReportAt.getTime() + 1000) } as never);
    const published = await publishRanking(actor, String(draft._id), 'bench');
    const rankingId = String(published._id);
    const inst = await InstitutionModel.findById(data.institutionIds[0]).lean();

    const app = createApp({ config, logger, mailer: createCapturingMailer(), now: () => new Date() });
    server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const base = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;

    const targets = [
      { name: 'meeting page', path: `/meetings/${data.meetingId}` },
      { name: 'resolution page', path: `/resolutions/${data.resolutionIds[0]}` },
      { name: 'institution scorecard', path: `/institutions/${inst?.code}` },
      { name: 'ranking page', path: `/rankings/${rankingId}` },
      { name: 'API resolutions', path: `/api/v1/meetings/${data.meetingId}/resolutions` },
    ];
    const meetingWeight = await fetchWeight(base, targets[0].path);
    writeFileSync(staticPath, 'x'.repeat(meetingWeight.bytes));
    const all = [{ name: 'static file (same size)', path: `/${staticName}` }, ...targets];

    const rows: Array<Record<string, string | number>> = [];
    let staticRps = 0;
    let ok = true;
    for (const target of all) {
      const weight = await fetchWeight(base, target.path);
      if (weight.status !== 200) throw new Error(`${target.path} answered ${weight.status}`);
      await autocannon({ url: base + target.path, connections: CONNECTIONS, duration: 1, headers: { 'accept-encoding': 'gzip' } }); // warm-up
      const r = await autocannon({ url: base + target.path, connections: CONNECTIONS, duration: seconds, workers: 1, headers: { 'accept-encoding': 'gzip' } });
      const rps = Math.round(r.requests.average);
      if (target.path.startsWith('/bench-static')) staticRps = rps;
      const ratio = staticRps > 0 ? rps / staticRps : 1;
      const isStatic = target.path.startsWith('/bench-static');
      const pass = isStatic || (r.latency.p99 <= TARGET_P99_MS && ratio >= TARGET_RATIO && (target.path.startsWith('/api') || weight.gzipKb <= TARGET_KB));
      if (!pass) ok = false;
      rows.push({
        target: target.name,
        'req/s': rps,
        'p50 ms': r.latency.p50,
        'p99 ms': r.latency.p99,
        'vs static': `${Math.round(ratio * 100)} %`,
        'KB raw': Math.round(weight.bytes / 102.4) / 10,
        'KB gzip': weight.gzipKb,
        errors: r.errors + r.non2xx,
        ok: isStatic ? '' : pass ? 'yes' : 'NO',
      });
    }
    console.log(`\n${CONNECTIONS} connections, ${seconds} s each, gzip; app in this process, load generator (autocannon) in a worker thread`);
    console.table(rows);

    // The implementation report, cold (memo cleared) then warm.
    const report: Array<Record<string, string | number>> = [];
    for (const [label, path] of [
      ['report HTML', `/meetings/${data.meetingId}/report`],
      ['report PDF', `/meetings/${data.meetingId}/report.pdf`],
    ]) {
      clearPublicCache();
      const cold = await timeGet(base, path);
      const warm = await timeGet(base, path);
      if (cold.ms >= TARGET_REPORT_MS || cold.status !== 200) ok = false;
      report.push({ target: `${label} (${institutions} institutions)`, status: cold.status, 'cold ms': cold.ms, 'warm ms': warm.ms, KB: Math.round(cold.bytes / 102.4) / 10, ok: cold.ms < TARGET_REPORT_MS ? 'yes' : 'NO' });
    }
    console.table(report);
    console.log(JSON.stringify({ bench: 'pages', institutions, resolutions, versionsPerPair, withinTargets: ok, rows, report }));
  } finally {
    rmSync(staticPath, { force: true });
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    }
    await bench.close();
  }
}

runBench(main);
