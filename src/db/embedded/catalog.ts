/**
 * The in-memory catalog: every collection by namespace, loaded from the
 * storage's recovered state. Commands change it synchronously and then await
 * `commit` with the matching journal ops before replying.
 */
import type { JournalOp, Storage, StoredState } from './storage/types.js';
import { Collection } from './collection.js';
import { MongoCommandError } from './errors.js';
import type { EngineLogger } from './logger.js';

export class Catalog {
  readonly collections = new Map<string, Collection>();
  /** Databases that exist without collections are not tracked, as in mongod. */
  private compacting: Promise<void> | undefined;

  constructor(
    private readonly storage: Storage,
    private readonly log: EngineLogger,
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
          this.log.error(`index ${spec.name} on ${cs.ns} could not be rebuilt`, { err: String(err) });
        }
      }
      this.collections.set(cs.ns, coll);
    }
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
    await this.storage.commit(ops);
    if (this.storage.shouldCompact() && !this.compacting) {
      this.compacting = this.storage
        .compact(this.snapshot())
        .catch((err: unknown) => this.log.error('compaction failed', { err: String(err) }))
        .finally(() => {
          this.compacting = undefined;
        });
    }
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
