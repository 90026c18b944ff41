/**
 * `npm run bench:crash -- [--runs 20] [--rate 8]`: the soak traffic against one app instance that
 * is killed with SIGKILL at a random moment (2–8 s into each run's steady traffic) and started again on the same
 * data directory, `--runs` times. Passes when every start came up by itself, every submission
 * that got a success answer before a kill is stored exactly once with its whole file, and no
 * item is left half-written (report versions 1..lastVersion, no pending write-ahead copy).
 * Network errors at the kill are expected and counted; a 5xx is a failure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { killApp, startApp, stopApp, type DemoAccount } from '../test/helpers/app-process.js';
import { runTraffic, type Acknowledged } from './reliability/traffic.js';
import { checkData, dataCheckPassed } from './reliability/check-data.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, rate: { type: 'string', default: '8' }, port: { type: 'string', default: '3918' } } });
const runs = Number(values.runs);
const rate = Number(values.rate);

const dataDir = mkdtempSync(join(tmpdir(), 'maazimio-crash-'));
try {
  console.log(`crash: ${runs} SIGKILLs under ${rate} operations/s, data in ${dataDir}`);
  let accounts: DemoAccount[] = [];
  const acknowledged: Acknowledged[] = [];
  let serverErrors = 0;
  let networkErrors = 0;
  const startTimes: number[] = [];
  for (let run = 1; run <= runs; run++) {
    const t0 = Date.now();
    const app = await startApp(dataDir, Number(values.port));
    startTimes.push(Date.now() - t0);
    if (app.accounts.length > 0) accounts = app.accounts;
    // The kill comes 2–8 s after the steady traffic started (sessions signed in).
    const killAfter = 2000 + Math.random() * 6000;
    let ready: () => void = () => {};
    const started = new Promise<void>((resolve) => (ready = resolve));
    const killed = started.then(() => new Promise<void>((resolve) => setTimeout(() => void killApp(app).then(resolve), killAfter)));
    const stats = await runTraffic({ base: app.url, accounts, rate, seconds: 120, stop: killed, tag: `crash${run}`, onReady: ready });
    ready();
    await killed;
    acknowledged.push(...stats.acknowledged);
    serverErrors += stats.serverErrors;
    networkErrors += stats.networkErrors;
    console.log(`run ${run}: killed after ${(killAfter / 1000).toFixed(1)} s; ${stats.requests} answers, ${stats.acknowledged.length} submissions acknowledged, ${stats.serverErrors} 5xx, ${stats.networkErrors} cut off`);
  }
  // One last start repairs what the last kill interrupted, as any start does; then a clean stop.
  const last = await startApp(dataDir, Number(values.port));
  const exitCode = await stopApp(last);
  const check = await checkData(dataDir, acknowledged);
  const result = {
    runs,
    startsWithoutHelp: startTimes.length,
    slowestStartMs: Math.max(...startTimes),
    submissionsAcknowledged: acknowledged.length,
    serverErrors,
    requestsCutOffByKills: networkErrors,
    data: { ...check, missing: check.missing.length, duplicated: check.duplicated.length, brokenFiles: check.brokenFiles.length, versionProblems: check.versionProblems.slice(0, 5) },
    cleanExitAtEnd: exitCode === 0,
  };
  console.log(JSON.stringify(result, null, 2));
  const ok = serverErrors === 0 && dataCheckPassed(check) && exitCode === 0;
  console.log(ok ? 'crash: PASS' : 'crash: FAIL');
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
