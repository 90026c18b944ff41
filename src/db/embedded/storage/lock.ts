/**
 * The data-directory lock: one engine process per data directory.
 *
 * On Linux the lock itself is a listening Unix socket in the abstract namespace
 * named after the directory's device and inode (`\0maazimio-mongod:<dev>:<ino>`).
 * Binding it is atomic and exclusive, and the kernel releases it when the process
 * dies, however it dies: two engines started at the same instant cannot both get
 * it, and a crashed owner leaves nothing to take over. `mongod.lock` is written
 * next to it only to say who owns the directory ({ pid, startTime, host }).
 *
 * Rules for a `mongod.lock` found when the socket was free:
 * - written on this host: stale, unless its pid is alive with the same start time
 *   (a process holding the file but not the socket, e.g. an older engine): refused;
 * - written on another host: stale when the directory is on a local filesystem
 *   (no other machine can be using it: the host was renamed, or a container got a
 *   new hostname); refused when it is on a network filesystem (NFS, SMB/CIFS,
 *   FUSE, Ceph, 9p...), where that host's process may be running: delete the file
 *   by hand once sure it is not.
 * Engines in different network namespaces (containers) do not see each other's
 * abstract sockets: containers that share a data directory must share the host's
 * network namespace, or keep to one engine.
 *
 * Elsewhere (macOS, Windows) the lock file alone is used: created exclusively,
 * stale when its pid is not alive.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import { LOCK_FILE, join } from './files.js';
import type { StorageLogger } from './logger.js';

export class DataDirLockedError extends Error {
  readonly code = 'DATA_DIR_LOCKED';
  constructor(
    readonly dataDir: string,
    readonly pid: number | undefined,
    detail = '',
  ) {
    super(
      `Data directory ${dataDir} is in use by another process (${pid === undefined ? 'pid unknown' : `pid ${pid}`}${detail}, lock file ${join(dataDir, LOCK_FILE)}). ` +
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

function readLock(file: string): LockContent | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockContent>;
    return typeof parsed.pid === 'number' && Number.isInteger(parsed.pid) ? (parsed as LockContent) : undefined;
  } catch {
    return undefined;
  }
}

/** A process on this host that still runs under the recorded pid and start time. */
function runsHere(content: LockContent): boolean {
  if (!isAlive(content.pid)) return false;
  if (content.startTime) {
    const current = processStartTime(content.pid);
    if (current !== undefined && current !== content.startTime) return false;
  }
  return true;
}

/** statfs f_type magic numbers of filesystems that other machines may mount too. */
const NETWORK_FILESYSTEMS = new Set([
  0x6969, // NFS
  0x517b, // SMB
  0xff534d42, // CIFS
  0xfe534d42, // SMB2
  0x65735546, // FUSE (sshfs, ...)
  0x00c36400, // Ceph
  0x01021997, // 9p
  0x5346414f, // AFS
  0x01161970, // GFS2
  0x7461636f, // OCFS2
  0x0bd00bd0, // Lustre
]);

function onNetworkFilesystem(dir: string): boolean {
  return NETWORK_FILESYSTEMS.has(fs.statfsSync(dir).type >>> 0);
}

function listen(server: net.Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ path }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export class DataDirLock {
  private constructor(
    private readonly file: string,
    private readonly content: string,
    private readonly socket: net.Server | undefined,
  ) {}

  /** Takes the lock or throws `DataDirLockedError`. */
  static async acquire(dataDir: string, logger: StorageLogger): Promise<DataDirLock> {
    const file = join(dataDir, LOCK_FILE);
    const content = JSON.stringify({ pid: process.pid, startTime: processStartTime(process.pid), host: os.hostname() });
    if (process.platform !== 'linux') return DataDirLock.acquireFile(dataDir, file, content, logger);

    const { dev, ino } = fs.statSync(dataDir);
    const server = net.createServer((peer) => peer.destroy());
    try {
      await listen(server, `\0maazimio-mongod:${dev}:${ino}`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      throw new DataDirLockedError(dataDir, readLock(file)?.pid);
    }
    // The socket must not keep the process alive, nor outlive it (libuv opens it close-on-exec).
    server.unref();
    try {
      const previous = readLock(file);
      if (previous) {
        const otherHost = previous.host !== undefined && previous.host !== os.hostname();
        if (otherHost && onNetworkFilesystem(dataDir)) {
          throw new DataDirLockedError(dataDir, previous.pid, ` on host ${previous.host}; the directory is on a network filesystem, so that process may still be running there`);
        }
        if (!otherHost && previous.pid !== process.pid && runsHere(previous)) {
          throw new DataDirLockedError(dataDir, previous.pid, ', which holds the lock file without the lock socket');
        }
        logger.warn(`taking over stale lock file ${file}`, { stalePid: previous.pid, ...(otherHost ? { staleHost: previous.host } : {}) });
      } else if (fs.existsSync(file)) {
        logger.warn(`taking over stale lock file ${file}`, { stalePid: null });
      }
      // Written whole, then renamed into place: a reader never sees a partial file.
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, content, { mode: 0o600 });
      fs.renameSync(tmp, file);
    } catch (err) {
      server.close();
      throw err;
    }
    return new DataDirLock(file, content, server);
  }

  /** Without the kernel lock: the file, created exclusively, stale when its pid is gone. */
  private static acquireFile(dataDir: string, file: string, content: string, logger: StorageLogger): DataDirLock {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        fs.writeFileSync(file, content, { flag: 'wx', mode: 0o600 });
        return new DataDirLock(file, content, undefined);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const owner = readLock(file);
      if (owner && (owner.host === undefined || owner.host === os.hostname()) && runsHere(owner)) throw new DataDirLockedError(dataDir, owner.pid);
      if (owner && owner.host !== undefined && owner.host !== os.hostname()) throw new DataDirLockedError(dataDir, owner.pid, ` on host ${owner.host}`);
      logger.warn(`taking over stale lock file ${file}`, { stalePid: owner?.pid ?? null });
      fs.rmSync(file, { force: true });
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
    this.socket?.close();
  }
}
