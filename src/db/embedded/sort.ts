/** Sorting in BSON order, as mongod sorts (arrays sort by their min/max element). */
import type { Document } from 'bson';
import { compareValues, getPathValues } from './values.js';
import { MongoCommandError } from './errors.js';

function sortKey(doc: Document, path: string, dir: number): unknown {
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
    const c = compareValues(v, best);
    if ((dir > 0 && c < 0) || (dir < 0 && c > 0)) best = v;
  }
  return best;
}

/** Returns a new sorted array; stable for equal keys. */
export function sortDocs(docs: Document[], spec: Document | undefined): Document[] {
  if (!spec) return docs;
  if ('$natural' in spec) return Number(spec.$natural) < 0 ? [...docs].reverse() : docs;
  const fields = Object.entries(spec).map(([path, d]) => {
    if (d !== null && typeof d === 'object' && (d as Document).$meta !== undefined) return { path, dir: 0 };
    const dir = Number(d);
    if (dir !== 1 && dir !== -1) throw new MongoCommandError('BadValue', `$sort key ordering must be 1 (for ascending) or -1 (for descending)`);
    return { path, dir };
  }).filter((f) => f.dir !== 0);
  if (fields.length === 0) return docs;
  const keyed = docs.map((doc, i) => ({ doc, i, keys: fields.map((f) => sortKey(doc, f.path, f.dir)) }));
  keyed.sort((a, b) => {
    for (let k = 0; k < fields.length; k++) {
      const c = compareValues(a.keys[k], b.keys[k]);
      if (c !== 0) return c * fields[k].dir;
    }
    return a.i - b.i;
  });
  return keyed.map((k) => k.doc);
}
