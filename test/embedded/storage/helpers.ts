import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EJSON, type Document } from 'bson';
import type { StorageOptions, StoredState } from '../../../src/db/embedded/storage/index.js';

export type LogEntry = { level: 'info' | 'warn' | 'error'; msg: string; extra?: unknown };

/** A logger that records what it is told, for assertions. */
export function captureLogger(): NonNullable<StorageOptions['logger']> & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  return {
    entries,
    info: (msg, extra) => entries.push({ level: 'info', msg, extra }),
    warn: (msg, extra) => entries.push({ level: 'warn', msg, extra }),
    error: (msg, extra) => entries.push({ level: 'error', msg, extra }),
  };
}

const created: string[] = [];

export function tempDir(prefix = 'storage-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** Copies every file of a data directory (a "disk image" taken at some instant). */
export function copyDir(from: string, to?: string): string {
  const target = to ?? tempDir('storage-copy-');
  fs.mkdirSync(target, { recursive: true });
  // The lock file is left out: a crashed process's lock names a dead pid, while ours is alive.
  for (const name of fs.readdirSync(from)) if (name !== 'mongod.lock') fs.copyFileSync(path.join(from, name), path.join(target, name));
  return target;
}

/** The state as canonical extended JSON per collection, sorted, for deep comparisons that keep BSON types. */
export function canonical(state: StoredState): Record<string, { options: unknown; indexes: unknown; documents: string[] }> {
  const out: Record<string, { options: unknown; indexes: unknown; documents: string[] }> = {};
  for (const c of state.collections) {
    out[c.ns] = {
      options: JSON.parse(EJSON.stringify(c.options, { relaxed: false })),
      indexes: c.indexes.map((i) => JSON.parse(EJSON.stringify(i as unknown as Document, { relaxed: false }))).sort((a, b) => String(a.name).localeCompare(String(b.name))),
      documents: c.documents.map((d) => EJSON.stringify(d, { relaxed: false })).sort(),
    };
  }
  return out;
}

export function docsOf(state: StoredState, ns: string): Document[] {
  return state.collections.find((c) => c.ns === ns)?.documents ?? [];
}

export function files(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}
