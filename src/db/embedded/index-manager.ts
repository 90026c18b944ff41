/**
 * Ordered indexes of one collection: a B+ tree (sorted-btree) of index entries
 * `[value per field..., document id]` in the index's order (BSON order, field
 * directions, the index collation for strings). Used to enforce unique
 * indexes and, through query-planner.ts, to answer equality prefixes, ranges,
 * `$in` and sorts without scanning.
 */
import BTreeModule from 'sorted-btree';
import type { Document } from 'bson';
import type { IndexSpec } from './storage/types.js';
import { MongoCommandError } from './errors.js';
import { collatorFor } from './collation.js';
import { compileFilter, type Matcher } from './mingo-adapter.js';
import { compareValues, formatValue, getPathValues, typeRank } from './values.js';

// A CommonJS module: Node's ESM loader hands out module.exports, some loaders (tsx under mocha) the class itself.
const BTree = (BTreeModule as unknown as { default?: typeof BTreeModule.default }).default ?? (BTreeModule as unknown as typeof BTreeModule.default);
type Tree = InstanceType<typeof BTree<unknown[], undefined>>;

/** Compound keys of multikey documents are a cartesian product; cap it. */
const MAX_KEYS_PER_DOC = 1000;

/** Bounds below / above every index entry, whatever the field's direction. */
export const LOW: unique symbol = Symbol('low');
export const HIGH: unique symbol = Symbol('high');
/** The key of an empty array: mongod's `undefined`, below null, so `{ a: [] }` and `{ a: null }` are different keys. */
export const EMPTY_ARRAY: unique symbol = Symbol('emptyArray');

/** The start (`end` false) or end of one BSON type bracket: `$gt: 5` scans numbers above 5 only. */
export class TypeBound {
  constructor(
    readonly rank: number,
    readonly end: boolean,
  ) {}
}

function rankOf(v: unknown): number {
  return v === EMPTY_ARRAY ? 0.5 : typeRank(v);
}

/** One key part in value order (sentinels and type bounds included); strings through the collator when given. */
export function comparePart(a: unknown, b: unknown, collator: Intl.Collator | undefined): number {
  if (a === b) return 0;
  if (a instanceof TypeBound || b instanceof TypeBound) {
    const ra = a instanceof TypeBound ? a.rank : rankOf(a);
    const rb = b instanceof TypeBound ? b.rank : rankOf(b);
    if (ra !== rb) return ra - rb;
    const ea = a instanceof TypeBound ? (a.end ? 1 : -1) : 0;
    const eb = b instanceof TypeBound ? (b.end ? 1 : -1) : 0;
    return ea - eb;
  }
  if (a === EMPTY_ARRAY || b === EMPTY_ARRAY) return rankOf(a) - rankOf(b);
  if (collator && typeof a === 'string' && typeof b === 'string') return collator.compare(a, b);
  return compareValues(a, b);
}

interface KeyEntry {
  values: unknown[];
}

export class OrderedIndex {
  readonly spec: IndexSpec;
  readonly fields: string[];
  readonly dirs: number[];
  readonly collator: Intl.Collator | undefined;
  /** True once any document had an array on an indexed path (never reset, as in mongod). */
  multikey = false;
  private readonly partial: Matcher | undefined;
  private readonly tree: Tree;

  constructor(spec: IndexSpec) {
    this.spec = spec;
    this.fields = Object.keys(spec.key);
    this.dirs = this.fields.map((f) => (Number(spec.key[f]) < 0 ? -1 : 1));
    this.collator = collatorFor((spec as Document).collation as Document | undefined);
    this.partial = spec.partialFilterExpression ? compileFilter(spec.partialFilterExpression) : undefined;
    this.tree = new BTree<unknown[], undefined>(undefined, (x, y) => this.compareEntries(x, y));
  }

  /** True when the index holds a key for every document (not sparse, not partial). */
  get complete(): boolean {
    return !this.spec.sparse && !this.partial;
  }

  get size(): number {
    return this.tree.size;
  }

  /** Entries in index order; LOW/HIGH ignore the field direction, the last part is the document id. */
  compareEntries(x: unknown[], y: unknown[]): number {
    const n = this.fields.length;
    for (let i = 0; i <= n; i++) {
      const a = x[i];
      const b = y[i];
      if (a === b) continue;
      if (a === LOW || b === HIGH) return -1;
      if (a === HIGH || b === LOW) return 1;
      if (i === n) return (a as string) < (b as string) ? -1 : 1;
      const c = comparePart(a, b, this.collator);
      if (c !== 0) return c * this.dirs[i];
    }
    return 0;
  }

