/**
 * One collection in memory: documents keyed by the canonical string of their
 * `_id` (insertion order is natural order) plus its secondary hash indexes.
 * Stored documents are never mutated; updates swap in a new object.
 */
import type { Document } from 'bson';
import type { IndexSpec } from './storage/types.js';
import { HashIndex, duplicateKeyError, equalityConditions } from './index-manager.js';
import { checkStorable } from './limits.js';
import { compileFilter } from './mingo-adapter.js';
import { canonicalKey } from './values.js';

export const ID_INDEX: IndexSpec = { name: '_id_', key: { _id: 1 } };
const MAX_LOOKUP_COMBINATIONS = 1000;

export class Collection {
  readonly ns: string;
  options: Document;
  readonly docs = new Map<string, Document>();
  indexes: HashIndex[] = [];
  /** Insertion sequence per id: index lookups return documents in this (natural) order. */
  private readonly seq = new Map<string, number>();
  private nextSeq = 0;

  constructor(ns: string, options: Document = {}) {
    this.ns = ns;
    this.options = options;
  }

  get db(): string {
    return this.ns.slice(0, this.ns.indexOf('.'));
  }

  get name(): string {
    return this.ns.slice(this.ns.indexOf('.') + 1);
  }

  /** Adds a recovered document without checks (indexes are built afterwards). */
  load(doc: Document): void {
    const id = canonicalKey(doc._id);
    this.docs.set(id, doc);
    this.seq.set(id, this.nextSeq++);
  }

  /** Adds a document, enforcing mongod's size and depth limits, `_id` and unique indexes first (`kind` picks the error mongod gives). */
  insert(doc: Document, kind: 'insert' | 'update' = 'insert'): void {
    checkStorable(doc, kind);
    const id = canonicalKey(doc._id);
    if (this.docs.has(id)) throw duplicateKeyError(this.ns, ID_INDEX, [doc._id]);
    for (const idx of this.indexes) idx.check(this.ns, id, doc);
    this.docs.set(id, doc);
    this.seq.set(id, this.nextSeq++);
    for (const idx of this.indexes) idx.add(id, doc);
  }

  /** Replaces the document with the same `_id` after the limits and the unique indexes accept `next`. */
  replace(prev: Document, next: Document): void {
    checkStorable(next, 'update');
    const id = canonicalKey(prev._id);
    for (const idx of this.indexes) idx.check(this.ns, id, next);
    for (const idx of this.indexes) idx.remove(id, prev);
    this.docs.set(id, next);
    for (const idx of this.indexes) idx.add(id, next);
  }

  remove(doc: Document): void {
    const id = canonicalKey(doc._id);
    if (!this.docs.delete(id)) return;
    this.seq.delete(id);
    for (const idx of this.indexes) idx.remove(id, doc);
  }

  /** Builds an index over the existing documents; throws on duplicates without changing anything. */
  addIndex(spec: IndexSpec): void {
    const idx = new HashIndex(spec);
    for (const [id, doc] of this.docs) {
      idx.check(this.ns, id, doc);
      idx.add(id, doc);
    }
    this.indexes.push(idx);
  }

  dropIndex(name: string): void {
    this.indexes = this.indexes.filter((i) => i.spec.name !== name);
  }

  indexSpecs(): IndexSpec[] {
    return this.indexes.map((i) => i.spec);
  }

  /**
   * Documents that may match `filter`: found through `_id` or a secondary
   * index when the filter has equality conditions on its keys, else all.
   */
  candidates(filter: Document | undefined): Iterable<Document> {
    const eq = equalityConditions(filter);
    if (eq.size === 0) return this.docs.values();
    const ids = eq.get('_id');
    if (ids) {
      const out: Document[] = [];
      const seen = new Set<string>();
      for (const v of ids) {
        const key = canonicalKey(v);
        const d = this.docs.get(key);
        if (d && !seen.has(key)) {
          seen.add(key);
          out.push(d);
        }
      }
      return out;
    }
    for (const idx of this.indexes) {
      if (!idx.complete || !idx.fields.every((f) => eq.has(f))) continue;
      let combos: unknown[][] = [[]];
      for (const f of idx.fields) {
        const next: unknown[][] = [];
        for (const prefix of combos) for (const v of eq.get(f)!) next.push([...prefix, v]);
        combos = next;
        if (combos.length > MAX_LOOKUP_COMBINATIONS) break;
      }
      if (combos.length > MAX_LOOKUP_COMBINATIONS) continue;
      const found = new Set<string>();
      for (const values of combos) for (const id of idx.lookup(values)) found.add(id);
      // Keep natural order so results match a collection scan.
      const out: Document[] = [];
      if (found.size * 4 > this.docs.size) {
        for (const [id, d] of this.docs) if (found.has(id)) out.push(d);
      } else {
        const ids = [...found];
        if (ids.length > 1) ids.sort((a, b) => this.seq.get(a)! - this.seq.get(b)!);
        for (const id of ids) out.push(this.docs.get(id)!);
      }
      return out;
    }
    return this.docs.values();
  }

  /** Matching documents (stored references, in natural order unless found through an index). */
  find(filter: Document | undefined, limit = 0): Document[] {
    // `{ _id: value }` is answered exactly by the _id map; no matcher needed.
    if (isExactIdFilter(filter)) {
      const doc = this.docs.get(canonicalKey(filter!._id));
      return doc ? [doc] : [];
    }
    const match = compileFilter(filter);
    const out: Document[] = [];
    for (const d of this.candidates(filter)) {
      if (match(d)) {
        out.push(d);
        if (limit > 0 && out.length >= limit) break;
      }
    }
    return out;
  }
}

function isExactIdFilter(filter: Document | undefined): boolean {
  if (!filter) return false;
  const keys = Object.keys(filter);
  if (keys.length !== 1 || keys[0] !== '_id') return false;
  const v = filter._id;
  if (v === null || v === undefined || Array.isArray(v) || v instanceof RegExp) return false;
  if (typeof v !== 'object') return true;
  const t = (v as { _bsontype?: string })._bsontype;
  return t === 'ObjectId' || t === 'Binary' || v instanceof Date;
}
