/** create, drop, dropDatabase, listCollections, listDatabases, renameCollection, collMod. */
import { Long, type Document } from 'bson';
import { validateNamespace } from '../catalog.js';
import { Collection } from '../collection.js';
import { MongoCommandError } from '../errors.js';
import { compileFilter } from '../mingo-adapter.js';
import { canonicalKey } from '../values.js';
import { collectionName, toInt, type CommandHandler } from './context.js';

const IGNORED_CREATE_FIELDS = new Set(['create', '$db', 'lsid', '$clusterTime', 'writeConcern', 'comment', '$readPreference', 'apiVersion', 'apiStrict', 'apiDeprecationErrors']);

const create: CommandHandler = (cmd, ctx) => {
  const ns = `${ctx.db}.${collectionName(cmd, 'create')}`;
  const options: Document = {};
  for (const [k, v] of Object.entries(cmd)) if (!IGNORED_CREATE_FIELDS.has(k)) options[k] = v;
  const existing = ctx.catalog.get(ns);
  if (existing) {
    // mongod 7.0 accepts re-creating a collection with identical options.
    if (canonicalKey(existing.options) === canonicalKey(options)) return { ok: 1 };
    throw new MongoCommandError('NamespaceExists', `Collection ${ns} already exists.`);
  }
  validateNamespace(ns);
  const coll = new Collection(ns, options);
  ctx.catalog.collections.set(ns, coll);
  ctx.ops.push({ op: 'createCollection', ns, options });
  return { ok: 1 };
};

const drop: CommandHandler = (cmd, ctx) => {
  const ns = `${ctx.db}.${collectionName(cmd, 'drop')}`;
  const coll = ctx.catalog.get(ns);
  // mongod 7.0 no longer fails when the collection does not exist.
  if (!coll) return { ok: 1 };
  ctx.catalog.collections.delete(ns);
  ctx.ops.push({ op: 'dropCollection', ns });
  return { nIndexesWas: coll.indexes.length + 1, ns, ok: 1 };
};

const dropDatabase: CommandHandler = (_cmd, ctx) => {
  const colls = ctx.catalog.collectionsOf(ctx.db);
  for (const c of colls) ctx.catalog.collections.delete(c.ns);
  if (colls.length > 0) ctx.ops.push({ op: 'dropDatabase', db: ctx.db });
  return { dropped: ctx.db, ok: 1 };
};

const listCollections: CommandHandler = (cmd, ctx) => {
  const filter = compileFilter(cmd.filter as Document | undefined);
  const nameOnly = cmd.nameOnly === true;
  const entries: Document[] = [];
  for (const c of ctx.catalog.collectionsOf(ctx.db)) {
    const entry: Document = nameOnly
      ? { name: c.name, type: 'collection' }
      : { name: c.name, type: 'collection', options: c.options, info: { readOnly: false }, idIndex: { v: 2, key: { _id: 1 }, name: '_id_' } };
    if (filter(entry)) entries.push(entry);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  return { cursor: { id: Long.fromNumber(0), ns: `${ctx.db}.$cmd.listCollections`, firstBatch: entries }, ok: 1 };
};

const listDatabases: CommandHandler = (cmd, ctx) => {
  const filter = compileFilter(cmd.filter as Document | undefined);
  const databases: Document[] = [];
  for (const name of ctx.catalog.databases()) {
    const entry: Document = cmd.nameOnly ? { name } : { name, sizeOnDisk: 0, empty: false };
    if (filter(entry)) databases.push(entry);
  }
  return cmd.nameOnly ? { databases, ok: 1 } : { databases, totalSize: 0, totalSizeMb: 0, ok: 1 };
};

const renameCollection: CommandHandler = (cmd, ctx) => {
  const from = cmd.renameCollection;
  const to = cmd.to;
  if (typeof from !== 'string' || typeof to !== 'string') throw new MongoCommandError('TypeMismatch', 'renameCollection and to must be strings');
  if (ctx.db !== 'admin') throw new MongoCommandError('Unauthorized', 'renameCollection may only be run against the admin database.');
  const source = ctx.catalog.get(from);
  if (!source) throw new MongoCommandError('NamespaceNotFound', 'Source collection ' + from + ' does not exist');
  if (from === to) throw new MongoCommandError('IllegalOperation', "Can't rename a collection to itself");
  validateNamespace(to);
  if (ctx.catalog.get(to)) {
    if (!cmd.dropTarget) throw new MongoCommandError('NamespaceExists', 'target namespace exists');
    ctx.catalog.collections.delete(to);
    ctx.ops.push({ op: 'dropCollection', ns: to });
  }
  const moved = new Collection(to, source.options);
  for (const d of source.docs.values()) moved.load(d);
  for (const spec of source.indexSpecs()) moved.addIndex(spec);
  ctx.catalog.collections.delete(from);
  ctx.catalog.collections.set(to, moved);
  ctx.ops.push({ op: 'renameCollection', from, to });
  return { ok: 1 };
};

const collMod: CommandHandler = (cmd, ctx) => {
  const ns = `${ctx.db}.${collectionName(cmd, 'collMod')}`;
  const coll = ctx.catalog.get(ns);
  if (!coll) throw new MongoCommandError('NamespaceNotFound', `ns does not exist: ${ns}`);
  const reply: Document = {};
  const change = cmd.index as Document | undefined;
  if (change) {
    const idx = coll.indexes.find((i) =>
      typeof change.name === 'string' ? i.spec.name === change.name : canonicalKey(i.spec.key) === canonicalKey(change.keyPattern),
    );
    if (!idx) throw new MongoCommandError('IndexNotFound', `cannot find index ${JSON.stringify(change.name ?? change.keyPattern)} for ns ${ns}`);
    if (change.expireAfterSeconds !== undefined) {
      const before = idx.spec.expireAfterSeconds;
      const spec = { ...idx.spec, expireAfterSeconds: toInt(change.expireAfterSeconds, 0) };
      coll.dropIndex(spec.name);
      coll.addIndex(spec);
      ctx.ops.push({ op: 'dropIndex', ns, name: spec.name }, { op: 'createIndex', ns, spec });
      reply.expireAfterSeconds_old = before;
      reply.expireAfterSeconds_new = spec.expireAfterSeconds;
    }
  }
  reply.ok = 1;
  return reply;
};

export const ddlCommands: Record<string, CommandHandler> = {
  create,
  drop,
  dropDatabase,
  listCollections,
  listDatabases,
  renameCollection,
  collMod,
};
