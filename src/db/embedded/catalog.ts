/**
 * The in-memory catalog: every collection by namespace, loaded from the
 * storage's recovered state. Commands change it synchronously and then await
 * `commit` with the matching journal ops before replying.
 */
import type { JournalOp, Storage, StoredState } from './storage/types.js';
import { Collection } from './collection.js';
import { MongoCommandError } from './errors.js';
import type { EngineLogger } from './logger.js';

/** Raised at start-up when a stored index cannot be rebuilt (e.g. its unique key is duplicated in the data). */
export class IndexRebuildError extends Error {
  constructor(ns: string, index: string, cause: unknown) {
    super(
      `Index ${index} on ${ns} could not be rebuilt at start-up: ${cause instanceof Error ? cause.message : String(cause)}. ` +
        'Start-up stopped instead of dropping the index; fix the documents or the index with a copy of the data directory.',
      { cause },
    );
    this.name = 'IndexRebuildError';
  }
}

export class Catalog {
  readonly collections = new Map<string, Collection>();
  /** Databases that exist without collections are not tracked, as in mongod. */
  private compacting: Promise<void> | undefined;
  /**
   * Set once a journal commit failed. Memory then holds changes that are not on
   * disk (and were refused to their clients), so the engine stops serving
   * (fail-stop, as mongod stops on an I/O error) until it is restarted.
   */
  private fatal: Error | undefined;

  constructor(
    private readonly storage: Storage,
    private readonly log: EngineLogger,
    private readonly onFatal: (err: Error) => void = () => {},
  ) {
    this.load(storage.initialState);
  }

  private load(state: StoredState): void {
    for (const cs of state.collections) {
      const coll = new Collection(cs.ns, cs.options ?? {});
      for (const doc of cs.documents) coll.load(doc);
      for (const spec of cs.indexes) {
        try {
          coll.addIndex(spec);
        } catch (err) {
          throw new IndexRebuildError(cs.ns, spec.name, err);
        }
      }
      this.collections.set(cs.ns, coll);
    }
  }

  /** The failure that stopped the engine, if any. */
  get failure(): Error | undefined {
    return this.fatal;
  }

  get(ns: string): Collection | undefined {
    return this.collections.get(ns);
  }

  /** Returns the collection, creating it (and its journal op) when missing. */
  getOrCreate(ns: string, ops: JournalOp[]): Collection {
    let coll = this.collections.get(ns);
    if (!coll) {
      validateNamespace(ns);
      coll = new Collection(ns, {});
      this.collections.set(ns, coll);
      ops.push({ op: 'createCollection', ns, options: {} });
    }
    return coll;
  }

  /** Like `getOrCreate` for the engine's own system collections (clients may not create them). */
  getOrCreateSystem(ns: string, ops: JournalOp[]): Collection {
    let coll = this.collections.get(ns);
    if (!coll) {
      coll = new Collection(ns, {});
      this.collections.set(ns, coll);
      ops.push({ op: 'createCollection', ns, options: {} });
    }
    return coll;
  }

  databases(): string[] {
    const names = new Set<string>();
    for (const c of this.collections.values()) names.add(c.db);
    return [...names].sort();
  }

  collectionsOf(db: string): Collection[] {
    return [...this.collections.values()].filter((c) => c.db === db);
  }

  /** Persists `ops` (if any) and resolves once they are durable. */
  async commit(ops: JournalOp[]): Promise<void> {
    if (ops.length === 0) return;
    try {
      await this.storage.commit(ops);
    } catch (err) {
      this.stop(err instanceof Error ? err : new Error(String(err)));
      throw err;
    }
    if (this.storage.shouldCompact() && !this.compacting) {
      this.compacting = this.storage
        .compact(this.snapshot())
        .catch(() => {
          // The storage logs it and backs off; the previous snapshot and journals stay in use.
        })
        .finally(() => {
          this.compacting = undefined;
        });
    }
  }

  private stop(err: Error): void {
    if (this.fatal) return;
    this.fatal = err;
    this.log.error('a journal write failed: the engine stops serving until it is restarted (nothing unwritten is ever read back)', { err: err.message });
    this.onFatal(err);
  }

  /** The whole state, sharing the (immutable) stored documents. */
  snapshot(): StoredState {
    return {
      collections: [...this.collections.values()].map((c) => ({
        ns: c.ns,
        options: c.options,
        indexes: c.indexSpecs(),
        documents: [...c.docs.values()],
      })),
    };
  }

  /** Compacts (snapshot + fresh journal) and releases the storage. */
  async close(): Promise<void> {
    try {
      if (this.compacting) await this.compacting;
      await this.storage.compact(this.snapshot());
    } catch (err) {
      this.log.error('compaction at shutdown failed', { err: String(err) });
    } finally {
      await this.storage.close();
    }
  }
}

export function validateNamespace(ns: string): void {
  const dot = ns.indexOf('.');
  const db = ns.slice(0, dot);
  const coll = ns.slice(dot + 1);
  if (dot <= 0 || coll.length === 0 || /[/\\. "$\0]/.test(db) || coll.includes('\0') || coll.startsWith('$') || coll.startsWith('system.')) {
    throw new MongoCommandError('InvalidNamespace', `Invalid namespace specified '${ns}'`);
  }
}
