/**
 * Signed-in pages benchmark (issue 10): the weekly pages of focal persons and reviewers, at
 * 1,000 institutions × 3 meetings of history (30 resolutions, 30,000 rows, ~60,000 report versions,
 * 12,000 notifications; bench/fixtures/signed-in-dataset.ts), in production mode.
 *
 * For each page: the median of single sequential requests (one session, nothing else running),
 * then autocannon at 16 connections, each its own signed-in session (16 focal persons, or 16
 * reviewers), beside the stylesheet served by the same app in the same run.
 * Targets: single-request median ≤ 15 ms; at 16 sessions p99 ≤ 100 ms and ≥ 20 % of the
 * stylesheet's requests/s.
 *
 * Processes as in bench/pages.bench.ts (bench/fixtures/processes.ts): the engine in its own
 * process, a fresh app process, one load-generator process per run. The app's CPU per request
 * and GC pauses are printed beside each row. Production mode sets secure cookies; the app trusts
 * the loopback proxy and every request says X-Forwarded-Proto: https, as behind a TLS proxy.
 *
 * Run alone: npx tsx bench/signed-in.bench.ts [institutions] [seconds] (under `flock /tmp/bench.lock`
 * on a shared machine). SIGNED_IN_BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the app process;
 * SIGNED_IN_BENCH_ONLY=<word> measures only the targets whose name contains it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { connectDatabase, disconnectDatabase } from '../src/db/connect.js';
import { createLogger } from '../src/logger.js';
import { sessionCookieName } from '../src/middleware/session.js';
import { loadSignedInDataset } from './fixtures/signed-in-dataset.js';
import { autocannon, startAppProcess, startEngineProcess } from './fixtures/processes.js';
import { runBench } from './fixtures/bench-db.js';

const [institutions = 1000, seconds = 5] = process.argv.slice(2).map(Number);
const CONNECTIONS = 16;
const SEQUENTIAL = 40;
const TARGET_MEDIAN_MS = 15;
const TARGET_P99_MS = 100;
const TARGET_RATIO = 0.2;
const DB_NAME = 'maazimio_signed_in_bench';
const PROXY = { 'x-forwarded-proto': 'https' };

const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');

/** "name=value" of the session cookie a response sets ('' when none). */
function sessionCookie(headers: Headers): string {
  return headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith(`${sessionCookieName(true)}=`)) ?? '';
}

/** Signs in through the login form like a browser; resolves the session cookie ("name=value"). */
async function signIn(base: string, email: string, password: string): Promise<string> {
  const form = await fetch(`${base}/login`, { headers: PROXY });
  const cookie = sessionCookie(form.headers);
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1];
  if (!cookie || !token) throw new Error('sign-in form without session cookie or CSRF token');
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...PROXY, cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, password, _csrf: token }).toString(),
  });
  const signedIn = sessionCookie(res.headers);
  if (res.status !== 302 || !signedIn) throw new Error(`sign-in of ${email} answered ${res.status}`);
  return signedIn;
}

