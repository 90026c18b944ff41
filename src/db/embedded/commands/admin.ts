/** Handshake and server information: hello, ping, buildInfo, serverStatus, getParameter, endSessions... */
import type { Document } from 'bson';
import { MAX_BSON_OBJECT_SIZE } from '../limits.js';
import { MAX_MESSAGE_SIZE } from '../wire.js';
import type { CommandContext, CommandHandler } from './context.js';

export const SERVER_VERSION = '7.0.0';
export const MAX_WRITE_BATCH_SIZE = 100_000;

function helloReply(cmd: Document, ctx: CommandContext, legacy: boolean): Document {
  const reply: Document = legacy ? { ismaster: true } : { isWritablePrimary: true };
  // Asked before authenticating ("db.user"): the one mechanism, whether or not the user exists.
  if (typeof cmd.saslSupportedMechs === 'string') reply.saslSupportedMechs = ['SCRAM-SHA-256'];
  Object.assign(reply, {
    helloOk: true,
    maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
    maxMessageSizeBytes: MAX_MESSAGE_SIZE,
    maxWriteBatchSize: MAX_WRITE_BATCH_SIZE,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: 21,
    readOnly: false,
    ok: 1,
  });
  return reply;
}

const hello: CommandHandler = (cmd, ctx) => helloReply(cmd, ctx, false);
const isMaster: CommandHandler = (cmd, ctx) => helloReply(cmd, ctx, true);

const buildInfo: CommandHandler = () => ({
  version: SERVER_VERSION,
  gitVersion: 'embedded',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
  storageEngines: ['embedded'],
  javascriptEngine: 'none',
  modules: [],
  ok: 1,
});

const serverStatus: CommandHandler = (_cmd, ctx) => {
  const uptimeMillis = Date.now() - ctx.stats.startedAt;
  return {
    host: ctx.stats.host,
    version: SERVER_VERSION,
    process: 'mongod',
    pid: process.pid,
    uptime: Math.floor(uptimeMillis / 1000),
    uptimeMillis,
    localTime: new Date(),
    connections: { current: ctx.stats.connectionsCurrent, available: 1000, totalCreated: ctx.stats.connectionsTotal },
    mem: { bits: 64, resident: Math.round(process.memoryUsage().rss / 1048576) },
    ok: 1,
  };
};

const PARAMETERS: Document = { featureCompatibilityVersion: { version: '7.0' }, authenticationMechanisms: [], requireApiVersion: false };

const getParameter: CommandHandler = (cmd) => {
  const reply: Document = {};
  if (cmd.getParameter === '*' || (typeof cmd.getParameter === 'object' && cmd.getParameter?.allParameters)) Object.assign(reply, PARAMETERS);
  else for (const k of Object.keys(PARAMETERS)) if (k in cmd) reply[k] = PARAMETERS[k];
  reply.ok = 1;
  return reply;
};

const ok: CommandHandler = () => ({ ok: 1 });

const connectionStatus: CommandHandler = () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 });
const whatsmyuri: CommandHandler = () => ({ you: '127.0.0.1', ok: 1 });
const getLog: CommandHandler = () => ({ totalLinesWritten: 0, log: [], ok: 1 });
const hostInfo: CommandHandler = (_cmd, ctx) => ({ system: { hostname: ctx.stats.host }, os: { type: process.platform }, ok: 1 });
const getCmdLineOpts: CommandHandler = () => ({ argv: ['embedded'], parsed: {}, ok: 1 });

const dbStats: CommandHandler = (_cmd, ctx) => {
  const colls = ctx.catalog.collectionsOf(ctx.db);
  const objects = colls.reduce((n, c) => n + c.docs.size, 0);
  const indexes = colls.reduce((n, c) => n + c.indexes.length + 1, 0);
  return { db: ctx.db, collections: colls.length, views: 0, objects, indexes, dataSize: 0, storageSize: 0, indexSize: 0, ok: 1 };
};

export const adminCommands: Record<string, CommandHandler> = {
  hello,
  isMaster,
  ismaster: isMaster,
  ping: ok,
  buildInfo,
  buildinfo: buildInfo,
  serverStatus,
  getParameter,
  endSessions: ok,
  killSessions: ok,
  refreshSessions: ok,
  connectionStatus,
  whatsmyuri,
  getLog,
  hostInfo,
  getCmdLineOpts,
  dbStats,
  getFreeMonitoringStatus: () => ({ state: 'disabled', ok: 1 }),
};
