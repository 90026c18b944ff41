/**
 * Picks the index a query uses and the key intervals to scan in it, the way
 * mongod's planner does for the common shapes: equality (and `$in`) on a
 * prefix of the index fields, then at most one range field, and an index whose
 * order gives the requested sort (forwards or backwards). The intervals are a
 * superset of the answer: every candidate still goes through the full filter.
 * `$or`, `$elemMatch`, regexes and geo conditions get no bounds (scan).
 */
import type { Document } from 'bson';
import { MongoCommandError } from './errors.js';
import { collationKey } from './collation.js';
import { isSpecialIndexKey } from './geo.js';
import { HIGH, LOW, TypeBound, comparePart, type OrderedIndex } from './index-manager.js';
import { canonicalKey, formatValue, typeRank } from './values.js';

/** More intervals than this (a big `$in` product) and the index is used for fewer fields. */
const MAX_INTERVALS = 1000;

export interface Interval {
  low: unknown[];
  high: unknown[];
}

export interface Plan {
  /** undefined: collection scan. */
  index: OrderedIndex | undefined;
  intervals: Interval[];
  /** Scan the intervals backwards (the sort is the index order reversed). */
  reverse: boolean;
  /** The scan returns documents in the requested sort order. */
  providesSort: boolean;
  /** For explain: the bounds of every index field. */
  bounds: Record<string, string[]>;
}

export interface PlanRequest {
  filter?: Document;
  sort?: Document;
  collation?: Document;
  hint?: unknown;
}

interface FieldCond {
  points?: unknown[];
  lo?: unknown;
  hi?: unknown;
  /** `$gt` / `$lt`: the bound itself is outside. */
  loOpen?: boolean;
  hiOpen?: boolean;
}

function isOperatorObject(v: unknown): v is Document {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Date || v instanceof RegExp) return false;
  if ((v as { _bsontype?: string })._bsontype !== undefined) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys[0].startsWith('$');
}

function isPoint(v: unknown): boolean {
  if (v === undefined || Array.isArray(v) || v instanceof RegExp) return false;
  return !(v !== null && typeof v === 'object' && (v as { _bsontype?: string })._bsontype === 'BSONRegExp');
}

/** Range bounds only for numbers, strings, ObjectIds and dates (the brackets mongod compares within). */
function isRangeable(v: unknown): boolean {
  if (typeof v === 'number' && Number.isNaN(v)) return false;
  const r = typeRank(v);
  return r === 2 || r === 3 || r === 7 || r === 9;
}

/** Equality / `$in` / range conditions per field, from the top level of a filter and its `$and`s. */
export function fieldConditions(filter: Document | undefined): Map<string, FieldCond> {
  const out = new Map<string, FieldCond>();
  const visit = (f: Document): void => {
    for (const [k, v] of Object.entries(f)) {
      if (k === '$and' && Array.isArray(v)) {
        for (const sub of v) if (sub && typeof sub === 'object') visit(sub as Document);
        continue;
      }
      if (k.startsWith('$')) continue;
      const cond = out.get(k) ?? {};
      if (isOperatorObject(v)) {
        for (const [op, arg] of Object.entries(v)) {
          if (op === '$eq' && isPoint(arg)) cond.points ??= [arg];
          else if (op === '$in' && Array.isArray(arg) && arg.every(isPoint)) cond.points ??= arg;
          else if ((op === '$gt' || op === '$gte') && isRangeable(arg) && cond.lo === undefined) {
            cond.lo = arg;
            cond.loOpen = op === '$gt';
          } else if ((op === '$lt' || op === '$lte') && isRangeable(arg) && cond.hi === undefined) {
            cond.hi = arg;
            cond.hiOpen = op === '$lt';
          }
        }
      } else if (isPoint(v)) cond.points ??= [v];
      if (cond.points || cond.lo !== undefined || cond.hi !== undefined) out.set(k, cond);
    }
  };
  if (filter) visit(filter);
  return out;
}

const hasString = (values: unknown[]): boolean => values.some((v) => typeof v === 'string');

