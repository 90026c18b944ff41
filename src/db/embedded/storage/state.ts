/**
 * The recovered state while it is being rebuilt: a snapshot is loaded into it,
 * then journal ops are applied in order. Applying an op is idempotent, as the
 * contract requires (a `put` replaces the document, deleting a missing document
 * or dropping a missing collection is a no-op).
 */
import { Double, Long, ObjectId, EJSON, type Document } from 'bson';
import type { CollectionState, IndexSpec, JournalOp, Namespace, StoredState } from './types.js';

interface MutableCollection {
  ns: Namespace;
  options: Document;
  indexes: Map<string, IndexSpec>;
  /**
   * Documents straight from a snapshot (unique by _id), kept as a plain list
   * until a journal op needs lookups by _id: after a clean shutdown the journal
   * is empty and no per-document key is ever computed.
   */
  list: Document[] | undefined;
  byId: Map<string, Document> | undefined;
}

/** A key that identifies an `_id` value the way MongoDB compares them (1, 1.0 and Long(1) are equal). */
export function idKey(id: unknown): string {
  if (typeof id === 'string') return `s${id}`;
  if (typeof id === 'number') return `n${id}`;
  if (id instanceof ObjectId) return `o${id.toHexString()}`;
  if (id instanceof Date) return `d${id.getTime()}`;
  if (id instanceof Double) return `n${id.value}`;
  if (Long.isLong(id)) {
    const n = id.toNumber();
    return Number.isSafeInteger(n) ? `n${n}` : `l${id.toString()}`;
  }
  if (id === null || id === undefined) return 'null';
  return `x${EJSON.stringify(id as Document, { relaxed: false })}`;
}

export class StateBuilder {
  private readonly collections = new Map<Namespace, MutableCollection>();

  private collection(ns: Namespace): MutableCollection {
    let coll = this.collections.get(ns);
    if (!coll) {
      coll = { ns, options: {}, indexes: new Map(), list: [], byId: undefined };
      this.collections.set(ns, coll);
    }
    return coll;
  }

  /** Loads one collection's metadata from a snapshot. */
  addCollection(ns: Namespace, options: Document, indexes: IndexSpec[]): void {
    const coll = this.collection(ns);
    coll.options = options;
    for (const spec of indexes) coll.indexes.set(spec.name, spec);
  }

  addDocuments(ns: Namespace, docs: Document[]): void {
    const coll = this.collection(ns);
    if (coll.list) {
      for (const doc of docs) coll.list.push(doc);
    } else {
      for (const doc of docs) coll.byId!.set(idKey(doc._id), doc);
    }
  }

  private byId(coll: MutableCollection): Map<string, Document> {
    if (!coll.byId) {
      coll.byId = new Map();
      for (const doc of coll.list!) coll.byId.set(idKey(doc._id), doc);
      coll.list = undefined;
    }
    return coll.byId;
  }

  apply(op: JournalOp): void {
    switch (op.op) {
      case 'put':
        this.byId(this.collection(op.ns)).set(idKey(op.doc._id), op.doc);
        break;
      case 'del': {
        const coll = this.collections.get(op.ns);
        if (coll) this.byId(coll).delete(idKey(op.id));
        break;
      }
      case 'createCollection': {
        const coll = this.collection(op.ns);
        coll.options = op.options ?? {};
        break;
      }
      case 'dropCollection':
        this.collections.delete(op.ns);
        break;
      case 'createIndex':
        this.collection(op.ns).indexes.set(op.spec.name, op.spec);
        break;
      case 'dropIndex':
        this.collections.get(op.ns)?.indexes.delete(op.name);
        break;
      case 'dropDatabase': {
        const prefix = `${op.db}.`;
        for (const ns of [...this.collections.keys()]) if (ns.startsWith(prefix)) this.collections.delete(ns);
        break;
      }
      case 'renameCollection': {
        const from = this.collections.get(op.from);
        if (!from || op.from === op.to) break;
        this.collections.delete(op.from);
        from.ns = op.to;
        this.collections.set(op.to, from);
        break;
      }
      default:
        throw new Error(`unknown journal op ${JSON.stringify((op as { op?: unknown }).op)}`);
    }
  }

  toStoredState(): StoredState {
    const collections: CollectionState[] = [];
    for (const coll of this.collections.values()) {
      collections.push({
        ns: coll.ns,
        options: coll.options,
        indexes: [...coll.indexes.values()],
        documents: coll.list ?? [...coll.byId!.values()],
      });
    }
    return { collections };
  }
}

/**
 * A copy of the state's containers, taken synchronously when `compact` is
 * called, so the catalog may keep changing its own arrays afterwards. Documents
 * themselves are shared: the contract says they are never mutated in place.
 */
export function freezeState(state: StoredState): StoredState {
  return {
    collections: state.collections.map((c) => ({
      ns: c.ns,
      options: { ...c.options },
      indexes: c.indexes.map((spec) => ({ ...spec })),
      documents: c.documents.slice(),
    })),
  };
}
