/**
 * `npm run bench:soak -- [--seconds 600] [--rate 8]`: one app instance (child process, embedded
 * engine, fresh data directory with the demo data) under steady mixed traffic — public reads,
 * sign-ins, progress submissions with a small PDF, verifications. Passes when there was no 5xx,
 * every acknowledged submission is stored exactly once and intact, and the app's RSS grew less
 * than 10% from the end of warm-up (the first fifth of the run) to the end. Operations: 64% public
 * reads, 2% sign-ins (scrypt N=2^17 each), 20% report submissions, 14% verifications.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { rssMb, startApp, stopApp } from '../test/helpers/app-process.js';
import { runTraffic } from './reliability/traffic.js';
import { checkData, dataCheckPassed } from './reliability/check-data.js';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '600' }, rate: { type: 'string', default: '8' }, port: { type: 'string', default: '3917' } } });
const seconds = Number(values.seconds);
const rate = Number(values.rate);

const dataDir = mkdtempSync(join(tmpdir(), 'maazimio-soak-'));
try {
  console.log(`soak: ${seconds} s at ${rate} operations/s, data in ${dataDir}`);
  const app = await startApp(dataDir, Number(values.port));
  const pid = app.child.pid!;
  const samples: Array<{ t: number; rss: number }> = [];
  const started = Date.now();
  const sampler = setInterval(() => samples.push({ t: (Date.now() - started) / 1000, rss: rssMb(pid) }), 5000);
  const stats = await runTraffic({ base: app.url, accounts: app.accounts, rate, seconds, tag: 'soak' });
  clearInterval(sampler);
  samples.push({ t: (Date.now() - started) / 1000, rss: rssMb(pid) });
  const exitCode = await stopApp(app);
  const check = await checkData(dataDir, stats.acknowledged);

  const warm = samples.filter((s) => s.t >= seconds * 0.2);
  const first = warm.slice(0, 3);
  const last = warm.slice(-3);
  const avg = (xs: typeof samples) => xs.reduce((t, s) => t + s.rss, 0) / Math.max(1, xs.length);
  const growth = first.length > 0 ? (avg(last) - avg(first)) / avg(first) : 0;
  const peak = Math.max(...samples.map((s) => s.rss));
  const result = {
    seconds,
    rate,
    requests: stats.requests,
    requestsPerSecond: Number((stats.requests / seconds).toFixed(1)),
    byStatus: stats.byStatus,
    serverErrors: stats.serverErrors,
    clientTimeouts: stats.networkErrors,
    signIns: stats.signIns,
    submissionsAcknowledged: stats.acknowledged.length,
    verifications: stats.verifications,
    data: { ...check, missing: check.missing.length, duplicated: check.duplicated.length, brokenFiles: check.brokenFiles.length, versionProblems: check.versionProblems.slice(0, 5) },
    rssMb: { afterWarmUp: Number(avg(first).toFixed(1)), end: Number(avg(last).toFixed(1)), peak: Number(peak.toFixed(1)), growthPercent: Number((growth * 100).toFixed(1)) },
    cleanExit: exitCode === 0,
    samples: stats.samples,
  };
  console.log(JSON.stringify(result, null, 2));
  // A client timeout (120 s) is reported, not failed on: on a machine shared with other work it measures the machine.
  const ok = stats.serverErrors === 0 && dataCheckPassed(check) && growth < 0.1 && exitCode === 0;
  console.log(ok ? 'soak: PASS' : 'soak: FAIL');
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
