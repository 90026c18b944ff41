/** Sorting in BSON order, as mongod sorts (arrays sort by their min/max element), with an optional collation for strings. */
import type { Document } from 'bson';
import { compareValues, getPathValues } from './values.js';
import { MongoCommandError } from './errors.js';

type Compare = (a: unknown, b: unknown) => number;

function comparator(collator: Intl.Collator | undefined): Compare {
  if (!collator) return compareValues;
  return (a, b) => (typeof a === 'string' && typeof b === 'string' ? collator.compare(a, b) : compareValues(a, b));
}

function sortKey(doc: Document, path: string, dir: number, compare: Compare): unknown {
  const values = getPathValues(doc, path);
  const flat: unknown[] = [];
  for (const v of values) {
    if (Array.isArray(v)) {
      if (v.length === 0) flat.push(undefined);
      else flat.push(...v);
    } else flat.push(v);
  }
  if (flat.length === 0) return null;
  if (flat.length === 1) return flat[0];
  let best = flat[0];
  for (const v of flat) {
    const c = compare(v, best);
    if ((dir > 0 && c < 0) || (dir < 0 && c > 0)) best = v;
  }
  return best;
}

interface Keyed {
  doc: Document;
  i: number;
  keys: unknown[];
}

/** The fields of a sort spec (`$meta` entries ignored); throws BadValue like mongod on other values. */
function sortFields(spec: Document): { path: string; dir: number }[] {
  return Object.entries(spec)
    .map(([path, d]) => {
      if (d !== null && typeof d === 'object' && (d as Document).$meta !== undefined) return { path, dir: 0 };
      const dir = Number(d);
      if (dir !== 1 && dir !== -1) throw new MongoCommandError('BadValue', `$sort key ordering must be 1 (for ascending) or -1 (for descending)`);
      return { path, dir };
    })
    .filter((f) => f.dir !== 0);
}

function prepare(docs: Document[], spec: Document, collator: Intl.Collator | undefined): { keyed: Keyed[]; order: (a: Keyed, b: Keyed) => number } | undefined {
  const fields = sortFields(spec);
  if (fields.length === 0) return undefined;
  const compare = comparator(collator);
  const keyed = docs.map((doc, i) => ({ doc, i, keys: fields.map((f) => sortKey(doc, f.path, f.dir, compare)) }));
  const order = (a: Keyed, b: Keyed): number => {
    for (let k = 0; k < fields.length; k++) {
      const c = compare(a.keys[k], b.keys[k]);
      if (c !== 0) return c * fields[k].dir;
    }
    return a.i - b.i;
  };
  return { keyed, order };
}

/** Returns a new sorted array; stable for equal keys. */
export function sortDocs(docs: Document[], spec: Document | undefined, collator?: Intl.Collator): Document[] {
  if (!spec) return docs;
  if ('$natural' in spec) return Number(spec.$natural) < 0 ? [...docs].reverse() : docs;
  const p = prepare(docs, spec, collator);
  if (!p) return docs;
  return p.keyed.sort(p.order).map((k) => k.doc);
}

/** The first `k` documents of `sortDocs(docs, spec)` without sorting them all (sort + limit). */
export function topK(docs: Document[], spec: Document, k: number, collator?: Intl.Collator): Document[] {
  if ('$natural' in spec || k >= docs.length) return sortDocs(docs, spec, collator).slice(0, k);
  const p = prepare(docs, spec, collator);
  if (!p) return docs.slice(0, k);
  const best: Keyed[] = [];
  for (const item of p.keyed) {
    if (best.length === k && p.order(item, best[k - 1]) >= 0) continue;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (p.order(best[mid], item) <= 0) lo = mid + 1;
      else hi = mid;
    }
    best.splice(lo, 0, item);
    if (best.length > k) best.pop();
  }
  return best.map((x) => x.doc);
}
