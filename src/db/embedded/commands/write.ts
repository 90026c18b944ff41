/** insert, update, delete and findAndModify. */
import { ObjectId, type Document } from 'bson';
import { MongoCommandError, toCommandError } from '../errors.js';
import { project } from '../mingo-adapter.js';
import { applyUpdate, buildUpsertDoc, isOperatorUpdate, withIdFirst, type UpdateSpec } from '../update-apply.js';
import { collectionName, toInt, type CommandContext, type CommandHandler } from './context.js';

function writeReply(n: number, writeErrors: Document[], extra: Document = {}): Document {
  const reply: Document = { n, ...extra };
  if (writeErrors.length > 0) reply.writeErrors = writeErrors;
  reply.ok = 1;
  return reply;
}

const insert: CommandHandler = (cmd, ctx) => {
  const ns = `${ctx.db}.${collectionName(cmd, 'insert')}`;
  const docs = (cmd.documents ?? []) as Document[];
  const ordered = cmd.ordered !== false;
  const coll = ctx.catalog.getOrCreate(ns, ctx.ops);
  const writeErrors: Document[] = [];
  let n = 0;
  for (let i = 0; i < docs.length; i++) {
    try {
      const raw = docs[i];
      if (Array.isArray(raw._id) || raw._id instanceof RegExp) throw new MongoCommandError('BadValue', `can't use an ${Array.isArray(raw._id) ? 'array' : 'regex'} for _id`);
      const doc = withIdFirst(raw._id === undefined ? { _id: new ObjectId(), ...raw } : raw);
      coll.insert(doc);
      ctx.ops.push({ op: 'put', ns, doc });
      n++;
    } catch (err) {
      writeErrors.push(toCommandError(err).toWriteError(i));
      if (ordered) break;
    }
  }
  return writeReply(n, writeErrors);
};

const update: CommandHandler = (cmd, ctx) => {
  const ns = `${ctx.db}.${collectionName(cmd, 'update')}`;
  const stmts = (cmd.updates ?? []) as Document[];
  const ordered = cmd.ordered !== false;
  const writeErrors: Document[] = [];
  const upserted: Document[] = [];
  let n = 0;
  let nModified = 0;
  for (let i = 0; i < stmts.length; i++) {
    const { q, u, upsert, multi, arrayFilters } = stmts[i] as { q?: Document; u: UpdateSpec; upsert?: boolean; multi?: boolean; arrayFilters?: Document[] };
    try {
      if (u === undefined || u === null || typeof u !== 'object') throw new MongoCommandError('FailedToParse', "BSON field 'update.updates.u' is missing but a required field");
      if (multi && !Array.isArray(u) && !isOperatorUpdate(u)) throw new MongoCommandError('FailedToParse', 'multi update is not supported for replacement-style update');
      const coll = upsert ? ctx.catalog.getOrCreate(ns, ctx.ops) : ctx.catalog.get(ns);
      const matches = coll ? coll.find(q, multi ? 0 : 1, stmts[i].collation as Document | undefined) : [];
      if (matches.length === 0 && upsert && coll) {
        const doc = buildUpsertDoc(q, u, arrayFilters);
        coll.insert(doc, 'update');
        ctx.ops.push({ op: 'put', ns, doc });
        upserted.push({ index: i, _id: doc._id });
        n++;
        continue;
      }
      for (const prev of matches) {
        const r = applyUpdate(prev, u, arrayFilters, q);
        n++;
        if (!r.modified) continue;
        coll!.replace(prev, r.doc);
        ctx.ops.push({ op: 'put', ns, doc: r.doc });
        nModified++;
      }
    } catch (err) {
      writeErrors.push(toCommandError(err).toWriteError(i));
      if (ordered) break;
    }
  }
  return writeReply(n, writeErrors, upserted.length > 0 ? { nModified, upserted } : { nModified });
};

const remove: CommandHandler = (cmd, ctx) => {
  const ns = `${ctx.db}.${collectionName(cmd, 'delete')}`;
  const stmts = (cmd.deletes ?? []) as Document[];
  const ordered = cmd.ordered !== false;
  const coll = ctx.catalog.get(ns);
  const writeErrors: Document[] = [];
  let n = 0;
  for (let i = 0; i < stmts.length; i++) {
    try {
      if (!coll) continue;
      const limit = toInt(stmts[i].limit, 0);
      for (const doc of coll.find(stmts[i].q as Document, limit === 1 ? 1 : 0, stmts[i].collation as Document | undefined)) {
        coll.remove(doc);
        ctx.ops.push({ op: 'del', ns, id: doc._id });
        n++;
      }
    } catch (err) {
      writeErrors.push(toCommandError(err).toWriteError(i));
      if (ordered) break;
    }
  }
  return writeReply(n, writeErrors);
};

function findAndModifyTarget(cmd: Document, ctx: CommandContext, ns: string): Document | undefined {
  const coll = ctx.catalog.get(ns);
  if (!coll) return undefined;
  const sort = cmd.sort && Object.keys(cmd.sort as Document).length > 0 ? (cmd.sort as Document) : undefined;
  return coll.query({ filter: cmd.query as Document | undefined, sort, limit: 1, collation: cmd.collation as Document | undefined, hint: cmd.hint }).docs[0];
}

const findAndModify: CommandHandler = (cmd, ctx) => {
  const name = collectionName(cmd, Object.keys(cmd)[0]);
  const ns = `${ctx.db}.${name}`;
  const fields = cmd.fields as Document | undefined;
  const shape = (doc: Document | undefined | null): Document | null => (doc ? project([doc], fields)[0] : null);
  const found = findAndModifyTarget(cmd, ctx, ns);
  if (cmd.remove) {
    if (cmd.update !== undefined) throw new MongoCommandError('FailedToParse', 'Cannot specify both an update and remove=true');
    if (!found) return { lastErrorObject: { n: 0 }, value: null, ok: 1 };
    ctx.catalog.get(ns)!.remove(found);
    ctx.ops.push({ op: 'del', ns, id: found._id });
    return { lastErrorObject: { n: 1 }, value: shape(found), ok: 1 };
  }
  const u = cmd.update as UpdateSpec | undefined;
  if (u === undefined || u === null) throw new MongoCommandError('FailedToParse', 'Either an update or remove=true must be specified');
  const arrayFilters = cmd.arrayFilters as Document[] | undefined;
  if (found) {
    const r = applyUpdate(found, u, arrayFilters, cmd.query as Document | undefined);
    if (r.modified) {
      ctx.catalog.get(ns)!.replace(found, r.doc);
      ctx.ops.push({ op: 'put', ns, doc: r.doc });
    }
    return { lastErrorObject: { n: 1, updatedExisting: true }, value: shape(cmd.new ? r.doc : found), ok: 1 };
  }
  if (!cmd.upsert) return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
  const doc = buildUpsertDoc(cmd.query as Document | undefined, u, arrayFilters);
  const coll = ctx.catalog.getOrCreate(ns, ctx.ops);
  coll.insert(doc, 'update');
  ctx.ops.push({ op: 'put', ns, doc });
  return { lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id }, value: shape(cmd.new ? doc : null), ok: 1 };
};

export const writeCommands: Record<string, CommandHandler> = {
  insert,
  update,
  delete: remove,
  findAndModify,
  findandmodify: findAndModify,
};
