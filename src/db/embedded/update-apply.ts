/**
 * Computes the document an update produces (operators, replacement or
 * pipeline) without touching the stored one, and the document an upsert
 * inserts when nothing matched.
 */
import { ObjectId, type Document } from 'bson';
import { MongoCommandError, toCommandError } from './errors.js';
import { applyPipelineUpdate, applyUpdateOperators } from './mingo-adapter.js';
import { canonicalKey, formatValue, setPath } from './values.js';

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
      const { $setOnInsert: _ignored, ...ops } = u;
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
      if ($setOnInsert) merged.$set = { ...(ops.$set as Document | undefined), ...($setOnInsert as Document) };
      const set = merged.$set as Document | undefined;
      // An upsert may take its _id from $set / $setOnInsert when the query does not fix it.
      if (set && '_id' in set && !('_id' in seed)) seed._id = set._id;
      stripUnchangedId(merged, seed._id);
      doc = Object.keys(merged).length > 0 ? applyUpdateOperators(seed, merged, arrayFilters, undefined).doc : seed;
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
