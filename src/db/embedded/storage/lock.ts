/**
 * The data-directory lock: `mongod.lock`, created exclusively and holding the
 * owner's pid (plus its start time from /proc, when available, so a pid reused
 * after a reboot is not mistaken for the owner). A lock whose owner is gone is
 * stale and is taken over with a warning.
 */
import fs from 'node:fs';
import os from 'node:os';
import { LOCK_FILE, join } from './files.js';
import type { StorageLogger } from './logger.js';

export class DataDirLockedError extends Error {
  readonly code = 'DATA_DIR_LOCKED';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `Data directory ${dataDir} is in use by another process (pid ${pid}, lock file ${join(dataDir, LOCK_FILE)}). ` +
        'Stop that process first, or use another data directory.',
    );
    this.name = 'DataDirLockedError';
  }
}

interface LockContent {
  pid: number;
  startTime?: string;
  host?: string;
}

function processStartTime(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; starttime is field 22 overall.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readRaw(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function parseLock(raw: string | undefined): LockContent | undefined {
  if (raw === undefined) return undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<LockContent>;
    return typeof parsed.pid === 'number' && Number.isInteger(parsed.pid) ? (parsed as LockContent) : undefined;
  } catch {
    return undefined;
  }
}

function ownerIsRunning(content: LockContent): boolean {
  if (content.host && content.host !== os.hostname()) return true; // cannot check another host: assume in use
  if (!isAlive(content.pid)) return false;
  if (content.startTime) {
    const current = processStartTime(content.pid);
    if (current !== undefined && current !== content.startTime) return false;
  }
  return true;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export class DataDirLock {
  private constructor(
    private readonly file: string,
    private readonly content: string,
  ) {}

  /** Takes the lock or throws `DataDirLockedError`. */
  static acquire(dataDir: string, logger: StorageLogger): DataDirLock {
    const file = join(dataDir, LOCK_FILE);
    const content = JSON.stringify({ pid: process.pid, startTime: processStartTime(process.pid), host: os.hostname() });
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const fd = fs.openSync(file, 'wx', 0o600);
        try {
          fs.writeSync(fd, content);
          fs.fsyncSync(fd);
        } finally {
          fs.closeSync(fd);
        }
        return new DataDirLock(file, content);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      let raw = readRaw(file);
      if (raw === undefined) continue; // released meanwhile
      let owner = parseLock(raw);
      if (!owner) {
        // The owner may be between creating the file and writing its pid.
        sleepSync(100);
        raw = readRaw(file);
        if (raw === undefined) continue;
        owner = parseLock(raw);
      }
      if (owner && ownerIsRunning(owner)) throw new DataDirLockedError(dataDir, owner.pid);
      // Another process may have taken the stale lock over in the meantime.
      if (readRaw(file) !== raw) continue;
      logger.warn(`taking over stale lock file ${file}`, { stalePid: owner?.pid ?? null });
      try {
        fs.unlinkSync(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    throw new Error(`Could not acquire lock file ${file}`);
  }

  release(): void {
    try {
      // Only remove the file if it is still ours.
      if (fs.readFileSync(this.file, 'utf8') === this.content) fs.unlinkSync(this.file);
    } catch {
      // already gone
    }
  }
}
