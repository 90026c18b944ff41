/**
 * File names in the data directory. Every journal and snapshot carries a
 * generation number: snapshot-N holds the state at the moment journal-N was
 * started, and journal-N holds every commit made after that moment.
 */
import fs from 'node:fs';
import path from 'node:path';

const GEN_DIGITS = 10;
const JOURNAL_RE = /^journal-(\d+)\.log$/;
const SNAPSHOT_RE = /^snapshot-(\d+)\.bson$/;
const SNAPSHOT_TEMP_RE = /^snapshot-\d+\.bson\.tmp$/;

export const LOCK_FILE = 'mongod.lock';

function pad(gen: number): string {
  return String(gen).padStart(GEN_DIGITS, '0');
}

export function journalName(gen: number): string {
  return `journal-${pad(gen)}.log`;
}

export function snapshotName(gen: number): string {
  return `snapshot-${pad(gen)}.bson`;
}

export function snapshotTempName(gen: number): string {
  return `${snapshotName(gen)}.tmp`;
}

export interface DirListing {
  journals: number[];
  snapshots: number[];
  temps: string[];
}

export function listDataDir(dir: string): DirListing {
  const listing: DirListing = { journals: [], snapshots: [], temps: [] };
  for (const name of fs.readdirSync(dir)) {
    let m = JOURNAL_RE.exec(name);
    if (m) {
      listing.journals.push(Number(m[1]));
      continue;
    }
    m = SNAPSHOT_RE.exec(name);
    if (m) {
      listing.snapshots.push(Number(m[1]));
      continue;
    }
    if (SNAPSHOT_TEMP_RE.test(name)) listing.temps.push(name);
  }
  listing.journals.sort((a, b) => a - b);
  listing.snapshots.sort((a, b) => a - b);
  return listing;
}

/** Makes a create, rename or unlink inside `dir` durable. */
export function fsyncDirSync(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export async function fsyncDir(dir: string): Promise<void> {
  const handle = await fs.promises.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export function join(dir: string, name: string): string {
  return path.join(dir, name);
}
