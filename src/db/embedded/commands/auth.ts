/**
 * Authentication and users: saslStart / saslContinue (SCRAM-SHA-256 only),
 * logout, createUser, dropUser, usersInfo. Users live in admin.system.users as
 * in mongod ({ _id: "<db>.<user>", user, db, credentials, roles }); an
 * authenticated user may run every command (roles are stored, not enforced).
 */
import { Binary, type Document } from 'bson';
import { MongoCommandError } from '../errors.js';
import { ScramConversation, ScramError, SCRAM_SHA_256, deriveCredentials, type ScramCredentials } from '../scram.js';
import type { CommandContext, CommandHandler } from './context.js';

export const USERS_NS = 'admin.system.users';
const CONVERSATION_ID = 1;

function payloadText(cmd: Document): string {
  const p = cmd.payload as unknown;
  if (p instanceof Binary) return Buffer.from(p.buffer.subarray(0, p.position)).toString('utf8');
  if (p instanceof Uint8Array) return Buffer.from(p).toString('utf8');
  if (typeof p === 'string') return p;
  throw new MongoCommandError('BadValue', 'payload must be binary data');
}

function authFailed(): MongoCommandError {
  return new MongoCommandError('AuthenticationFailed', 'Authentication failed.');
}

/** The stored SCRAM-SHA-256 credentials of db.user, if that user exists. */
export function findCredentials(ctx: CommandContext, db: string, user: string): ScramCredentials | undefined {
  const doc = ctx.catalog.get(USERS_NS)?.find({ _id: `${db}.${user}` }, 1)[0];
  return (doc?.credentials as Document | undefined)?.[SCRAM_SHA_256] as ScramCredentials | undefined;
}

const saslStart: CommandHandler = (cmd, ctx) => {
  if (cmd.mechanism !== SCRAM_SHA_256) {
    throw new MongoCommandError('MechanismUnavailable', `Received authentication for mechanism ${String(cmd.mechanism)} which is not enabled`);
  }
  const conversation = new ScramConversation();
  let serverFirst: string;
  try {
    const user = conversation.start(payloadText(cmd));
    serverFirst = conversation.serverFirstMessage(findCredentials(ctx, ctx.db, user));
  } catch (err) {
    if (err instanceof ScramError) throw authFailed();
    throw err;
  }
  ctx.connection.scram = { conversation, db: ctx.db };
  return { conversationId: CONVERSATION_ID, done: false, payload: new Binary(Buffer.from(serverFirst)), ok: 1 };
};

const saslContinue: CommandHandler = (cmd, ctx) => {
  const pending = ctx.connection.scram;
  ctx.connection.scram = undefined;
  if (!pending || Number(cmd.conversationId) !== CONVERSATION_ID) throw new MongoCommandError('ProtocolError', 'No SASL session state found');
  let serverFinal: string;
  try {
    serverFinal = pending.conversation.finish(payloadText(cmd));
  } catch (err) {
    ctx.log.warn('authentication failed', { user: pending.conversation.user, db: pending.db, connectionId: ctx.connectionId });
    if (err instanceof ScramError) throw authFailed();
    throw err;
  }
  ctx.connection.user = { user: pending.conversation.user, db: pending.db };
  ctx.log.info('authenticated', { user: pending.conversation.user, db: pending.db, connectionId: ctx.connectionId });
  return { conversationId: CONVERSATION_ID, done: true, payload: new Binary(Buffer.from(serverFinal)), ok: 1 };
};

const logout: CommandHandler = (_cmd, ctx) => {
  ctx.connection.user = undefined;
  return { ok: 1 };
};

/** Adds (or replaces) a user; used by createUser and by the engine's first start. */
export async function putUser(ctx: Pick<CommandContext, 'catalog' | 'ops'>, db: string, user: string, password: string, roles: unknown[]): Promise<void> {
  const credentials = await deriveCredentials(password);
  const coll = ctx.catalog.getOrCreateSystem(USERS_NS, ctx.ops);
  const doc = { _id: `${db}.${user}`, user, db, credentials: { [SCRAM_SHA_256]: credentials }, roles };
  const existing = coll.find({ _id: doc._id }, 1)[0];
  if (existing) coll.replace(existing, doc);
  else coll.insert(doc);
  ctx.ops.push({ op: 'put', ns: USERS_NS, doc });
}

const createUser: CommandHandler = async (cmd, ctx) => {
  const user = cmd.createUser;
  if (typeof user !== 'string' || user.length === 0) throw new MongoCommandError('BadValue', 'User name must be a non-empty string');
  if (typeof cmd.pwd !== 'string' || cmd.pwd.length === 0) throw new MongoCommandError('BadValue', 'Must provide a \'pwd\' field for all user documents');
  if (cmd.mechanisms !== undefined && !(Array.isArray(cmd.mechanisms) && cmd.mechanisms.every((m) => m === SCRAM_SHA_256))) {
    throw new MongoCommandError('BadValue', 'Only SCRAM-SHA-256 is supported');
  }
  if (findCredentials(ctx, ctx.db, user)) throw new MongoCommandError('Location51003', `User "${user}@${ctx.db}" already exists`);
  await putUser(ctx, ctx.db, user, cmd.pwd, Array.isArray(cmd.roles) ? cmd.roles : []);
  return { ok: 1 };
};

const dropUser: CommandHandler = (cmd, ctx) => {
  const coll = ctx.catalog.get(USERS_NS);
  const doc = coll?.find({ _id: `${ctx.db}.${String(cmd.dropUser)}` }, 1)[0];
  if (!coll || !doc) throw new MongoCommandError('UserNotFound', `User '${String(cmd.dropUser)}@${ctx.db}' not found`);
  coll.remove(doc);
  ctx.ops.push({ op: 'del', ns: USERS_NS, id: doc._id });
  return { ok: 1 };
};

const usersInfo: CommandHandler = (_cmd, ctx) => {
  const users = (ctx.catalog.get(USERS_NS)?.find({ db: ctx.db }) ?? []).map((u) => ({ _id: u._id, user: u.user, db: u.db, roles: u.roles, mechanisms: [SCRAM_SHA_256] }));
  return { users, ok: 1 };
};

export const authCommands: Record<string, CommandHandler> = { saslStart, saslContinue, logout, createUser, dropUser, usersInfo };
