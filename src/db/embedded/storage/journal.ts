/**
 * The append-only journal: one record per `commit`, payload `{ ops: [...] }`.
 * `JournalWriter` group-commits: every record queued while a write+fsync is in
 * flight goes out together in the next write+fsync.
 */
import fs from 'node:fs';
import type { Document } from 'bson';
import { checkRecord, decodeDocument, findNextValidRecord, type RecordCheck } from './codec.js';
import { StorageUnavailableError } from './errors.js';
import type { JournalIo, JournalOp } from './types.js';

interface Pending {
  buf: Buffer;
  resolve: () => void;
  reject: (err: Error) => void;
}

export const nodeJournalIo: JournalIo = {
  write: (fd, buf, offset, length, position, cb) => fs.write(fd, buf, offset, length, position, cb),
  fdatasync: (fd, cb) => fs.fdatasync(fd, cb),
};

function writeAll(io: JournalIo, fd: number, buf: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (offset: number): void => {
      io.write(fd, buf, offset, buf.length - offset, null, (err, written) => {
        if (err) return reject(err);
        if (offset + written < buf.length) return step(offset + written);
        resolve();
      });
    };
    step(0);
  });
}

function fdatasync(io: JournalIo, fd: number): Promise<void> {
  return new Promise((resolve, reject) => io.fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}

export class JournalWriter {
  private queue: Pending[] = [];
  private flushing = false;
  private idleWaiters: Array<() => void> = [];
  private failure: Error | undefined;
  private closed = false;
  /** Durable write rounds (write+fsync, or one O_DSYNC write) and records written, for benchmarks and logs. */
  readonly stats = { syncs: 0, records: 0 };

  /**
   * @param ready nothing is written before it settles: a new journal waits for
   *   the previous one to drain, so acknowledgements stay in commit order.
   * @param onFailure told once when a write or fsync fails; the file may then end
   *   in a partial record, so this writer refuses every later append.
   */
  constructor(
    readonly file: string,
    private readonly fd: number,
    private bytes: number,
    /** The fd was opened with O_DSYNC: a completed write is already durable. */
    private readonly dsync: boolean,
    private readonly ready: Promise<unknown>,
    private readonly onFailure: (err: Error) => void,
    private readonly io: JournalIo = nodeJournalIo,
  ) {}

  get size(): number {
    return this.bytes;
  }

  append(buf: Buffer): Promise<void> {
    if (this.failure) return Promise.reject(new StorageUnavailableError('journal write failed earlier', { cause: this.failure }));
    if (this.closed) return Promise.reject(new StorageUnavailableError('journal is closed'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ buf, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Let the other commits of this event-loop turn join the first batch.
        setImmediate(() => void this.flushLoop());
      }
    });
  }

  private async flushLoop(): Promise<void> {
    try {
      await this.ready;
    } catch {
      // the previous journal's failure is reported through its own commits
    }
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      if (this.failure) {
        for (const p of batch) p.reject(new StorageUnavailableError('journal write failed earlier', { cause: this.failure }));
        continue;
      }
      const buf = batch.length === 1 ? batch[0].buf : Buffer.concat(batch.map((p) => p.buf));
      try {
        await writeAll(this.io, this.fd, buf);
        if (!this.dsync) await fdatasync(this.io, this.fd);
        this.bytes += buf.length;
        this.stats.syncs++;
        this.stats.records += batch.length;
        for (const p of batch) p.resolve();
      } catch (err) {
        this.failure = err as Error;
        this.onFailure(this.failure);
        // Best effort: cut a partial record so the file stays replayable.
        try {
          fs.ftruncateSync(this.fd, this.bytes);
          fs.fsyncSync(this.fd);
        } catch {
          // start-up recovery treats it as a torn tail
        }
        const wrapped = new StorageUnavailableError(`journal write to ${this.file} failed: ${this.failure.message}`, { cause: err });
        for (const p of batch) p.reject(wrapped);
      }
    }
    this.flushing = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /** Resolves once everything appended so far is written and fsynced (or failed). */
  drain(): Promise<void> {
    if (!this.flushing && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drains, then closes the file; later appends are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.drain();
    await new Promise<void>((resolve) => fs.close(this.fd, () => resolve()));
  }
}

export interface JournalScan {
  /** Number of intact records (each was handed to `onRecord`). */
  records: number;
  /** Byte offset where the intact records end. */
  validEnd: number;
  /** Set when the file has damage after `validEnd`. */
  damage?: { offset: number; reason: string; nextValidOffset: number };
}

function decodeOps(payload: Buffer): JournalOp[] | undefined {
  try {
    const doc: Document = decodeDocument(payload);
    return Array.isArray(doc.ops) ? (doc.ops as JournalOp[]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads every intact record of a journal file, handing each record's ops to
 * `onRecord` in file order. At the first damaged record it
 * stops and looks further on for any intact record: `damage.nextValidOffset` is
 * -1 when there is none (a torn tail that may be cut off), otherwise the damage
 * is in the middle of the file.
 */
export function scanJournal(buf: Buffer, onRecord: (ops: JournalOp[]) => void): JournalScan {
  let records = 0;
  let offset = 0;
  while (offset < buf.length) {
    const check: RecordCheck = checkRecord(buf, offset);
    let reason: string;
    if (check.ok) {
      const ops = decodeOps(check.payload);
      if (ops) {
        onRecord(ops);
        records++;
        offset = check.end;
        continue;
      }
      reason = 'record payload is not a valid journal entry';
    } else {
      reason = check.reason;
    }
    const nextValidOffset = findNextValidRecord(buf, offset + 1, (payload) => decodeOps(payload) !== undefined);
    return { records, validEnd: offset, damage: { offset, reason, nextValidOffset } };
  }
  return { records, validEnd: offset };
}