interface Candidate {
  index: OrderedIndex;
  eqFields: number;
  points: unknown[][];
  range?: { lo: unknown; hi: unknown; loOpen: boolean; hiOpen: boolean };
  providesSort: boolean;
  reverse: boolean;
}

/** What `index` can do for the query: equality prefix, range, sort. */
function assess(index: OrderedIndex, conds: Map<string, FieldCond>, req: PlanRequest): Candidate {
  const sameCollation = collationKey((index.spec as Document).collation as Document | undefined) === collationKey(req.collation);
  const queryCollated = collationKey(req.collation) !== 'simple';
  const points: unknown[][] = [];
  let combos = 1;
  let eqFields = 0;
  for (const field of index.fields) {
    const c = conds.get(field);
    if (!c?.points) break;
    // Binary-equal strings are collation-equal, not the other way round.
    if (!sameCollation && queryCollated && hasString(c.points)) break;
    // A dotted multikey path gives no null key to documents whose array elements lack the field.
    if (index.multikey && field.includes('.') && c.points.some((p) => p === null)) break;
    if (combos * c.points.length > MAX_INTERVALS) break;
    combos *= c.points.length;
    points.push(c.points);
    eqFields++;
  }
  let range: Candidate['range'];
  const next = index.fields[eqFields];
  const rc = next === undefined ? undefined : conds.get(next);
  if (rc && !rc.points && (rc.lo !== undefined || rc.hi !== undefined) && (sameCollation || !hasString([rc.lo, rc.hi]))) {
    const lo = rc.lo;
    let hi = rc.hi;
    // Multikey: different elements may satisfy each side, so only one side bounds the scan.
    if (index.multikey || (lo !== undefined && hi !== undefined && typeRank(lo) !== typeRank(hi))) hi = lo === undefined ? hi : undefined;
    range = {
      lo: lo ?? new TypeBound(typeRank(hi), false),
      hi: hi ?? new TypeBound(typeRank(lo), true),
      loOpen: lo !== undefined && rc.loOpen === true,
      hiOpen: hi !== undefined && rc.hiOpen === true,
    };
  }
  const { providesSort, reverse } = sortOrder(index, points, req, sameCollation);
  return { index, eqFields, points, range, providesSort, reverse };
}

/** Whether scanning `index` (forwards or backwards) yields the requested sort order. */
function sortOrder(index: OrderedIndex, points: unknown[][], req: PlanRequest, sameCollation: boolean): { providesSort: boolean; reverse: boolean } {
  const no = { providesSort: false, reverse: false };
  if (!req.sort || !sameCollation || index.multikey) return no;
  const spec = Object.entries(req.sort);
  if (spec.length === 0 || spec.some(([, d]) => typeof d === 'object')) return no;
  // Leading fields fixed to one value do not change the order; the sort may name them or not.
  let start = 0;
  while (start < points.length && points[start].length === 1) start++;
  const fixed = new Set(index.fields.slice(0, start));
  const sortFields = spec.filter(([f]) => !fixed.has(f));
  if (sortFields.length === 0) return { providesSort: true, reverse: false };
  let sign = 0;
  for (let i = 0; i < sortFields.length; i++) {
    const pos = start + i;
    if (index.fields[pos] !== sortFields[i][0]) return no;
    const s = Number(sortFields[i][1]) * index.dirs[pos];
    if (sign === 0) sign = s;
    else if (s !== sign) return no;
  }
  return { providesSort: true, reverse: sign < 0 };
}

function score(c: Candidate): number {
  return c.eqFields * 100 + (c.range ? 50 : 0) + (c.providesSort ? 10 : 0);
}

function findHinted(indexes: OrderedIndex[], hint: unknown): OrderedIndex | 'natural' | undefined {
  if (hint === undefined || hint === null) return undefined;
  if (typeof hint === 'object' && Object.keys(hint).length === 0) return undefined;
  if (typeof hint === 'object' && '$natural' in (hint as Document)) return 'natural';
  const found = typeof hint === 'string' ? indexes.find((i) => i.spec.name === hint) : indexes.find((i) => canonicalKey(i.spec.key) === canonicalKey(hint));
  if (!found) throw new MongoCommandError('BadValue', 'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index');
  return found;
}

