import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project root, found by walking up from this file to package.json. Works both from src/
 * (tsx) and from dist/src/ (compiled), so views, locales and public files are always read from
 * the source tree (tsc does not copy them).
 */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
  return dir;
}

export const ROOT_DIR = findRoot();
export const VIEWS_DIR = join(ROOT_DIR, 'views');
export const PUBLIC_DIR = join(ROOT_DIR, 'public');
export const LOCALES_DIR = join(ROOT_DIR, 'src', 'i18n', 'locales');
