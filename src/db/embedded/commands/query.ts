/** find, getMore, killCursors, count, distinct and aggregate. */
import { Long, type Document } from 'bson';
import { MongoCommandError } from '../errors.js';
import { aggregate as runPipeline, compileFilter } from '../mingo-adapter.js';
import { cursorKey } from '../cursors.js';
import { sortDocs } from '../sort.js';
import { canonicalKey, compareValues, getPathValues } from '../values.js';
import { collectionName, toInt, type CommandContext, type CommandHandler } from './context.js';

function hasKeys(d: unknown): d is Document {
  return d !== null && typeof d === 'object' && Object.keys(d as Document).length > 0;
}

const find: CommandHandler = (cmd, ctx) => {
  const ns = `${ctx.db}.${collectionName(cmd, 'find')}`;
  const coll = ctx.catalog.get(ns);
  const skip = Math.max(0, toInt(cmd.skip, 0));
  let limit = toInt(cmd.limit, 0);
  let singleBatch = cmd.singleBatch === true;
  if (limit < 0) {
    limit = -limit;
    singleBatch = true;
  }
  const sort = hasKeys(cmd.sort) ? (cmd.sort as Document) : undefined;
  let docs: Document[] = [];
  if (coll) {
    // Without a sort the scan can stop as soon as skip + limit documents matched.
    docs = coll.find(cmd.filter as Document | undefined, sort || limit === 0 ? 0 : skip + limit);
    if (sort) docs = sortDocs(docs, sort);
    if (skip > 0 || limit > 0) docs = docs.slice(skip, limit > 0 ? skip + limit : undefined);
  }
  const batchSize = cmd.batchSize === undefined ? undefined : toInt(cmd.batchSize, 101);
  const projection = hasKeys(cmd.projection) ? (cmd.projection as Document) : undefined;
  return { cursor: ctx.cursors.first(ns, docs, projection, batchSize, singleBatch).cursor, ok: 1 };
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
  let n = hasKeys(query) ? coll.find(query).length : coll.docs.size;
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
  for (const doc of coll ? coll.find(cmd.query as Document | undefined) : []) {
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

const aggregate: CommandHandler = (cmd, ctx) => {
  const pipeline = cmd.pipeline as Document[];
  if (!Array.isArray(pipeline)) throw new MongoCommandError('TypeMismatch', "'pipeline' option must be specified as an array");
  if (cmd.explain) throw new MongoCommandError('IllegalOperation', 'explain is not supported by the embedded engine');
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
    const first = pipeline[0];
    if (first && hasKeys(first.$match)) {
      // A leading $match uses the indexes; the remaining stages see only its result.
      const match = compileFilter(first.$match);
      for (const d of coll.candidates(first.$match)) if (match(d)) input.push(d);
      rest = pipeline.slice(1);
    } else {
      input = [...coll.docs.values()];
    }
    // Leading $sort/$skip/$limit run here: BSON sort order, and no copies.
    while (rest.length > 0) {
      const [name, arg] = Object.entries(rest[0])[0] ?? [];
      if (name === '$sort' && hasKeys(arg)) input = sortDocs(input, arg);
      else if (name === '$skip') input = input.slice(Math.max(0, toInt(arg, 0)));
      else if (name === '$limit' && toInt(arg, 0) > 0) input = input.slice(0, toInt(arg, 0));
      else break;
      rest = rest.slice(1);
    }
  }
  const results = rest.length > 0 ? runPipeline(input, rest, resolverFor(ctx), cmd.let as Document | undefined) : input;
  const batchSize = (cmd.cursor as Document | undefined)?.batchSize;
  return { ...ctx.cursors.first(ns, results, undefined, batchSize === undefined ? undefined : toInt(batchSize, 101)), ok: 1 };
};

export const queryCommands: Record<string, CommandHandler> = { find, getMore, killCursors, count, distinct, aggregate };
