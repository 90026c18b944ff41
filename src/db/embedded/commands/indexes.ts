/** createIndexes, listIndexes, dropIndexes. */
import { Long, type Document } from 'bson';
import { ID_INDEX } from '../collection.js';
import { MongoCommandError } from '../errors.js';
import type { IndexSpec } from '../storage/types.js';
import { canonicalKey } from '../values.js';
import { collectionName, type CommandHandler } from './context.js';

const NON_OPTION_FIELDS = new Set(['key', 'name', 'v', 'ns']);

function optionsKey(spec: Document): string {
  const opts: Document = {};
  for (const k of Object.keys(spec).sort()) if (!NON_OPTION_FIELDS.has(k) && k !== 'background') opts[k] = spec[k];
  return canonicalKey(opts);
}

function normalizeSpec(raw: Document): IndexSpec {
  const key = raw.key as Document | undefined;
  if (!key || typeof key !== 'object' || Object.keys(key).length === 0) {
    throw new MongoCommandError('CannotCreateIndex', 'Index keys cannot be empty.');
  }
  const name = typeof raw.name === 'string' && raw.name.length > 0 ? raw.name : Object.entries(key).map(([k, v]) => `${k}_${String(v)}`).join('_');
  const spec: Document = { name, key: { ...key } };
  for (const [k, v] of Object.entries(raw)) if (!NON_OPTION_FIELDS.has(k)) spec[k] = v;
  return spec as IndexSpec;
}

const createIndexes: CommandHandler = (cmd, ctx) => {
  const ns = `${ctx.db}.${collectionName(cmd, 'createIndexes')}`;
  const rawSpecs = cmd.indexes as Document[];
  if (!Array.isArray(rawSpecs) || rawSpecs.length === 0) throw new MongoCommandError('BadValue', 'Must specify at least one index to create');
  const existed = ctx.catalog.get(ns) !== undefined;
  const coll = ctx.catalog.getOrCreate(ns, ctx.ops);
  const before = coll.indexes.length + 1;
  let created = 0;
  for (const raw of rawSpecs) {
    const spec = normalizeSpec(raw);
    if (spec.name === ID_INDEX.name || canonicalKey(spec.key) === canonicalKey(ID_INDEX.key)) {
      if (spec.unique === false) throw new MongoCommandError('InvalidOptions', "The field 'unique' is not valid for an _id index specification.");
      continue;
    }
    const sameName = coll.indexes.find((i) => i.spec.name === spec.name);
    if (sameName) {
      if (canonicalKey(sameName.spec.key) === canonicalKey(spec.key) && optionsKey(sameName.spec) === optionsKey(spec)) continue;
      throw new MongoCommandError(
        'IndexKeySpecsConflict',
        `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName.spec)}`,
      );
    }
    const sameKey = coll.indexes.find((i) => canonicalKey(i.spec.key) === canonicalKey(spec.key));
    if (sameKey) {
      throw new MongoCommandError(
        'IndexOptionsConflict',
        optionsKey(sameKey.spec) === optionsKey(spec)
          ? `Index already exists with a different name: ${sameKey.spec.name}`
          : `An equivalent index already exists with a different name and options. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameKey.spec)}`,
      );
    }
    coll.addIndex(spec);
    ctx.ops.push({ op: 'createIndex', ns, spec });
    created++;
  }
  const reply: Document = { numIndexesBefore: before, numIndexesAfter: coll.indexes.length + 1, createdCollectionAutomatically: !existed };
  if (created === 0) reply.note = 'all indexes already exist';
  reply.ok = 1;
  return reply;
};

const listIndexes: CommandHandler = (cmd, ctx) => {
  const ns = `${ctx.db}.${collectionName(cmd, 'listIndexes')}`;
  const coll = ctx.catalog.get(ns);
  if (!coll) throw new MongoCommandError('NamespaceNotFound', `ns does not exist: ${ns}`);
  const batch: Document[] = [{ v: 2, key: { _id: 1 }, name: '_id_' }];
  for (const spec of coll.indexSpecs()) {
    const { name, key, ...options } = spec;
    batch.push({ v: 2, key, name, ...options });
  }
  return { cursor: { id: Long.fromNumber(0), ns, firstBatch: batch }, ok: 1 };
};

const dropIndexes: CommandHandler = (cmd, ctx) => {
  const ns = `${ctx.db}.${collectionName(cmd, 'dropIndexes')}`;
  const coll = ctx.catalog.get(ns);
  if (!coll) throw new MongoCommandError('NamespaceNotFound', `ns not found ${ns}`);
  const was = coll.indexes.length + 1;
  const target = cmd.index;
  let names: string[];
  if (target === '*') names = coll.indexes.map((i) => i.spec.name);
  else if (typeof target === 'string') names = [target];
  else if (Array.isArray(target)) names = target.map(String);
  else if (target && typeof target === 'object') {
    const idx = coll.indexes.find((i) => canonicalKey(i.spec.key) === canonicalKey(target));
    if (!idx) {
      if (canonicalKey(target) === canonicalKey(ID_INDEX.key)) throw new MongoCommandError('InvalidOptions', 'cannot drop _id index');
      throw new MongoCommandError('IndexNotFound', `can't find index with key: ${JSON.stringify(target)}`);
    }
    names = [idx.spec.name];
  } else throw new MongoCommandError('TypeMismatch', "BSON field 'dropIndexes.index' is the wrong type");
  for (const name of names) {
    if (name === ID_INDEX.name) throw new MongoCommandError('InvalidOptions', 'cannot drop _id index');
    if (!coll.indexes.some((i) => i.spec.name === name)) throw new MongoCommandError('IndexNotFound', `index not found with name [${name}]`);
  }
  for (const name of names) {
    coll.dropIndex(name);
    ctx.ops.push({ op: 'dropIndex', ns, name });
  }
  return { nIndexesWas: was, ok: 1 };
};

export const indexCommands: Record<string, CommandHandler> = { createIndexes, listIndexes, dropIndexes };
