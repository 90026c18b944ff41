/**
 * Computes the document an update produces (operators, replacement or
 * pipeline) without touching the stored one, and the document an upsert
 * inserts when nothing matched.
 */
import { ObjectId, type Document } from 'bson';
import { MongoCommandError, toCommandError } from './errors.js';
import { applyPipelineUpdate, applyUpdateOperators, compileFilter, positionalIndex } from './mingo-adapter.js';
import { canonicalKey, formatValue, getPath, setPath } from './values.js';

export type UpdateSpec = Document | Document[];

export function isOperatorUpdate(u: UpdateSpec): u is Document {
  if (Array.isArray(u)) return false;
  const keys = Object.keys(u);
  return keys.length > 0 && keys[0].startsWith('$');
}

function validateUpdate(u: UpdateSpec): void {
  if (Array.isArray(u) || !u || typeof u !== 'object') return;
  const keys = Object.keys(u);
  const ops = keys.filter((k) => k.startsWith('$'));
  if (ops.length > 0 && ops.length !== keys.length) {
    throw new MongoCommandError('FailedToParse', `Unknown modifier: ${keys.find((k) => !k.startsWith('$'))}. Expected a valid update modifier or pipeline-style update specified as an array`);
  }
  if (ops.length > 0) checkConflicts(u);
}

function isPlainSpec(v: unknown): v is Document {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Paths an operator update writes ($rename writes its source and its target). */
function updatePaths(u: Document): string[] {
  const out: string[] = [];
  for (const op of Object.keys(u)) {
    const spec = u[op];
    if (!isPlainSpec(spec)) continue;
    for (const [path, v] of Object.entries(spec)) {
      out.push(path);
      if (op === '$rename' && typeof v === 'string') out.push(v);
    }
  }
  return out;
}

/**
 * mongod refuses an update whose operators touch the same path twice or a path
 * and one of its prefixes (code 40), `$setOnInsert` included even when the
 * update matches an existing document. `children.$.a` and `children.$.b` do not conflict.
 */
function checkConflicts(u: Document): void {
  const seen: string[][] = [];
  for (const path of updatePaths(u)) {
    const parts = path.split('.');
    for (const other of seen) {
      const n = Math.min(parts.length, other.length);
      let i = 0;
      while (i < n && parts[i] === other[i]) i++;
      if (i === n) {
        throw new MongoCommandError('ConflictingUpdateOperators', `Updating the path '${path}' would create a conflict at '${parts.slice(0, n).join('.')}'`);
      }
    }
    seen.push(parts);
  }
}

const POSITIONAL_NO_MATCH = 'The positional operator did not find the match needed from the query.';

/**
 * Replaces the positional `$` of update paths by the index of the first array
 * element the query matched, as mongod does, so that several paths through the
 * same element (`children.$.name` with `children.$.updatedAt`) apply together.
 */
function resolvePositional(u: Document, doc: Document, query: Document | undefined): Document {
  if (!updatePaths(u).some((p) => p.split('.').includes('$'))) return u;
  const indexOf = new Map<string, number>();
  const resolve = (path: string): string => {
    const parts = path.split('.');
    const at = parts.indexOf('$');
    if (at < 0) return path;
    const prefix = parts.slice(0, at).join('.');
    let idx = indexOf.get(prefix);
    if (idx === undefined) {
      idx = positionalIndex(doc, prefix, query);
      if (idx < 0) throw new MongoCommandError('BadValue', POSITIONAL_NO_MATCH);
      indexOf.set(prefix, idx);
    }
    parts[at] = String(idx);
    return parts.join('.');
  };
  const out: Document = {};
  for (const [op, spec] of Object.entries(u)) {
    if (!isPlainSpec(spec)) {
      out[op] = spec;
      continue;
    }
    const next: Document = {};
    for (const [path, v] of Object.entries(spec)) next[resolve(path)] = op === '$rename' && typeof v === 'string' ? resolve(v) : v;
    out[op] = next;
  }
  return out;
}

const LOGICAL = new Set(['$and', '$or', '$nor']);

/**
 * `$pull` with a query-level condition (`{ $or: [...] }`, which Mongoose sends to
 * pull sub-documents without `_id`) matches each element as a document, as in
 * mongod; mingo would apply those `$` keys to the element's value. Such pulls
 * become a `$set` of the filtered array.
 */
function rewriteLogicalPull(u: Document, doc: Document): Document {
  const pull = u.$pull;
  if (!isPlainSpec(pull)) return u;
  const logical = Object.entries(pull).filter(([, c]) => isPlainSpec(c) && Object.keys(c).length > 0 && Object.keys(c).every((k) => LOGICAL.has(k)));
  if (logical.length === 0) return u;
  const rest: Document = { ...pull };
  const set: Document = { ...(u.$set as Document | undefined) };
  for (const [path, cond] of logical) {
    delete rest[path];
    const arr = getPath(doc, path);
    if (!Array.isArray(arr)) continue;
    const match = compileFilter(cond as Document);
    const kept = arr.filter((el) => !(el !== null && typeof el === 'object' && !Array.isArray(el) && match(el as Document)));
    if (kept.length !== arr.length) set[path] = kept;
  }
  const out: Document = { ...u };
  if (Object.keys(rest).length > 0) out.$pull = rest;
  else delete out.$pull;
  if (Object.keys(set).length > 0) out.$set = set;
  return out;
}

/** Top-level `$`-prefixed field names an operator update would write (`$set: { $hotel: 1 }`). */
function dollarFields(u: Document): string[] {
  return updatePaths(u).filter((p) => p.startsWith('$') && !/^\$(\[[^\]]*\])?$/.test(p.split('.')[0]));
}