async function medianMs(url: string, cookie: string): Promise<{ ms: number; status: number; kb: number; location: string }> {
  const times: number[] = [];
  let status = 0;
  let bytes = 0;
  let location = '';
  for (let i = 0; i < SEQUENTIAL; i++) {
    const start = performance.now();
    const res = await fetch(url, { headers: { ...PROXY, cookie, 'accept-encoding': 'gzip' }, redirect: 'manual' });
    const body = await res.arrayBuffer();
    times.push(performance.now() - start);
    status = res.status;
    location = res.headers.get('location') ?? '';
    bytes = body.byteLength;
  }
  times.sort((a, b) => a - b);
  return { ms: Math.round(times[Math.floor(times.length / 2)] * 10) / 10, status, kb: Math.round(bytes / 102.4) / 10, location };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'maazimio-signed-in-bench-'));
  const engine = await startEngineProcess(join(dataDir, 'db'));
  let app: Awaited<ReturnType<typeof startAppProcess>> | undefined;
  process.once('exit', () => {
    app?.kill();
    engine.child.kill('SIGTERM');
  });
  try {
    createLogger({ logLevel: 'warn' });
    await connectDatabase(engine.uri, { dbName: DB_NAME });
    await Promise.all(Object.values(mongoose.connection.models).map((m) => m.init()));
    const t0 = performance.now();
    const data = await loadSignedInDataset({ institutions, resolutionsPerMeeting: 10, reviewers: CONNECTIONS, now: new Date() });
    console.log(`loaded ${institutions} institutions × 3 meetings (${data.items} rows, ${data.reports} reports) in ${Math.round(performance.now() - t0)} ms`);
    await disconnectDatabase();

    app = await startAppProcess(engine.uri, DB_NAME, dataDir, 'SIGNED_IN_BENCH', ['signed-in']);
    const { base } = app;
    const focal: string[] = [];
    const reviewers: string[] = [];
    for (let i = 0; i < CONNECTIONS; i++) {
      focal.push(await signIn(base, data.focalEmails[i], data.password));
      reviewers.push(await signIn(base, data.reviewerEmails[i], data.password));
    }
    const perFocal = (suffix: string) => data.focalItemIds.slice(0, CONNECTIONS).map((id) => `/progress/items/${id}${suffix}`);
    const targets: Array<{ name: string; cookies: string[]; paths: string[] }> = [
      { name: 'stylesheet /css/app.css', cookies: focal, paths: ['/css/app.css'] },
      { name: 'dashboard /progress', cookies: focal, paths: ['/progress'] },
      { name: 'progress item', cookies: focal, paths: perFocal('') },
      { name: 'item history', cookies: focal, paths: perFocal('/history') },
      { name: 'bulk form /progress/bulk', cookies: focal, paths: ['/progress/bulk'] },
      { name: 'notifications', cookies: focal, paths: ['/notifications'] },
      { name: 'review queue /review', cookies: reviewers, paths: ['/review'] },
      { name: 'review item', cookies: reviewers, paths: [`/review/items/${data.queuedItemId}`] },
      { name: 'gaps /review/gaps', cookies: reviewers, paths: ['/review/gaps'] },
    ];
    // SIGNED_IN_BENCH_ONLY=<word>: only the stylesheet and the targets whose name contains it (profiling).
    const only = process.env.SIGNED_IN_BENCH_ONLY;
    const chosen = only ? targets.filter((t, i) => i === 0 || t.name.includes(only)) : targets;
    const rows: Array<Record<string, string | number>> = [];
    let staticRps = 0;
    let ok = true;
    const loadBefore = load();
    for (const target of chosen) {
      const single = await medianMs(base + target.paths[0], target.cookies[0]);
      if (single.status !== 200) throw new Error(`${target.paths[0]} answered ${single.status} ${single.location}`);
      await autocannon(base, { connections: CONNECTIONS, duration: 1, cookies: target.cookies, paths: target.paths }); // warm-up
      await app.stats();
      const r = await autocannon(base, { connections: CONNECTIONS, duration: seconds, cookies: target.cookies, paths: target.paths });
      const stats = await app.stats();
      const rps = Math.round(r.requests.average);
      const isStatic = target.paths[0].startsWith('/css/');
      if (isStatic) staticRps = rps;
      const ratio = staticRps > 0 ? rps / staticRps : 1;
      const pass = isStatic || (single.ms <= TARGET_MEDIAN_MS && r.latency.p99 <= TARGET_P99_MS && ratio >= TARGET_RATIO && r.non2xx + r.errors === 0);
      if (!pass) ok = false;
      rows.push({
        target: target.name,
        'single ms': single.ms,
        'req/s': rps,
        'p50 ms': r.latency.p50,
        'p99 ms': r.latency.p99,
        'vs css': `${Math.round(ratio * 100)} %`,
        'KB gzip': single.kb,
        'app CPU µs/req': r.requests.total > 0 ? Math.round((stats.cpuMs * 1000) / r.requests.total) : 0,
        'GC max ms': Math.round(stats.gcMaxMs * 10) / 10,
        errors: r.errors + r.non2xx,
        ok: isStatic ? '' : pass ? 'yes' : 'NO',
      });
    }
    console.log(
      `\n${CONNECTIONS} signed-in sessions, ${seconds} s each, gzip, production mode; single = median of ${SEQUENTIAL} sequential requests. ` +
        `Load average ${loadBefore} before, ${load()} after.`,
    );
    console.table(rows);
    console.log(JSON.stringify({ bench: 'signed-in', institutions, loadavg: load(), withinTargets: ok, rows }));
  } finally {
    if (app) await Promise.race([app.stop(), new Promise((resolve) => setTimeout(resolve, 5000))]).finally(() => app?.kill());
    await disconnectDatabase().catch(() => undefined);
    await new Promise<void>((resolve) => {
      engine.child.once('exit', () => resolve());
      engine.child.kill('SIGTERM');
    });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runBench(main);
