/**
 * Hash indexes of one collection: for every index, a Map from the canonical
 * key string to the ids of the documents carrying that key. Used to enforce
 * unique indexes and to answer equality lookups without scanning.
 */
import type { Document } from 'bson';
import type { IndexSpec } from './storage/types.js';
import { MongoCommandError } from './errors.js';
import { compileFilter, type Matcher } from './mingo-adapter.js';
import { canonicalKey, formatValue, getPathValues } from './values.js';

/** Compound keys of multikey documents are a cartesian product; cap it. */
const MAX_KEYS_PER_DOC = 1000;

interface KeyEntry {
  key: string;
  values: unknown[];
}

export class HashIndex {
  readonly spec: IndexSpec;
  readonly fields: string[];
  /** Key -> one id, or a Set when several documents share the key (saves memory for unique keys). */
  private readonly entries = new Map<string, string | Set<string>>();
  private readonly partial: Matcher | undefined;

  constructor(spec: IndexSpec) {
    this.spec = spec;
    this.fields = Object.keys(spec.key);
    this.partial = spec.partialFilterExpression ? compileFilter(spec.partialFilterExpression) : undefined;
  }

  /** True when a lookup through this index finds every document that could match an equality. */
  get complete(): boolean {
    return !this.spec.sparse && !this.partial;
  }

  /** The index keys of `doc`, or none when sparse/partial rules leave it out. */
  keysOf(doc: Document): KeyEntry[] {
    if (this.partial && !this.partial(doc)) return [];
    const perField = this.fields.map((f) => getPathValues(doc, f));
    if (this.spec.sparse && perField.every((vals) => vals.length === 0)) return [];
    if (perField.length === 1 && perField[0].length <= 1 && !Array.isArray(perField[0][0])) {
      // The common case: one field, one scalar value.
      const v = perField[0].length === 0 ? null : perField[0][0];
      return [{ key: canonicalKey(v), values: [v] }];
    }
    const choices = perField.map((vals) => {
      if (vals.length === 0) return [null];
      const out: unknown[] = [];
      for (const v of vals) {
        if (Array.isArray(v)) {
          out.push(...v);
          if (v.length === 0) out.push(undefined);
        } else out.push(v);
      }
      return out;
    });
    let combos: unknown[][] = [[]];
    for (const c of choices) {
      const next: unknown[][] = [];
      for (const prefix of combos) for (const v of c) if (next.length < MAX_KEYS_PER_DOC) next.push([...prefix, v]);
      combos = next;
    }
    const seen = new Map<string, KeyEntry>();
    for (const values of combos) {
      const key = values.map(canonicalKey).join('|');
      if (!seen.has(key)) seen.set(key, { key, values });
    }
    return [...seen.values()];
  }

  /** Throws a duplicate-key error if `doc` (with id `id`) collides with another document. */
  check(ns: string, id: string, doc: Document): void {
    if (!this.spec.unique) return;
    for (const entry of this.keysOf(doc)) {
      const holders = this.entries.get(entry.key);
      if (holders === undefined) continue;
      if (typeof holders === 'string') {
        if (holders !== id) throw duplicateKeyError(ns, this.spec, entry.values);
        continue;
      }
      for (const other of holders) if (other !== id) throw duplicateKeyError(ns, this.spec, entry.values);
    }
  }

  add(id: string, doc: Document): void {
    for (const { key } of this.keysOf(doc)) {
      const cur = this.entries.get(key);
      if (cur === undefined) this.entries.set(key, id);
      else if (typeof cur === 'string') {
        if (cur !== id) this.entries.set(key, new Set([cur, id]));
      } else cur.add(id);
    }
  }

  remove(id: string, doc: Document): void {
    for (const { key } of this.keysOf(doc)) {
      const cur = this.entries.get(key);
      if (cur === undefined) continue;
      if (typeof cur === 'string') {
        if (cur === id) this.entries.delete(key);
        continue;
      }
      cur.delete(id);
      if (cur.size === 1) this.entries.set(key, cur.values().next().value as string);
      else if (cur.size === 0) this.entries.delete(key);
    }
  }

  /** Ids of documents whose key equals `values` (one value per index field). */
  lookup(values: unknown[]): Iterable<string> {
    const cur = this.entries.get(values.map(canonicalKey).join('|'));
    if (cur === undefined) return [];
    return typeof cur === 'string' ? [cur] : cur;
  }
}

export function duplicateKeyError(ns: string, spec: IndexSpec, values: unknown[]): MongoCommandError {
  const fields = Object.keys(spec.key);
  const keyPattern: Document = {};
  const keyValue: Document = {};
  fields.forEach((f, i) => {
    keyPattern[f] = spec.key[f];
    keyValue[f] = values[i] === undefined ? null : values[i];
  });
  const dup = '{ ' + fields.map((f, i) => `${f}: ${formatValue(values[i])}`).join(', ') + ' }';
  return new MongoCommandError('DuplicateKey', `E11000 duplicate key error collection: ${ns} index: ${spec.name} dup key: ${dup}`, {
    keyPattern,
    keyValue,
  });
}

/**
 * Extracts plain equality conditions (`{ a: 1 }`, `{ a: { $eq: 1 } }`,
 * `{ a: { $in: [...] } }`) from the top level of a filter, including `$and`.
 * Values are lists of alternatives.
 */
export function equalityConditions(filter: Document | undefined): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  if (!filter) return out;
  const visit = (f: Document): void => {
    for (const [k, v] of Object.entries(f)) {
      if (k === '$and' && Array.isArray(v)) {
        for (const sub of v) if (sub && typeof sub === 'object') visit(sub as Document);
        continue;
      }
      if (k.startsWith('$')) continue;
      const alts = equalityValues(v);
      if (alts !== undefined && !out.has(k)) out.set(k, alts);
    }
  };
  visit(filter);
  return out;
}

function isOperatorObject(v: unknown): v is Document {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Date || v instanceof RegExp) return false;
  if ((v as { _bsontype?: string })._bsontype !== undefined) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys[0].startsWith('$');
}

function equalityValues(v: unknown): unknown[] | undefined {
  if (v instanceof RegExp || (v !== null && typeof v === 'object' && (v as { _bsontype?: string })._bsontype === 'BSONRegExp')) return undefined;
  if (isOperatorObject(v)) {
    if ('$eq' in v && !(v.$eq instanceof RegExp) && !Array.isArray(v.$eq)) return [v.$eq];
    if ('$eq' in v && Array.isArray(v.$eq)) return undefined;
    if ('$in' in v && Array.isArray(v.$in) && v.$in.every((x) => !(x instanceof RegExp) && !Array.isArray(x))) return v.$in;
    return undefined;
  }
  // Array equality needs the whole array, which multikey entries do not hold.
  if (Array.isArray(v)) return undefined;
  // Equality with null also matches missing fields; an index key of null covers both.
  return [v];
}