/** `_id` first, as mongod stores it. */
export function withIdFirst(doc: Document): Document {
  const keys = Object.keys(doc);
  if (keys[0] === '_id') return doc;
  const out: Document = { _id: doc._id };
  for (const k of keys) if (k !== '_id') out[k] = doc[k];
  return out;
}

function ensureIdUnchanged(before: Document, after: Document): void {
  if (!('_id' in after)) {
    after._id = before._id;
    return;
  }
  if (canonicalKey(before._id) !== canonicalKey(after._id)) {
    throw new MongoCommandError(
      'ImmutableField',
      `Performing an update on the path '_id' would modify the immutable field '_id'`,
    );
  }
}

/**
 * The updated copy of `doc`, or `modified: false` when the update changes
 * nothing. Throws ImmutableField (66) when `_id` would change.
 */
export function applyUpdate(doc: Document, u: UpdateSpec, arrayFilters: Document[] | undefined, query: Document | undefined): { doc: Document; modified: boolean } {
  validateUpdate(u);
  let next: Document;
  let modified: boolean;
  try {
    if (Array.isArray(u)) {
      next = applyPipelineUpdate(doc, u);
      modified = canonicalKey(next) !== canonicalKey(doc);
    } else if (isOperatorUpdate(u)) {
      const { $setOnInsert: _ignored, ...rest } = u;
      const dollar = dollarFields(rest);
      if (dollar.length > 0) {
        // mongod 7 stores such fields only when an upsert inserts; changing an existing document is refused.
        throw new MongoCommandError('DollarPrefixedFieldName', `The dollar ($) prefixed field '${dollar[0].split('.')[0]}' in '${dollar[0]}' is not valid for storage.`);
      }
      const ops = rewriteLogicalPull(resolvePositional(rest, doc, query), doc);
      stripUnchangedId(ops, doc._id);
      if (Object.keys(ops).length === 0) return { doc, modified: false };
      const r = applyUpdateOperators(doc, ops, arrayFilters, query);
      next = r.doc;
      modified = canonicalKey(next) !== canonicalKey(doc);
    } else {
      next = { ...(u as Document) };
      if ('_id' in next && canonicalKey(next._id) !== canonicalKey(doc._id)) {
        throw new MongoCommandError(
          'ImmutableField',
          `After applying the update, the (immutable) field '_id' was found to have been altered to _id: ${formatValue(next._id)}`,
        );
      }
      next = { _id: doc._id, ...next };
      modified = canonicalKey(next) !== canonicalKey(doc);
    }
  } catch (err) {
    throw updateError(err);
  }
  ensureIdUnchanged(doc, next);
  return { doc: modified ? withIdFirst(next) : doc, modified };
}

