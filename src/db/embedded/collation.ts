/**
 * MongoDB collations (`{ locale, strength, caseFirst, numericOrdering }`) on
 * top of Intl.Collator: for find filters, sorts and index keys. Only strings
 * compare through the collator, as in mongod.
 */
import type { Document } from 'bson';
import { MongoCommandError } from './errors.js';
import { compareValues, getPathValues, typeRank } from './values.js';

export type Matcher = (doc: Document) => boolean;

/** A collation as an Intl.Collator; undefined for the simple (binary) collation. */
export function collatorFor(collation: Document | undefined): Intl.Collator | undefined {
  if (!collation || collation.locale === undefined || collation.locale === 'simple') return undefined;
  if (typeof collation.locale !== 'string') throw new MongoCommandError('TypeMismatch', "BSON field 'locale' is the wrong type, expected type 'string'");
  const strength = Number(collation.strength ?? 3);
  if (![1, 2, 3, 4, 5].includes(strength)) throw new MongoCommandError('BadValue', `unable to parse collation :: caused by :: Field 'strength' must be an integer 1 through 5. Got: ${String(collation.strength)}`);
  // ICU strength 1 ignores case and accents, 2 ignores case, 3 and above tell everything apart.
  const sensitivity = strength === 1 ? 'base' : strength === 2 ? 'accent' : 'variant';
  const caseFirst = collation.caseFirst === 'upper' || collation.caseFirst === 'lower' ? collation.caseFirst : undefined;
  const supported = Intl.Collator.supportedLocalesOf([collation.locale.replace(/_/g, '-')]);
  if (supported.length === 0) throw new MongoCommandError('BadValue', `Field 'locale' is invalid in: { locale: "${collation.locale}" }`);
  return new Intl.Collator(supported[0], { sensitivity, numeric: collation.numericOrdering === true, usage: 'sort', ...(caseFirst ? { caseFirst } : {}) });
}

/** Canonical text of a collation: an index serves a query's strings only when both are equal. */
export function collationKey(collation: Document | undefined): string {
  if (!collation || collation.locale === undefined || collation.locale === 'simple') return 'simple';
  return `${String(collation.locale)}/${Number(collation.strength ?? 3)}/${String(collation.caseFirst ?? 'off')}/${collation.numericOrdering === true}`;
}

const FIELD_OPS = new Set(['$eq', '$ne', '$in', '$nin', '$gt', '$gte', '$lt', '$lte']);

function isOperatorObject(v: unknown): v is Document {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Date || v instanceof RegExp) return false;
  if ((v as { _bsontype?: string })._bsontype !== undefined) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys[0].startsWith('$');
}

/** Values a field condition may compare with: scalars (no arrays, documents or regexes). */
function isScalar(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return v !== undefined;
  if (v instanceof Date) return true;
  const t = (v as { _bsontype?: string })._bsontype;
  return t !== undefined && t !== 'BSONRegExp';
}

type Cond = (values: unknown[]) => boolean;

/**
 * Conditions on one field whose operands include strings, compared through the
 * collator (every element of an array is a candidate, as in mongod); undefined
 * when the field has nothing collation changes or uses other operators.
 */
function compileField(path: string, expr: unknown, collator: Intl.Collator): Matcher | undefined {
  const ops: [string, unknown][] = isOperatorObject(expr) ? Object.entries(expr) : [['$eq', expr]];
  const operands = (a: unknown): unknown[] => (Array.isArray(a) ? a : [a]);
  if (!ops.some(([, a]) => operands(a).some((x) => typeof x === 'string'))) return undefined;
  if (ops.some(([op, a]) => !FIELD_OPS.has(op) || (op === '$in' || op === '$nin' ? !Array.isArray(a) || !a.every(isScalar) : !isScalar(a)))) return undefined;
  const cmp = (x: unknown, q: unknown): number | undefined => {
    if (typeRank(x) !== typeRank(q)) return undefined;
    return typeof x === 'string' && typeof q === 'string' ? collator.compare(x, q) : compareValues(x, q);
  };
  const eq = (values: unknown[], q: unknown): boolean => (q === null && values.length === 0) || values.some((x) => (x === undefined ? q === null : cmp(x, q) === 0));
  const conds: Cond[] = ops.map(([op, a]) => {
    switch (op) {
      case '$eq':
        return (vals) => eq(vals, a);
      case '$ne':
        return (vals) => !eq(vals, a);
      case '$in':
        return (vals) => (a as unknown[]).some((q) => eq(vals, q));
      case '$nin':
        return (vals) => !(a as unknown[]).some((q) => eq(vals, q));
      default: {
        const ok = (c: number): boolean => (op === '$gt' ? c > 0 : op === '$gte' ? c >= 0 : op === '$lt' ? c < 0 : c <= 0);
        return (vals) => vals.some((x) => {
          const c = cmp(x, a);
          return c !== undefined && ok(c);
        });
      }
    }
  });
  return (doc) => {
    const values: unknown[] = [];
    for (const v of getPathValues(doc, path)) {
      if (Array.isArray(v)) values.push(...v);
      else values.push(v);
    }
    return conds.every((c) => c(values));
  };
}

/**
 * A matcher honouring `collator` for string comparisons in field conditions
 * (`$eq`, `$ne`, `$in`, `$nin`, ranges), combined by `$and`/`$or`/`$nor`;
 * every other condition goes to `fallback` (mingo), which compares binary.
 */
export function compileCollatedFilter(filter: Document, collator: Intl.Collator, fallback: (f: Document) => Matcher): Matcher {
  const parts: Matcher[] = [];
  for (const [k, v] of Object.entries(filter)) {
    if ((k === '$and' || k === '$or' || k === '$nor') && Array.isArray(v) && v.length > 0) {
      const subs = v.map((sub) => compileCollatedFilter(sub as Document, collator, fallback));
      if (k === '$and') parts.push((d) => subs.every((m) => m(d)));
      else if (k === '$or') parts.push((d) => subs.some((m) => m(d)));
      else parts.push((d) => !subs.some((m) => m(d)));
      continue;
    }
    parts.push((k.startsWith('$') ? undefined : compileField(k, v, collator)) ?? fallback({ [k]: v }));
  }
  return (doc) => parts.every((m) => m(doc));
}