  /** The index keys of `doc` (one value per field), or none when sparse/partial rules leave it out. */
  keysOf(doc: Document): KeyEntry[] {
    if (this.partial && !this.partial(doc)) return [];
    const perField = this.fields.map((f) => getPathValues(doc, f));
    if (!this.multikey && this.fields.some((f) => f.includes('.') && crossesArray(doc, f))) this.multikey = true;
    if (this.spec.sparse && perField.every((vals) => vals.length === 0)) return [];
    if (perField.length === 1 && perField[0].length <= 1 && !Array.isArray(perField[0][0])) {
      // The common case: one field, one scalar value.
      return [{ values: [perField[0].length === 0 ? null : perField[0][0]] }];
    }
    const choices = perField.map((vals) => {
      if (vals.length === 0) return [null];
      const out: unknown[] = [];
      for (const v of vals) {
        if (Array.isArray(v)) {
          this.multikey = true;
          out.push(...v);
          if (v.length === 0) out.push(EMPTY_ARRAY);
        } else out.push(v);
      }
      if (vals.length > 1) this.multikey = true;
      return out;
    });
    let combos: unknown[][] = [[]];
    for (const c of choices) {
      const next: unknown[][] = [];
      for (const prefix of combos) for (const v of c) if (next.length < MAX_KEYS_PER_DOC) next.push([...prefix, v]);
      combos = next;
    }
    const out: KeyEntry[] = [];
    for (const values of combos) {
      if (!out.some((e) => this.compareEntries([...e.values, ''], [...values, '']) === 0)) out.push({ values });
    }
    return out;
  }

  /** Throws a duplicate-key error if `doc` (with id `id`) collides with another document. */
  check(ns: string, id: string, doc: Document): void {
    if (!this.spec.unique) return;
    for (const entry of this.keysOf(doc)) {
      const probe = [...entry.values, LOW];
      for (const [key] of this.tree.entries(probe)) {
        probe[probe.length - 1] = key[key.length - 1];
        if (this.compareEntries(key, probe) !== 0) break;
        if (key[key.length - 1] !== id) throw duplicateKeyError(ns, this.spec, entry.values);
      }
    }
  }

  add(id: string, doc: Document): void {
    for (const { values } of this.keysOf(doc)) this.tree.set([...values, id], undefined);
  }

  remove(id: string, doc: Document): void {
    for (const { values } of this.keysOf(doc)) this.tree.delete([...values, id]);
  }

  /**
   * Ids of the entries between `low` and `high` (inclusive, in index order, or
   * reversed), calling `visit` until it returns false. Returns the number of keys examined.
   */
  scan(low: unknown[], high: unknown[], reverse: boolean, visit: (id: string) => boolean): number {
    let examined = 0;
    if (!reverse) {
      for (const [key] of this.tree.entries(low)) {
        if (this.compareEntries(key, high) > 0) break;
        examined++;
        if (!visit(key[key.length - 1] as string)) break;
      }
    } else {
      for (const [key] of this.tree.entriesReversed(high)) {
        if (this.compareEntries(key, low) < 0) break;
        examined++;
        if (!visit(key[key.length - 1] as string)) break;
      }
    }
    return examined;
  }
}

/** True when a dotted path goes through an array (`a.b` with `a: [...]`): the index is then multikey. */
function crossesArray(doc: Document, path: string): boolean {
  let v: unknown = doc;
  const parts = path.split('.');
  for (let i = 0; i < parts.length - 1; i++) {
    if (v === null || typeof v !== 'object') return false;
    v = (v as Record<string, unknown>)[parts[i]];
    if (Array.isArray(v)) return true;
  }
  return false;
}

export function duplicateKeyError(ns: string, spec: IndexSpec, values: unknown[]): MongoCommandError {
  const fields = Object.keys(spec.key);
  const keyPattern: Document = {};
  const keyValue: Document = {};
  fields.forEach((f, i) => {
    keyPattern[f] = spec.key[f];
    keyValue[f] = values[i] === undefined || values[i] === EMPTY_ARRAY ? null : values[i];
  });
  const dup = '{ ' + fields.map((f, i) => `${f}: ${values[i] === EMPTY_ARRAY ? 'undefined' : formatValue(values[i])}`).join(', ') + ' }';
  return new MongoCommandError('DuplicateKey', `E11000 duplicate key error collection: ${ns} index: ${spec.name} dup key: ${dup}`, {
    keyPattern,
    keyValue,
  });
}