/** Setting `_id` to its current value is allowed (connect-mongo does it); mingo would refuse it. */
function stripUnchangedId(ops: Document, currentId: unknown): void {
  const set = ops.$set as Document | undefined;
  if (set && '_id' in set && canonicalKey(set._id) === canonicalKey(currentId)) {
    const { _id: _same, ...rest } = set;
    ops.$set = rest;
  }
}

function updateError(err: unknown): MongoCommandError {
  if (err instanceof Error && !(err instanceof MongoCommandError) && /immutable field '_id'/.test(err.message)) {
    return new MongoCommandError('ImmutableField', err.message.replace(/\.$/, ''));
  }
  const unknown = err instanceof Error ? /Unknown update operator: '([^']+)'/.exec(err.message) : null;
  if (unknown) {
    return new MongoCommandError('FailedToParse', `Unknown modifier: ${unknown[1]}. Expected a valid update modifier or pipeline-style update specified as an array`);
  }
  return toCommandError(err);
}

/** Equality fields of a query that seed an upserted document. */
function seedFromQuery(query: Document | undefined, seed: Document): void {
  if (!query) return;
  for (const [k, v] of Object.entries(query)) {
    if (k === '$and' && Array.isArray(v)) {
      for (const sub of v) seedFromQuery(sub as Document, seed);
      continue;
    }
    if (k.startsWith('$')) continue;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof RegExp) && (v as { _bsontype?: string })._bsontype === undefined) {
      const keys = Object.keys(v);
      if (keys.length > 0 && keys[0].startsWith('$')) {
        if (keys.length === 1 && keys[0] === '$eq') setPath(seed, k, (v as Document).$eq);
        continue;
      }
    }
    if (v instanceof RegExp) continue;
    setPath(seed, k, v);
  }
}

/** The document an upsert inserts when its query matched nothing. */
export function buildUpsertDoc(query: Document | undefined, u: UpdateSpec, arrayFilters: Document[] | undefined): Document {
  validateUpdate(u);
  let doc: Document;
  try {
    if (Array.isArray(u)) {
      const seed: Document = {};
      seedFromQuery(query, seed);
      doc = applyPipelineUpdate(seed, u);
    } else if (isOperatorUpdate(u)) {
      const seed: Document = {};
      seedFromQuery(query, seed);
      const { $setOnInsert, ...ops } = u;
      const merged: Document = { ...ops };
      if ($setOnInsert || ops.$set) merged.$set = { ...(ops.$set as Document | undefined), ...($setOnInsert as Document | undefined) };
      const set = merged.$set as Document | undefined;
      // An upsert may take its _id from $set / $setOnInsert when the query does not fix it.
      if (set && '_id' in set && !('_id' in seed)) seed._id = set._id;
      stripUnchangedId(merged, seed._id);
      // An inserting upsert stores top-level $-prefixed fields of $set as given (mongod 5+); mingo refuses the paths.
      const literal: Document = {};
      if (set) {
        for (const k of dollarFields({ $set: set })) {
          if (k.includes('.')) continue;
          literal[k] = set[k];
          delete set[k];
        }
        if (Object.keys(set).length === 0) delete merged.$set;
      }
      doc = Object.keys(merged).length > 0 ? applyUpdateOperators(seed, merged, arrayFilters, undefined).doc : seed;
      Object.assign(doc, literal);
    } else {
      doc = { ...(u as Document) };
      const seed: Document = {};
      seedFromQuery(query, seed);
      if (!('_id' in doc) && '_id' in seed) doc._id = seed._id;
    }
  } catch (err) {
    throw updateError(err);
  }
  if (!('_id' in doc) || doc._id === undefined) doc._id = new ObjectId();
  return withIdFirst(doc);
}
