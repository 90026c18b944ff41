/**
 * Routes a command document to its handler, refuses transactions, turns
 * thrown errors into mongod-shaped replies and commits the command's journal
 * ops before the reply is returned.
 */
import type { Document } from 'bson';
import type { Catalog } from './catalog.js';
import type { CursorRegistry } from './cursors.js';
import { MongoCommandError, toCommandError } from './errors.js';
import type { EngineLogger } from './logger.js';
import type { JournalOp } from './storage/types.js';
import type { Request } from './wire.js';
import { adminCommands } from './commands/admin.js';
import { authCommands } from './commands/auth.js';
import type { CommandContext, CommandHandler, ConnectionState, EngineStats } from './commands/context.js';
import { ddlCommands } from './commands/ddl.js';
import { explainCommands } from './commands/explain.js';
import { indexCommands } from './commands/indexes.js';
import { queryCommands } from './commands/query.js';
import { writeCommands } from './commands/write.js';

// Maps, not object lookups: a command named after an Object.prototype member ({ toString: 1 }) is unknown.
const HANDLERS = new Map<string, CommandHandler>(
  Object.entries({ ...adminCommands, ...queryCommands, ...writeCommands, ...ddlCommands, ...indexCommands, ...explainCommands, ...authCommands }),
);
const HANDSHAKE = new Set(['hello', 'ismaster']);
/** What mongod answers before authentication (lower-cased names). */
const WITHOUT_AUTH = new Set([...HANDSHAKE, 'saslstart', 'saslcontinue', 'logout', 'ping', 'buildinfo']);
const LOWERCASE = new Map([...HANDLERS].map(([k, h]) => [k.toLowerCase(), h]));

export class Dispatcher {
  private readonly unknownLogged = new Set<string>();

  constructor(
    private readonly catalog: Catalog,
    private readonly cursors: CursorRegistry,
    private readonly stats: EngineStats,
    private readonly log: EngineLogger,
    /** Every command but the handshake, authentication and ping needs an authenticated connection. */
    private readonly requireAuth = false,
  ) {}

  /**
   * Runs one command. A command without journal ops whose handler answers
   * synchronously (reads) is answered synchronously, without a trip through
   * the microtask queue; otherwise the reply waits for its ops to be durable.
   */
  run(request: Request, connection: ConnectionState): Document | Promise<Document> {
    const cmd = request.command;
    const name = firstKey(cmd);
    let db = typeof cmd.$db === 'string' ? cmd.$db : 'admin';
    if (request.queryNs !== undefined) db = request.queryNs.slice(0, request.queryNs.indexOf('.'));
    const ctx: CommandContext = { catalog: this.catalog, cursors: this.cursors, log: this.log, stats: this.stats, db, connectionId: connection.id, connection, ops: [] };
    let reply: Document | Promise<Document>;
    try {
      if (name === undefined) throw new MongoCommandError('CommandNotFound', 'no such command: empty command');
      const failure = this.catalog.failure;
      // After a failed journal write memory may hold writes that are not on disk: answer nothing
      // but the handshake (so clients get this error instead of timeouts).
      if (failure && !HANDSHAKE.has(name.toLowerCase())) {
        throw new MongoCommandError('InternalError', `the database stopped after a failed journal write (${failure.message}); restart it once the disk is fixed`);
      }
      if (cmd.txnNumber !== undefined || cmd.startTransaction !== undefined || cmd.autocommit === false) {
        throw new MongoCommandError('IllegalOperation', 'Transaction numbers are only allowed on a replica set member or mongos');
      }
      if (this.requireAuth && !connection.user && !WITHOUT_AUTH.has(name.toLowerCase())) {
        throw new MongoCommandError('Unauthorized', `Command ${name} requires authentication`);
      }
      const handler = HANDLERS.get(name) ?? LOWERCASE.get(name.toLowerCase());
      if (!handler) {
        if (!this.unknownLogged.has(name)) {
          this.unknownLogged.add(name);
          this.log.warn('unsupported command', { command: name });
        }
        throw new MongoCommandError('CommandNotFound', `no such command: '${name}'`);
      }
      reply = handler(cmd, ctx);
    } catch (err) {
      reply = this.errorReply(err, name);
    }
    if (reply instanceof Promise) return this.settle(reply, ctx.ops, name);
    return ctx.ops.length === 0 ? reply : this.commitThenReply(reply, ctx.ops);
  }

  private async settle(pending: Promise<Document>, ops: JournalOp[], name: string | undefined): Promise<Document> {
    let reply: Document;
    try {
      reply = await pending;
    } catch (err) {
      reply = this.errorReply(err, name);
    }
    return this.commitThenReply(reply, ops);
  }

  private errorReply(err: unknown, name: string | undefined): Document {
    const e = toCommandError(err);
    if (!(err instanceof MongoCommandError)) this.log.warn('command failed', { command: name, err: e.message });
    return e.toReply();
  }

  /** Memory already reflects the ops (even those of a command that failed part-way); reply only once they are durable. */
  private async commitThenReply(reply: Document, ops: JournalOp[]): Promise<Document> {
    try {
      await this.catalog.commit(ops);
    } catch (err) {
      this.log.error('journal commit failed', { err: String(err) });
      return { ok: 0, code: 1, codeName: 'InternalError', errmsg: `failed to persist the write: ${String(err)}` };
    }
    return reply;
  }
}

/** The command name: the first key of the command document. */
function firstKey(cmd: Document): string | undefined {
  for (const k in cmd) if (Object.prototype.hasOwnProperty.call(cmd, k)) return k;
  return undefined;
}
