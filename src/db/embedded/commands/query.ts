/** find, getMore, killCursors, count, distinct and aggregate. */
import { Long, type Document } from 'bson';
import { MongoCommandError } from '../errors.js';
import { aggregate as runPipeline, projectPositional } from '../mingo-adapter.js';
import { cursorKey } from '../cursors.js';
import type { QueryRequest } from '../collection.js';
import { canonicalKey, compareValues, getPathValues } from '../values.js';
import { explainReply } from './explain.js';
import { collectionName, toInt, type CommandContext, type CommandHandler } from './context.js';

function hasKeys(d: unknown): d is Document {
  return d !== null && typeof d === 'object' && Object.keys(d as Document).length > 0;
}

/** The query part of a find command (filter, sort, paging, collation, hint). */
export function findRequest(cmd: Document): QueryRequest & { singleBatch: boolean } {
  const skip = Math.max(0, toInt(cmd.skip, 0));
  let limit = toInt(cmd.limit, 0);
  let singleBatch = cmd.singleBatch === true;
  if (limit < 0) {
    limit = -limit;
    singleBatch = true;
  }
  const sort = hasKeys(cmd.sort) ? (cmd.sort as Document) : undefined;
  const collation = hasKeys(cmd.collation) ? (cmd.collation as Document) : undefined;
  return { filter: cmd.filter as Document | undefined, sort, skip, limit, collation, hint: cmd.hint, singleBatch };
}

const find: CommandHandler = (cmd, ctx) => {
  const ns = `${ctx.db}.${collectionName(cmd, 'find')}`;
  const coll = ctx.catalog.get(ns);
  const req = findRequest(cmd);
  let docs = coll ? coll.query(req).docs : [];
  const batchSize = cmd.batchSize === undefined ? undefined : toInt(cmd.batchSize, 101);
  let projection = hasKeys(cmd.projection) ? (cmd.projection as Document) : undefined;
  if (projection && Object.keys(projection).some((k) => k.endsWith('.$'))) {
    // The positional projection depends on the filter: applied here, not per batch.
    docs = projectPositional(docs, projection, req.filter);
    projection = undefined;
  }
  return { cursor: ctx.cursors.first(ns, docs, projection, batchSize, req.singleBatch).cursor, ok: 1 };
};

const getMore: CommandHandler = (cmd, ctx) => {
  const batch = ctx.cursors.next(cmd.getMore, cmd.batchSize === undefined ? undefined : toInt(cmd.batchSize, 0));
  if (!batch) throw new MongoCommandError('CursorNotFound', `cursor id ${cursorKey(cmd.getMore)} not found`);
  return { ...batch, ok: 1 };
};

const killCursors: CommandHandler = (cmd, ctx) => {
  const killed: Long[] = [];
  const notFound: Long[] = [];
  for (const raw of (cmd.cursors ?? []) as unknown[]) {
    (ctx.cursors.kill(raw) ? killed : notFound).push(Long.fromString(cursorKey(raw)));
  }
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
};

const count: CommandHandler = (cmd, ctx) => {
  const coll = ctx.catalog.get(`${ctx.db}.${collectionName(cmd, 'count')}`);
  if (!coll) return { n: 0, ok: 1 };
  const query = cmd.query as Document | undefined;
  const collation = hasKeys(cmd.collation) ? (cmd.collation as Document) : undefined;
  let n = hasKeys(query) ? coll.query({ filter: query, collation, hint: cmd.hint, unordered: true }).docs.length : coll.docs.size;
  n = Math.max(0, n - Math.max(0, toInt(cmd.skip, 0)));
  const limit = Math.abs(toInt(cmd.limit, 0));
  if (limit > 0) n = Math.min(n, limit);
  return { n, ok: 1 };
};

