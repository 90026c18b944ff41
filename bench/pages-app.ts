/**
 * The app process of the pages benchmark (bench/pages.bench.ts forks it with an IPC channel):
 * a fresh process, like a production server, that connects to the engine running in its own
 * process (argv: uri, dbName, data dir), listens on a free port of 127.0.0.1 and answers the
 * orchestrator's messages:
 *   { cmd: 'clear-cache' }  empties the public pages memo (cold report timings)
 *   { cmd: 'stats' }        CPU time and GC pauses of this process since the previous 'stats'
 *   { cmd: 'stop' }         closes the server and the connection, then exits
 *   { cmd: 'heap-start' } / { cmd: 'heap-stop', file }  sampling allocation profile (every
 *                           allocation, including objects the GC has collected) written to file
 * It sends { ready: true, port } once listening. A fourth argument `signed-in` (bench/signed-in.bench.ts)
 * trusts the loopback proxy (the benchmark sends X-Forwarded-Proto: https, so production's secure
 * session cookie is set over plain HTTP) and allows enough sign-ins for its sessions.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createCapturingMailer } from '../src/mail/mailer.js';
import { createApp } from '../src/app.js';
import { connectDatabase, disconnectDatabase } from '../src/db/connect.js';
import { createPublicRead, publicReadOptions } from '../src/features/public/public-read.js';

export interface AppStats {
  cpuMs: number;
  gcCount: number;
  gcTotalMs: number;
  gcMaxMs: number;
  heapUsedMb: number;
  /** Used MB per V8 heap space (new_space, old_space, large_object_space, ...). */
  spacesMb: Record<string, number>;
}

type Message = { cmd: 'clear-cache' | 'stats' | 'stop' | 'heap-start' | 'heap-stop'; file?: string };

const [uri, dbName, dataDir, signedIn] = process.argv.slice(2);

let gc = { count: 0, total: 0, max: 0 };
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries() as PerformanceEntry[]) {
    gc.count += 1;
    gc.total += entry.duration;
    gc.max = Math.max(gc.max, entry.duration);
  }
});
observer.observe({ entryTypes: ['gc'] });
let cpuMark = process.cpuUsage();
const inspector = new Session();

function send(message: object): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  if (!uri || !dbName || !dataDir || !process.send) throw new Error('usage: forked by bench/pages.bench.ts with <uri> <dbName> <dataDir>');
  const config = loadConfig({
    NODE_ENV: 'production',
    SESSION_SECRET: 'bench-secret-that-is-long-enough-0123456789',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    BASE_URL: 'http://127.0.0.1',
    ...(signedIn === 'signed-in' ? { TRUST_PROXY: 'loopback' } : {}),
  });
  const logger = createLogger(config);
  await connectDatabase(uri, { dbName });
  // PAGES_BENCH_PRECOMPRESS=0 measures the public-read path without its precompressed memo (the
  // compression middleware then compresses every answer); the rate limit of heavy answers is
  // lifted so the report timings measure the report.
  const publicRead = createPublicRead(
    publicReadOptions(config, { publicRead: { precompress: process.env.PAGES_BENCH_PRECOMPRESS !== '0', heavyPerMinute: 1_000_000 } }),
  );
  const options = signedIn === 'signed-in' ? { loginRateLimit: 1000 } : undefined;
  const app = createApp({ config, logger, mailer: createCapturingMailer(), now: () => new Date(), options, publicRead });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  process.on('message', (message: Message) => {
    if (message.cmd === 'clear-cache') {
      publicRead.invalidate();
      send({ cleared: true });
    } else if (message.cmd === 'stats') {
      const cpu = process.cpuUsage(cpuMark);
      cpuMark = process.cpuUsage();
      const stats: AppStats = {
        cpuMs: (cpu.user + cpu.system) / 1000,
        gcCount: gc.count,
        gcTotalMs: gc.total,
        gcMaxMs: gc.max,
        heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20,
        spacesMb: Object.fromEntries(getHeapSpaceStatistics().map((sp) => [sp.space_name, Math.round(sp.space_used_size / 2 ** 20)])),
      };
      gc = { count: 0, total: 0, max: 0 };
      send({ stats });
    } else if (message.cmd === 'heap-start') {
      inspector.connect();
      void inspector
        .post('HeapProfiler.startSampling', { samplingInterval: 16384, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true })
        .then(() => send({ heap: 'started' }));
    } else if (message.cmd === 'heap-stop') {
      void inspector.post('HeapProfiler.stopSampling').then(({ profile }) => {
        writeFileSync(message.file ?? 'allocations.heapprofile', JSON.stringify(profile));
        inspector.disconnect();
        send({ heap: 'stopped' });
      });
    } else if (message.cmd === 'stop') {
      observer.disconnect();
      server.closeAllConnections();
      server.close(() => {
        void disconnectDatabase().finally(() => process.exit(0));
      });
    }
  });
  send({ ready: true, port: (server.address() as AddressInfo).port });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