/** Chooses the index and intervals for a query; `indexes` includes the `_id` index. */
export function planQuery(indexes: OrderedIndex[], req: PlanRequest): Plan {
  const scan: Plan = { index: undefined, intervals: [], reverse: false, providesSort: false, bounds: {} };
  const conds = fieldConditions(req.filter);
  const hinted = findHinted(indexes, req.hint);
  if (hinted === 'natural') return scan;
  let best: Candidate | undefined;
  for (const index of hinted ? [hinted] : indexes) {
    // 2dsphere / 2d / text / hashed keys are not in BSON order: never bounds or sorts here.
    if (Object.values(index.spec.key).some(isSpecialIndexKey)) {
      if (hinted) return scan;
      continue;
    }
    const c = assess(index, conds, req);
    // A sparse index misses documents without its fields: usable with a first-field equality that excludes null/missing.
    // A partial index is used only when hinted (the engine does not prove that a filter implies its expression).
    if (!hinted && index.spec.partialFilterExpression !== undefined) continue;
    if (!hinted && index.spec.sparse && !(c.eqFields > 0 && !c.points[0].some((p) => p === null))) continue;
    if (!hinted && score(c) === 0) continue;
    if (!best || score(c) > score(best) || (score(c) === score(best) && index.fields.length < best.index.fields.length)) best = c;
  }
  if (!best) return scan;
  return toPlan(best);
}

function toPlan(c: Candidate): Plan {
  const { index } = c;
  const n = index.fields.length;
  let prefixes: unknown[][] = [[]];
  c.points.forEach((pts, i) => {
    const cmp = (a: unknown, b: unknown): number => comparePart(a, b, index.collator) * index.dirs[i];
    const sorted = [...pts].sort(cmp).filter((v, j, arr) => j === 0 || cmp(arr[j - 1], v) !== 0);
    const next: unknown[][] = [];
    for (const p of prefixes) for (const v of sorted) next.push([...p, v]);
    prefixes = next;
  });
  const intervals: Interval[] = prefixes.map((prefix) => {
    const low: unknown[] = [...prefix];
    const high: unknown[] = [...prefix];
    let lowPad: typeof LOW | typeof HIGH = LOW;
    let highPad: typeof LOW | typeof HIGH = HIGH;
    if (c.range) {
      const asc = index.dirs[prefix.length] > 0;
      low.push(asc ? c.range.lo : c.range.hi);
      high.push(asc ? c.range.hi : c.range.lo);
      // An open bound: start after / stop before every entry equal to it.
      if (asc ? c.range.loOpen : c.range.hiOpen) lowPad = HIGH;
      if (asc ? c.range.hiOpen : c.range.loOpen) highPad = LOW;
    }
    while (low.length <= n) low.push(lowPad);
    while (high.length <= n) high.push(highPad);
    return { low, high };
  });
  const bounds: Record<string, string[]> = {};
  index.fields.forEach((f, i) => {
    if (i < c.points.length) bounds[f] = c.points[i].map((v) => `[${fmt(v)}, ${fmt(v)}]`);
    else if (i === c.points.length && c.range) bounds[f] = [`${c.range.loOpen ? '(' : '['}${fmt(c.range.lo)}, ${fmt(c.range.hi)}${c.range.hiOpen ? ')' : ']'}`];
    else bounds[f] = ['[MinKey, MaxKey]'];
  });
  return { index, intervals, reverse: c.reverse, providesSort: c.providesSort, bounds };
}

function fmt(v: unknown): string {
  if (v instanceof TypeBound) {
    const names: Record<number, [string, string]> = { 2: ['-inf.0', 'inf.0'], 3: ['""', '{}'], 7: ["ObjectId('000000000000000000000000')", "ObjectId('ffffffffffffffffffffffff')"], 9: ['new Date(-9223372036854775808)', 'new Date(9223372036854775807)'] };
    return names[v.rank]?.[v.end ? 1 : 0] ?? (v.end ? 'MaxKey' : 'MinKey');
  }
  return formatValue(v);
}
