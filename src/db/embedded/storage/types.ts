/**
 * The contract between the engine's in-memory catalog (which answers commands)
 * and its persistence layer (journal + snapshots). The catalog applies a change
 * in memory, hands the same change to `commit`, and replies to the client only
 * after `commit` resolves, i.e. after the change is fsynced.
 */
import type { Document } from 'bson';

/** A fully qualified collection name, "db.collection". */
export type Namespace = string;

export interface IndexSpec {
  name: string;
  key: Record<string, 1 | -1>;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
}

export interface CollectionState {
  ns: Namespace;
  options: Document;
  /** Every index except the implicit `_id_` one. */
  indexes: IndexSpec[];
  /** Stored documents; never mutated in place once handed over. */
  documents: Document[];
}

export interface StoredState {
  collections: CollectionState[];
}

/**
 * One journal operation. Replay must be idempotent: `put` replaces the whole
 * document with that `_id`, `del` of a missing document is a no-op, and so on.
 */
export type JournalOp =
  | { op: 'put'; ns: Namespace; doc: Document }
  | { op: 'del'; ns: Namespace; id: unknown }
  | { op: 'createCollection'; ns: Namespace; options: Document }
  | { op: 'dropCollection'; ns: Namespace }
  | { op: 'createIndex'; ns: Namespace; spec: IndexSpec }
  | { op: 'dropIndex'; ns: Namespace; name: string }
  | { op: 'dropDatabase'; db: string }
  | { op: 'renameCollection'; from: Namespace; to: Namespace };

export interface Storage {
  /** State recovered from the latest snapshot plus the journal replayed on top of it. */
  readonly initialState: StoredState;
  /**
   * Appends the ops as ONE journal record (all or nothing on replay) and
   * resolves once it is on disk. Concurrent calls are group-committed.
   */
  commit(ops: JournalOp[]): Promise<void>;
  /** True when the journal has grown past the compaction threshold. */
  shouldCompact(): boolean;
  /**
   * Writes `state` as the new snapshot and starts a fresh journal. `state` must
   * reflect every op passed to `commit` before this call (it is read synchronously
   * at call time; documents are never mutated afterwards). A crash at any moment
   * loses nothing.
   */
  compact(state: StoredState): Promise<void>;
  /** Flushes, releases the lock file. */
  close(): Promise<void>;
}

/**
 * The system calls the journal makes (node:fs by default). Replaced only by
 * fault-injection tests, to make a write or fsync fail on purpose.
 */
export interface JournalIo {
  write(fd: number, buf: Buffer, offset: number, length: number, position: null, cb: (err: NodeJS.ErrnoException | null, written: number) => void): void;
  fdatasync(fd: number, cb: (err: NodeJS.ErrnoException | null) => void): void;
}

export interface StorageOptions {
  dataDir: string;
  /** How a journal write is made durable: one O_DSYNC write (default where the platform has it) or write + fdatasync. */
  syncMethod?: 'o_dsync' | 'fdatasync';
  /** See `JournalIo`. */
  journalIo?: JournalIo;
  /**
   * Free space a snapshot must leave on the data directory's filesystem (default
   * 64 MiB), so that writing one never takes the room the journal needs.
   */
  minFreeBytes?: number;
  /** Journal size in bytes past which `shouldCompact` turns true. */
  compactThresholdBytes?: number;
  logger?: { warn(msg: string, extra?: unknown): void; info(msg: string, extra?: unknown): void; error(msg: string, extra?: unknown): void };
}
