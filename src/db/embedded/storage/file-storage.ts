/**
 * `Storage` on the local file system: recovery at open, group-committed
 * journal appends, snapshot compaction with generation numbers, and the
 * data-directory lock. See README.md in this folder for the file layout and
 * the recovery and compaction rules.
 */
import fs from 'node:fs';
import { encodeFramedArrayRecord } from './codec.js';
import { InsufficientSpaceError, StorageCorruptionError, StorageUnavailableError } from './errors.js';
import { fsyncDir, fsyncDirSync, join, journalName, listDataDir, snapshotName } from './files.js';
import { JournalWriter, scanJournal } from './journal.js';
import { DataDirLock } from './lock.js';
import { stderrLogger, type StorageLogger } from './logger.js';
import { readSnapshot, writeSnapshot } from './snapshot.js';
import { StateBuilder, freezeState } from './state.js';
import type { JournalOp, Storage, StorageOptions, StoredState } from './types.js';

export const DEFAULT_COMPACT_THRESHOLD_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MIN_FREE_BYTES = 64 * 1024 * 1024;
/** After a failed compaction the next one waits 1 min, then 2, 4... up to an hour. */
const COMPACT_BACKOFF_MS = 60_000;
const MAX_COMPACT_BACKOFF_MS = 60 * 60_000;

/** Bytes available to this process on the filesystem holding `dir`. */
async function freeBytes(dir: string): Promise<number> {
  const s = await fs.promises.statfs(dir);
  return s.bavail * s.bsize;
}

interface Recovered {
  state: StoredState;
  /** Generation of the journal to keep appending to. */
  activeGen: number;
  /** Bytes in the journals that the next snapshot will make obsolete. */
  journalBytes: number;
}

