/**
 * explain: the plan the engine runs for a find, count, distinct, aggregate,
 * findAndModify, update or delete, shaped like mongod 7's classic-engine
 * explain (`queryPlanner.winningPlan` names the index and its bounds;
 * `executionStats` with the verbosities that ask for it).
 */
import type { Document } from 'bson';
import type { QueryRequest, QueryResult } from '../collection.js';
import { MongoCommandError } from '../errors.js';
import { collectionName, toInt, type CommandContext, type CommandHandler } from './context.js';
import { findRequest, leadingQuery } from './query.js';
import { SERVER_VERSION } from './admin.js';

const EXPLAINABLE = ['find', 'count', 'distinct', 'aggregate', 'findAndModify', 'findandmodify', 'update', 'delete'];

/** The query a command runs, and the pipeline stages left after it (aggregate). */
function requestOf(name: string, cmd: Document): { req: QueryRequest; rest: Document[] } {
  switch (name) {
    case 'find':
      return { req: findRequest(cmd), rest: [] };
    case 'count':
    case 'distinct':
      return { req: { filter: cmd.query as Document | undefined, collation: cmd.collation as Document | undefined, hint: cmd.hint }, rest: [] };
    case 'aggregate': {
      const pipeline = Array.isArray(cmd.pipeline) ? (cmd.pipeline as Document[]) : [];
      const lead = leadingQuery(pipeline, cmd);
      return { req: lead.req, rest: pipeline.slice(lead.stages) };
    }
    case 'update':
    case 'delete': {
      const stmt = ((cmd[name === 'update' ? 'updates' : 'deletes'] as Document[] | undefined) ?? [])[0] ?? {};
      const limit = name === 'update' ? (stmt.multi ? 0 : 1) : toInt(stmt.limit, 0);
      return { req: { filter: stmt.q as Document | undefined, limit, collation: stmt.collation as Document | undefined, hint: stmt.hint }, rest: [] };
    }
    default:
      return { req: { filter: cmd.query as Document | undefined, sort: cmd.sort as Document | undefined, limit: 1, collation: cmd.collation as Document | undefined, hint: cmd.hint }, rest: [] };
  }
}

function withPaging(stage: Document, req: QueryRequest, sorted: boolean): Document {
  let out = stage;
  if (req.sort && Object.keys(req.sort).length > 0 && !sorted) {
    out = { stage: 'SORT', sortPattern: req.sort, memLimit: 104857600, ...(req.limit ? { limitAmount: (req.skip ?? 0) + req.limit } : {}), type: 'simple', inputStage: out };
  }
  if (req.skip) out = { stage: 'SKIP', skipAmount: req.skip, inputStage: out };
  if (req.limit && (sorted || !req.sort)) out = { stage: 'LIMIT', limitAmount: req.limit, inputStage: out };
  return out;
}

/** The winning plan as mongod's classic engine describes it. */
function winningPlan(result: QueryResult, req: QueryRequest): Document {
  const filter = req.filter ?? {};
  if (result.plan === 'idhack') return { stage: 'IDHACK' };
  const { index } = result.plan;
  if (!index) return withPaging({ stage: 'COLLSCAN', filter, direction: 'forward' }, req, false);
  const ixscan: Document = {
    stage: 'IXSCAN',
    keyPattern: index.spec.key,
    indexName: index.spec.name,
    isMultiKey: index.multikey,
    isUnique: index.spec.unique === true || index.spec.name === '_id_',
    isSparse: index.spec.sparse === true,
    isPartial: index.spec.partialFilterExpression !== undefined,
    indexVersion: 2,
    direction: result.plan.reverse ? 'backward' : 'forward',
    indexBounds: result.plan.bounds,
  };
  return withPaging({ stage: 'FETCH', filter, inputStage: ixscan }, req, result.plan.providesSort);
}

export function explainReply(inner: Document, verbosity: string, ctx: CommandContext): Document {
  const name = Object.keys(inner)[0];
  if (!EXPLAINABLE.includes(name)) throw new MongoCommandError('IllegalOperation', `Explain for the ${name} command is not supported by the embedded engine`);
  const ns = `${ctx.db}.${collectionName(inner, name)}`;
  const { req, rest } = requestOf(name, inner);
  const coll = ctx.catalog.get(ns);
  const started = Date.now();
  const result: QueryResult = coll ? coll.query(req) : { docs: [], plan: { index: undefined, intervals: [], reverse: false, providesSort: false, bounds: {} }, keysExamined: 0, docsExamined: 0 };
  const plan = winningPlan(result, req);
  const reply: Document = {
    explainVersion: '1',
    queryPlanner: {
      namespace: ns,
      indexFilterSet: false,
      parsedQuery: req.filter ?? {},
      ...(req.collation ? { collation: req.collation } : {}),
      maxIndexedOrSolutionsReached: false,
      maxIndexedAndSolutionsReached: false,
      maxScansToExplodeReached: false,
      winningPlan: plan,
      rejectedPlans: [],
    },
  };
  if (verbosity === 'executionStats' || verbosity === 'allPlansExecution') {
    reply.executionStats = {
      executionSuccess: true,
      nReturned: result.docs.length,
      executionTimeMillis: Date.now() - started,
      totalKeysExamined: result.keysExamined,
      totalDocsExamined: result.docsExamined,
      executionStages: plan,
    };
  }
  if (rest.length > 0) reply.stages = rest;
  reply.command = inner;
  reply.serverInfo = { host: ctx.stats.host, port: 0, version: SERVER_VERSION, gitVersion: 'embedded' };
  reply.ok = 1;
  return reply;
}

const explain: CommandHandler = (cmd, ctx) => {
  const inner = cmd.explain as Document | undefined;
  if (!inner || typeof inner !== 'object' || Object.keys(inner).length === 0) throw new MongoCommandError('BadValue', 'explain command requires a nested object');
  const verbosity = typeof cmd.verbosity === 'string' ? cmd.verbosity : 'allPlansExecution';
  if (!['queryPlanner', 'executionStats', 'allPlansExecution'].includes(verbosity)) throw new MongoCommandError('BadValue', `verbosity string must be one of {'queryPlanner', 'executionStats', 'allPlansExecution'}`);
  return explainReply(inner, verbosity, ctx);
};

export const explainCommands: Record<string, CommandHandler> = { explain };
