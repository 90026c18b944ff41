/**
 * Audit log page benchmark (issue 11): /admin/audit signed in as an admin, over a log of a busy
 * year (100,000 entries by default: claims, verifications, edits with before/after), on the
 * embedded engine. Each URL is requested sequentially (one officer reading the log); the median
 * and the 95th percentile of the server's answer time are printed. Target: median ≤ 200 ms.
 * The load average is printed because the machine may be shared.
 *
 * Run alone: npx tsx bench/audit.bench.ts [entries] [requests]
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Types } from 'mongoose';
import { createApp } from '../src/app.js';
import { logger } from '../src/logger.js';
import { createCapturingMailer } from '../src/mail/mailer.js';
import { AuditEntryModel } from '../src/features/audit/audit.model.js';
import { testConfig } from '../test/helpers/config.js';
import { createUser } from '../test/helpers/fixtures.js';
import { signIn } from '../test/helpers/http.js';
import { runBench, startBenchEngine } from './fixtures/bench-db.js';

const [entries = 100_000, requests = 20] = process.argv.slice(2).map(Number);
const TARGET_MS = 200;
const ACTIONS = ['progress.claim', 'progress.verify', 'progress.return', 'resolution.update', 'institution.update', 'auth.login.success', 'meeting.update'];
const ENTITIES = ['ProgressItem', 'ProgressItem', 'ProgressItem', 'Resolution', 'Institution', 'Session', 'Meeting'];

function entry(i: number, start: number) {
  const k = i % ACTIONS.length;
  return {
    at: new Date(start + i * 300_000),
    actor: new Types.ObjectId(),
    actorName: `Mratibu ${i % 400}`,
    actorEmail: `mratibu${i % 400}@taasisi.go.tz`,
    role: k < 3 ? 'institution' : 'admin',
    action: ACTIONS[k],
    entity: ENTITIES[k],
    entityId: new Types.ObjectId().toHexString(),
    summary: `entry ${i}`,
    before: { status: 'in_progress', percent: 40, title: { sw: `Azimio ${i % 20}`, en: `Resolution ${i % 20}` } },
    after: { status: 'completed', percent: 100, title: { sw: `Azimio ${i % 20}`, en: `Resolution ${i % 20}` }, dueDate: '2025-06-30' },
  };
}

function stats(ms: number[]): { median: number; p95: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], p95: sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] };
}

async function main(): Promise<void> {
  const engine = await startBenchEngine('audit-bench-');
  try {
    await engine.connect('audit_bench');
    const start = Date.UTC(2025, 0, 1);
    for (let i = 0; i < entries; i += 5000) {
      const batch = [];
      for (let j = i; j < Math.min(entries, i + 5000); j += 1) batch.push(entry(j, start));
      await AuditEntryModel.insertMany(batch, { ordered: false });
    }
    const app = createApp({ config: testConfig(), logger, mailer: createCapturingMailer(), now: () => new Date(), options: { loginRateLimit: 1000 } });
    const agent = await signIn(app, await createUser({ role: 'admin' }));
    const urls = ['/admin/audit', '/admin/audit?entity=Resolution', '/admin/audit?actor=mratibu7', '/admin/audit?from=01/03/2025&to=31/03/2025', '/admin/audit?page=200'];
    console.log(`audit log: ${entries} entries; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    for (const url of urls) {
      const res0 = await agent.get(url);
      if (res0.status !== 200) {
        console.log(`${url.padEnd(46)} HTTP ${res0.status}`);
        continue;
      }
      const ms: number[] = [];
      for (let r = 0; r < requests; r += 1) {
        const t0 = performance.now();
        await agent.get(url);
        ms.push(performance.now() - t0);
      }
      const s = stats(ms);
      console.log(`${url.padEnd(46)} median ${s.median.toFixed(0).padStart(5)} ms  p95 ${s.p95.toFixed(0).padStart(5)} ms  ${s.median <= TARGET_MS ? 'ok' : `over ${TARGET_MS} ms`}`);
    }
  } finally {
    await engine.close();
  }
}

runBench(main);
