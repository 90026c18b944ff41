/**
 * `npm run bench`: runs the benchmarks one after the other, each in its own process (so one
 * run's memory and engine do not disturb the next): the ranking computation (issue 5), then the
 * public pages and the implementation report (issue 6), then the signed-in pages (issue 10). Exits non-zero if a benchmark fails to run.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const benches = ['ranking.bench.ts', 'pages.bench.ts', 'signed-in.bench.ts'];
let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file} ===`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(here, file), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (run.status !== 0) {
    failed += 1;
    console.error(`${file} exited with ${run.status ?? run.signal}`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
