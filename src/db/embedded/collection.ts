/**
 * One collection in memory: documents keyed by the canonical string of their
 * `_id` (insertion order is natural order), the ordered `_id` index and the
 * secondary ordered indexes. Stored documents are never mutated; updates swap
 * in a new object. `query()` runs a find through the index the planner picks.
 */
import type { Document } from 'bson';
import type { IndexSpec } from './storage/types.js';
import { collatorFor } from './collation.js';
import { OrderedIndex, duplicateKeyError } from './index-manager.js';
import { checkStorable } from './limits.js';
import { MongoCommandError } from './errors.js';
import { splitGeo } from './geo.js';
import { compileFilter } from './mingo-adapter.js';
import { planQuery, type Plan } from './query-planner.js';
import { sortDocs, topK } from './sort.js';
import { canonicalKey } from './values.js';

export const ID_INDEX: IndexSpec = { name: '_id_', key: { _id: 1 } };

export interface QueryRequest {
  filter?: Document;
  sort?: Document;
  skip?: number;
  /** 0: no limit. */
  limit?: number;
  collation?: Document;
  hint?: unknown;
  /** The caller only counts: skip putting an unsorted answer in natural order. */
  unordered?: boolean;
}

export interface QueryResult {
  docs: Document[];
  /** 'idhack': `{ _id: value }` answered by the id map. */
  plan: Plan | 'idhack';
  keysExamined: number;
  docsExamined: number;
}

export class Collection {
  readonly ns: string;
  options: Document;
  readonly docs = new Map<string, Document>();
  indexes: OrderedIndex[] = [];
  /** Range and sort access by `_id`; equality goes through `docs`. */
  private readonly idIndex = new OrderedIndex(ID_INDEX);
  /** Insertion sequence per id: unsorted index answers are returned in this (natural) order. */
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

  /** Adds a recovered document without checks (secondary indexes are built afterwards). */
  load(doc: Document): void {
    const id = canonicalKey(doc._id);
    if (this.docs.has(id)) this.idIndex.remove(id, this.docs.get(id)!);
    this.docs.set(id, doc);
    this.seq.set(id, this.nextSeq++);
    this.idIndex.add(id, doc);
  }

  /** Adds a document, enforcing mongod's size and depth limits, `_id` and unique indexes first (`kind` picks the error mongod gives). */
  insert(doc: Document, kind: 'insert' | 'update' = 'insert'): void {
    checkStorable(doc, kind);
    const id = canonicalKey(doc._id);
    if (this.docs.has(id)) throw duplicateKeyError(this.ns, ID_INDEX, [doc._id]);
    for (const idx of this.indexes) idx.check(this.ns, id, doc);
    this.docs.set(id, doc);
    this.seq.set(id, this.nextSeq++);
    this.idIndex.add(id, doc);
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
    this.idIndex.remove(id, doc);
    for (const idx of this.indexes) idx.remove(id, doc);
  }

  /** Builds an index over the existing documents; throws on duplicates without changing anything. */
  addIndex(spec: IndexSpec): void {
    const idx = new OrderedIndex(spec);
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

  /** The `_id` index first, then the secondary ones (the planner's candidates). */
  get allIndexes(): OrderedIndex[] {
    return [this.idIndex, ...this.indexes];
  }

  /**
   * Runs a find: picks an index (query-planner.ts), scans its intervals, applies
   * the filter, sorts unless the index order is the sort (top-k with a limit),
   * then skips and limits. Unsorted answers come in natural order, as a scan
   * would give them, except that a limited one may stop early in index order.
   */
  query(req: QueryRequest): QueryResult {
    const skip = req.skip ?? 0;
    const limit = req.limit ?? 0;
    const want = limit > 0 ? skip + limit : Infinity;
    let sort = req.sort && Object.keys(req.sort).length > 0 ? req.sort : undefined;
    const collator = collatorFor(req.collation);
    if (!collator && req.hint === undefined && isExactIdFilter(req.filter)) {
      const doc = this.docs.get(canonicalKey(req.filter!._id));
      const docs = doc && skip === 0 ? [doc] : [];
      return { docs, plan: 'idhack', keysExamined: doc ? 1 : 0, docsExamined: doc ? 1 : 0 };
    }
    // Geospatial conditions are tested by geo.ts; $near / $nearSphere order the answer by distance.
    const split = splitGeo(req.filter);
    const filter = split ? split.rest : req.filter;
    const near = split?.geo.find((g) => g.near);
    if (near && !this.indexes.some((i) => ['2dsphere', '2d'].includes(String(i.spec.key[near.field])))) {
      throw new MongoCommandError('NoQueryExecutionPlans', 'error processing query: planner returned error :: caused by :: unable to find index for $geoNear query');
    }
    const base = compileFilter(filter, req.collation);
    const match = split ? (d: Document) => base(d) && split.geo.every((g) => g.test(d)) : base;
    if (near) sort = undefined;
    const natural = sort !== undefined && '$natural' in sort;
    const plan = planQuery(this.allIndexes, { filter, sort: natural ? undefined : sort, collation: req.collation, hint: natural ? sort : req.hint });
    let out: Document[] = [];
    let keysExamined = 0;
    let docsExamined = 0;
    const earlyStop = near ? Infinity : sort === undefined ? want : plan.providesSort ? want : Infinity;
    if (!plan.index) {
      for (const d of this.docs.values()) {
        docsExamined++;
        if (match(d)) {
          out.push(d);
          if (out.length >= earlyStop) break;
        }
      }
    } else {
      const index = plan.index;
      const seen = index.multikey ? new Set<string>() : undefined;
      const visit = (id: string): boolean => {
        if (seen) {
          if (seen.has(id)) return true;
          seen.add(id);
        }
        const d = this.docs.get(id)!;
        docsExamined++;
        if (match(d)) out.push(d);
        return out.length < earlyStop;
      };
      const intervals = plan.reverse ? [...plan.intervals].reverse() : plan.intervals;
      for (const { low, high } of intervals) {
        keysExamined += index.scan(low, high, plan.reverse, visit);
        if (out.length >= earlyStop) break;
      }
      if (sort === undefined && !near && earlyStop === Infinity && !req.unordered && out.length > 1) out = this.naturalOrder(out);
    }
    if (near?.near) {
      const dist = new Map(out.map((d) => [d, near.near!.distance(d) ?? Infinity]));
      out = [...out].sort((a, b) => dist.get(a)! - dist.get(b)!);
    } else if (sort !== undefined && !plan.providesSort) out = limit > 0 ? topK(out, sort, want, collator) : sortDocs(out, sort, collator);
    if (skip > 0 || limit > 0) out = out.slice(skip, limit > 0 ? skip + limit : undefined);
    return { docs: out, plan, keysExamined, docsExamined };
  }

  /** Matching documents in natural order (stopping after `limit` when given). */
  find(filter: Document | undefined, limit = 0, collation?: Document): Document[] {
    return this.query({ filter, limit, collation }).docs;
  }

  private naturalOrder(docs: Document[]): Document[] {
    if (docs.length * 4 > this.docs.size) {
      const found = new Set(docs);
      const out: Document[] = [];
      for (const d of this.docs.values()) if (found.has(d)) out.push(d);
      return out;
    }
    const keyed = docs.map((d) => ({ d, s: this.seq.get(canonicalKey(d._id))! }));
    keyed.sort((a, b) => a.s - b.s);
    return keyed.map((k) => k.d);
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