const distinct: CommandHandler = (cmd, ctx) => {
  const coll = ctx.catalog.get(`${ctx.db}.${collectionName(cmd, 'distinct')}`);
  const key = cmd.key;
  if (typeof key !== 'string') throw new MongoCommandError('TypeMismatch', "BSON field 'distinct.key' is the wrong type, expected type 'string'");
  const seen = new Map<string, unknown>();
  const collation = hasKeys(cmd.collation) ? (cmd.collation as Document) : undefined;
  for (const doc of coll ? coll.query({ filter: cmd.query as Document | undefined, collation, unordered: true }).docs : []) {
    for (const v of getPathValues(doc, key)) {
      for (const x of Array.isArray(v) ? v : [v]) {
        const k = canonicalKey(x);
        if (!seen.has(k)) seen.set(k, x === undefined ? null : x);
      }
    }
  }
  return { values: [...seen.values()].sort(compareValues), ok: 1 };
};

const UNSUPPORTED_STAGES = new Set(['$out', '$merge', '$changeStream', '$currentOp', '$listSessions', '$collStats', '$indexStats']);

function resolverFor(ctx: CommandContext): (name: string) => Document[] {
  return (name) => {
    const c = ctx.catalog.get(`${ctx.db}.${name}`);
    return c ? [...c.docs.values()] : [];
  };
}

/**
 * The leading `$match` / `$sort` / `$skip` / `$limit` stages of a pipeline as one
 * query, so they use the indexes (top-k for a sort + limit) and make no copies.
 */
export function leadingQuery(pipeline: Document[], cmd: Document): { req: QueryRequest; stages: number } {
  const req: QueryRequest = { skip: 0, limit: 0, collation: hasKeys(cmd.collation) ? (cmd.collation as Document) : undefined, hint: cmd.hint };
  let i = 0;
  if (pipeline[0] && hasKeys(pipeline[0].$match)) {
    req.filter = pipeline[0].$match as Document;
    i++;
  }
  if (pipeline[i] && hasKeys(pipeline[i].$sort)) {
    req.sort = pipeline[i].$sort as Document;
    i++;
  }
  // $skip then $limit fold into one query; a $skip after a $limit stays in the pipeline.
  for (; i < pipeline.length; i++) {
    const [name, arg] = Object.entries(pipeline[i])[0] ?? [];
    if (name === '$skip' && req.limit === 0) req.skip! += Math.max(0, toInt(arg, 0));
    else if (name === '$limit' && toInt(arg, 0) > 0) req.limit = req.limit! > 0 ? Math.min(req.limit!, toInt(arg, 0)) : toInt(arg, 0);
    else break;
  }
  return { req, stages: i };
}

const aggregate: CommandHandler = (cmd, ctx) => {
  if (cmd.explain) return explainReply({ aggregate: cmd.aggregate, pipeline: cmd.pipeline, $db: ctx.db }, 'queryPlanner', ctx);
  const pipeline = cmd.pipeline as Document[];
  if (!Array.isArray(pipeline)) throw new MongoCommandError('TypeMismatch', "'pipeline' option must be specified as an array");
  for (const stage of pipeline) {
    const name = Object.keys(stage)[0];
    if (UNSUPPORTED_STAGES.has(name)) throw new MongoCommandError('IllegalOperation', `${name} is not supported by the embedded engine`);
  }
  const collName = cmd.aggregate;
  const ns = typeof collName === 'string' ? `${ctx.db}.${collName}` : `${ctx.db}.$cmd.aggregate`;
  const coll = typeof collName === 'string' ? ctx.catalog.get(ns) : undefined;
  let input: Document[] = [];
  let rest = pipeline;
  if (coll) {
    const lead = leadingQuery(pipeline, cmd);
    input = coll.query(lead.req).docs;
    rest = pipeline.slice(lead.stages);
  }
  const results = rest.length > 0 ? runPipeline(input, rest, resolverFor(ctx), cmd.let as Document | undefined) : input;
  const batchSize = (cmd.cursor as Document | undefined)?.batchSize;
  return { ...ctx.cursors.first(ns, results, undefined, batchSize === undefined ? undefined : toInt(batchSize, 101)), ok: 1 };
};

export const queryCommands: Record<string, CommandHandler> = { find, getMore, killCursors, count, distinct, aggregate };
