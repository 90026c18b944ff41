/**
 * A fast path for the most common update shapes ($set / $unset / $inc on
 * plain dotted paths through plain objects). Anything else (positional
 * operators, arrays on the path, non-numeric $inc...) returns undefined and
 * goes through mingo, which defines the semantics.
 *
 * Measured (issue #14, same machine and load as fast-query.ts, best of 5): `$set` of three
 * fields plus `$inc` on 18,572 progress rows takes 175 ms here and 5,900 ms through mingo
 * (clone + update), i.e. ~9 us against ~320 us per updated document.
 */
import type { Document } from 'bson';
import { cloneValue } from './values.js';

const FAST_OPS = new Set(['$set', '$unset', '$inc']);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
}

/** Walks to the parent of `path`, copying objects on the way (copy-on-write). */
function parentFor(root: Record<string, unknown>, parts: string[], create: boolean): Record<string, unknown> | undefined | null {
  let cur = root;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = cur[parts[i]];
    if (next === undefined) {
      if (!create) return undefined;
      const fresh: Record<string, unknown> = {};
      cur[parts[i]] = fresh;
      cur = fresh;
    } else if (isPlainObject(next)) {
      const copy = { ...next };
      cur[parts[i]] = copy;
      cur = copy;
    } else {
      return null; // arrays or scalars on the path: not for the fast path
    }
  }
  return cur;
}

function simplePath(path: string): string[] | undefined {
  if (path.length === 0 || path.includes('$')) return undefined;
  const parts = path.split('.');
  if (parts.some((p) => p.length === 0 || /^\d+$/.test(p) || p === '__proto__')) return undefined;
  return parts;
}

export function tryFastUpdate(doc: Document, modifier: Document): Document | undefined {
  const ops = Object.keys(modifier);
  if (ops.length === 0 || !ops.every((op) => FAST_OPS.has(op))) return undefined;
  const paths = new Set<string>();
  for (const op of ops) {
    const spec = modifier[op];
    if (!isPlainObject(spec)) return undefined;
    for (const p of Object.keys(spec)) {
      // Conflicting paths (a and a.b) are an error mongod reports; let mingo decide.
      for (const q of paths) if (q === p || q.startsWith(p + '.') || p.startsWith(q + '.')) return undefined;
      paths.add(p);
    }
  }
  const out: Record<string, unknown> = { ...doc };
  for (const op of ops) {
    for (const [path, value] of Object.entries(modifier[op] as Document)) {
      const parts = simplePath(path);
      if (!parts) return undefined;
      const leaf = parts[parts.length - 1];
      if (op === '$unset') {
        const parent = parentFor(out, parts, false);
        if (parent === null) return undefined;
        if (parent) delete parent[leaf];
        continue;
      }
      const parent = parentFor(out, parts, true);
      if (!parent) return undefined;
      if (op === '$set') {
        parent[leaf] = cloneValue(value);
      } else {
        const current = parent[leaf];
        if (typeof value !== 'number' || (current !== undefined && typeof current !== 'number')) return undefined;
        parent[leaf] = (current ?? 0) + value;
      }
    }
  }
  return out;
}