/** Rebuilds the state from the newest snapshot plus every journal written since, repairing a torn tail. */
function recover(dataDir: string, logger: StorageLogger): Recovered {
  const listing = listDataDir(dataDir);
  for (const temp of listing.temps) {
    // A snapshot that never got renamed into place: the previous generation is still complete.
    logger.warn(`removing unfinished file ${join(dataDir, temp)} left by an interrupted compaction`);
    fs.rmSync(join(dataDir, temp), { force: true });
  }

  const builder = new StateBuilder();
  const snapshotGen = listing.snapshots.length > 0 ? listing.snapshots[listing.snapshots.length - 1] : undefined;
  if (snapshotGen !== undefined) readSnapshot(dataDir, snapshotGen, builder);
  const baseGen = snapshotGen ?? 0;

  const journals = listing.journals.filter((g) => g >= baseGen);
  journals.forEach((gen, i) => {
    const expected = i === 0 ? baseGen : journals[i - 1] + 1;
    if (gen !== expected) {
      const missing = join(dataDir, journalName(expected));
      throw new StorageCorruptionError(missing, 0, `journal file is missing (found ${journalName(gen)} after ${snapshotGen === undefined ? 'no snapshot' : snapshotName(snapshotGen)})`);
    }
  });

  // Ops are applied while scanning; if damage turns out to be fatal, start-up
  // fails and the partly built state is thrown away.
  const scans = journals.map((gen) => {
    const file = join(dataDir, journalName(gen));
    return { file, scan: scanJournal(fs.readFileSync(file), (ops) => ops.forEach((op) => builder.apply(op))) };
  });
  // Damage is a repairable torn tail only if no intact record follows it, in
  // its own file or in any later journal.
  scans.forEach(({ file, scan }, i) => {
    if (!scan.damage) return;
    if (scan.damage.nextValidOffset >= 0) {
      throw new StorageCorruptionError(file, scan.damage.offset, `damaged record (${scan.damage.reason}) followed by an intact record at offset ${scan.damage.nextValidOffset}`);
    }
    const later = scans.slice(i + 1).find((s) => s.scan.records > 0);
    if (later) {
      throw new StorageCorruptionError(file, scan.damage.offset, `damaged record (${scan.damage.reason}) followed by intact records in ${later.file}`);
    }
  });

  let journalBytes = 0;
  for (const { file, scan } of scans) {
    if (scan.damage) {
      const size = fs.statSync(file).size;
      logger.warn(`journal ${file} has a torn or corrupt tail at byte offset ${scan.damage.offset} (${scan.damage.reason}); cutting off ${size - scan.validEnd} bytes`, {
        file,
        offset: scan.damage.offset,
        droppedBytes: size - scan.validEnd,
      });
      const fd = fs.openSync(file, 'r+');
      try {
        fs.ftruncateSync(fd, scan.validEnd);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
    journalBytes += scan.validEnd;
  }

  // Files older than the snapshot are obsolete: a compaction finished but was
  // interrupted before it removed them.
  let removed = false;
  for (const gen of listing.journals.filter((g) => g < baseGen)) {
    fs.rmSync(join(dataDir, journalName(gen)), { force: true });
    removed = true;
  }
  for (const gen of listing.snapshots.filter((g) => g < baseGen)) {
    fs.rmSync(join(dataDir, snapshotName(gen)), { force: true });
    removed = true;
  }
  if (removed) fsyncDirSync(dataDir);

  const activeGen = journals.length > 0 ? journals[journals.length - 1] : baseGen;
  return { state: builder.toStoredState(), activeGen, journalBytes };
}

/**
 * Opens a journal for appending. With O_DSYNC (Linux, macOS) each write returns
 * only once the data and the new file size are on disk: write and fsync in one
 * system call, one trip to the thread pool per group commit instead of two.
 */
function openJournalFd(dataDir: string, gen: number, syncMethod: StorageOptions['syncMethod']): { fd: number; size: number; created: boolean; dsync: boolean } {
  const file = join(dataDir, journalName(gen));
  const created = !fs.existsSync(file);
  const { O_APPEND, O_CREAT, O_WRONLY, O_DSYNC } = fs.constants;
  const dsync = syncMethod !== 'fdatasync' && typeof O_DSYNC === 'number' && O_DSYNC > 0;
  const fd = fs.openSync(file, dsync ? O_APPEND | O_CREAT | O_WRONLY | O_DSYNC : 'a', 0o600);
  return { fd, size: fs.fstatSync(fd).size, created, dsync };
}

export class FileStorage implements Storage {
  readonly initialState: StoredState;
  private writer: JournalWriter;
  private activeGen: number;
  /** Bytes in journals not yet covered by a snapshot. */
  private journalBytesBeforeActive = 0;
  private compaction: Promise<void> = Promise.resolve();
  private compacting = 0;
  private closed = false;
  private failure: Error | undefined;
  private readonly threshold: number;
  private readonly totals = { syncs: 0, records: 0 };
  /** Failed compactions in a row, and when the next one may run (back-off). */
  private compactFailures = 0;
  private compactNotBefore = 0;
  /** Size of the newest snapshot: the least the next one needs. */
  private snapshotBytes = 0;

  private constructor(
    private readonly dataDir: string,
    private readonly lock: DataDirLock,
    private readonly logger: StorageLogger,
    recovered: Recovered,
    private readonly options: StorageOptions,
  ) {
    this.initialState = recovered.state;
    this.activeGen = recovered.activeGen;
    this.threshold = options.compactThresholdBytes ?? DEFAULT_COMPACT_THRESHOLD_BYTES;
    const { fd, size, created, dsync } = openJournalFd(dataDir, this.activeGen, options.syncMethod);
    if (created) fsyncDirSync(dataDir);
    this.journalBytesBeforeActive = recovered.journalBytes - size;
    const newest = listDataDir(dataDir).snapshots.at(-1);
    if (newest !== undefined) this.snapshotBytes = fs.statSync(join(dataDir, snapshotName(newest))).size;
    this.writer = this.newWriter(this.activeGen, fd, size, dsync, Promise.resolve());
  }

  static async open(options: StorageOptions): Promise<FileStorage> {
    const logger = options.logger ?? stderrLogger;
    const dataDir = options.dataDir;
    await fs.promises.mkdir(dataDir, { recursive: true, mode: 0o700 });
    const lock = await DataDirLock.acquire(dataDir, logger);
    try {
      const started = Date.now();
      const recovered = recover(dataDir, logger);
      const storage = new FileStorage(dataDir, lock, logger, recovered, options);
      const documents = recovered.state.collections.reduce((n, c) => n + c.documents.length, 0);
      logger.info('storage recovered', { dataDir, generation: recovered.activeGen, collections: recovered.state.collections.length, documents, ms: Date.now() - started });
      return storage;
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  private newWriter(gen: number, fd: number, size: number, dsync: boolean, ready: Promise<unknown>): JournalWriter {
    return new JournalWriter(join(this.dataDir, journalName(gen)), fd, size, dsync, ready, (err) => {
      if (!this.failure) {
        this.failure = err;
        this.logger.error('journal write failed; no further writes are accepted', { error: err.message });
      }
    }, this.options.journalIo);
  }

  private unavailable(): StorageUnavailableError | undefined {
    if (this.closed) return new StorageUnavailableError('storage is closed');
    if (this.failure) return new StorageUnavailableError(`storage failed: ${this.failure.message}`, { cause: this.failure });
    return undefined;
  }

  commit(ops: JournalOp[]): Promise<void> {
    const error = this.unavailable();
    if (error) return Promise.reject(error);
    let record: Buffer;
    try {
      record = encodeFramedArrayRecord('ops', ops);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.writer.append(record);
  }

  /** Bytes of journal that the next compaction would fold into a snapshot. */
  get journalBytes(): number {
    return this.journalBytesBeforeActive + this.writer.size;
  }

  /** Generation of the journal currently appended to. */
  get generation(): number {
    return this.activeGen;
  }

  /** Journal write+fsync rounds and records since open: records per sync shows how well commits are grouped. */
  stats(): { syncs: number; records: number } {
    return { syncs: this.totals.syncs + this.writer.stats.syncs, records: this.totals.records + this.writer.stats.records };
  }

  shouldCompact(): boolean {
    return !this.closed && !this.failure && this.compacting === 0 && this.journalBytes >= this.threshold && Date.now() >= this.compactNotBefore;
  }

  compact(state: StoredState): Promise<void> {
    const error = this.unavailable();
    if (error) return Promise.reject(error);
    // Everything below up to the first await runs synchronously at the call, so
    // `state` and the journal switch describe the same instant: commits made
    // before this call go to the old journal, later ones to the new journal.
    const frozen = freezeState(state);
    const gen = this.activeGen + 1;
    let opened: ReturnType<typeof openJournalFd>;
    try {
      opened = openJournalFd(this.dataDir, gen, this.options.syncMethod);
    } catch (err) {
      return Promise.reject(err);
    }
    const oldWriter = this.writer;
    const oldDrained = oldWriter.close();
    // The new journal's first write waits until the old one is fully on disk
    // and the new file's directory entry is durable.
    const ready = Promise.all([oldDrained, fsyncDir(this.dataDir)]);
    this.writer = this.newWriter(gen, opened.fd, opened.size, opened.dsync, ready);
    this.journalBytesBeforeActive += oldWriter.size;
    void oldDrained.then(() => {
      this.totals.syncs += oldWriter.stats.syncs;
      this.totals.records += oldWriter.stats.records;
    });
    this.activeGen = gen;
    this.compacting++;

    const run = async (): Promise<void> => {
      await ready;
      // After a failed journal write the state may hold writes that never reached
      // the disk (and were never acknowledged); do not make them durable now.
      if (this.failure) throw new StorageUnavailableError(`compaction skipped: ${this.failure.message}`, { cause: this.failure });
      const started = Date.now();
      const reserve = this.options.minFreeBytes ?? DEFAULT_MIN_FREE_BYTES;
      // Checked before the first write and before every ~1 MB write after it: a snapshot
      // must never fill the disk under the journal (a failed journal write stops the engine).
      let written = 0;
      const bytes = await writeSnapshot(this.dataDir, gen, frozen, async (chunk) => {
        const needed = Math.max(chunk, this.snapshotBytes - written) + reserve;
        const free = await freeBytes(this.dataDir);
        if (free < needed) throw new InsufficientSpaceError(this.dataDir, free, needed);
        written += chunk;
      });
      this.snapshotBytes = bytes;
      // Only now that snapshot-gen is durable are older files unnecessary.
      const listing = listDataDir(this.dataDir);
      for (const g of listing.journals.filter((j) => j < gen)) await fs.promises.rm(join(this.dataDir, journalName(g)), { force: true });
      for (const g of listing.snapshots.filter((s) => s < gen)) await fs.promises.rm(join(this.dataDir, snapshotName(g)), { force: true });
      await fsyncDir(this.dataDir);
      this.journalBytesBeforeActive = 0;
      this.logger.info('compaction finished', { generation: gen, snapshotBytes: bytes, ms: Date.now() - started });
    };
    const result = this.compaction.then(run, run);
    this.compaction = result.then(
      () => {
        this.compactFailures = 0;
        this.compactNotBefore = 0;
      },
      (err: Error) => {
        // Back off: retrying a full copy on every commit would burn CPU and I/O for nothing.
        this.compactFailures++;
        const waitMs = Math.min(MAX_COMPACT_BACKOFF_MS, COMPACT_BACKOFF_MS * 2 ** (this.compactFailures - 1));
        this.compactNotBefore = Date.now() + waitMs;
        this.logger.error('compaction failed; the previous snapshot and journals stay in use', { generation: gen, error: err.message, retryInSeconds: waitMs / 1000 });
      },
    );
    return result.finally(() => {
      this.compacting--;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.writer.close();
      await this.compaction;
    } finally {
      this.lock.release();
    }
  }
}
