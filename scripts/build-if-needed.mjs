// Compiles TypeScript only when a source file is newer than the last build,
// so `npm start` stays fast on a second run but never serves stale code.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const marker = 'dist/.tsbuildinfo';

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

const sourceTime = Math.max(newestMtime('src'), statSync('tsconfig.json').mtimeMs, statSync('package.json').mtimeMs);
if (!existsSync(marker) || statSync(marker).mtimeMs < sourceTime) {
  process.stdout.write('Building (tsc)...\n');
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
}
