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
import type { Request } from './wire.js';
import { adminCommands } from './commands/admin.js';
import type { CommandContext, CommandHandler, EngineStats } from './commands/context.js';
import { ddlCommands } from './commands/ddl.js';
import { indexCommands } from './commands/indexes.js';
import { queryCommands } from './commands/query.js';
import { writeCommands } from './commands/write.js';

const HANDLERS: Record<string, CommandHandler> = {
  ...adminCommands,
  ...queryCommands,
  ...writeCommands,
  ...ddlCommands,
  ...indexCommands,
};
const LOWERCASE = new Map(Object.keys(HANDLERS).map((k) => [k.toLowerCase(), HANDLERS[k]]));

export class Dispatcher {
  private readonly unknownLogged = new Set<string>();

  constructor(
    private readonly catalog: Catalog,
    private readonly cursors: CursorRegistry,
    private readonly stats: EngineStats,
    private readonly log: EngineLogger,
  ) {}

  async run(request: Request, connectionId: number): Promise<Document> {
    const cmd = request.command;
    const name = Object.keys(cmd)[0];
    let db = typeof cmd.$db === 'string' ? cmd.$db : 'admin';
    if (request.queryNs !== undefined) db = request.queryNs.slice(0, request.queryNs.indexOf('.'));
    const ctx: CommandContext = { catalog: this.catalog, cursors: this.cursors, log: this.log, stats: this.stats, db, connectionId, ops: [] };
    let reply: Document;
    try {
      if (name === undefined) throw new MongoCommandError('CommandNotFound', 'no such command: empty command');
      if (cmd.txnNumber !== undefined || cmd.startTransaction !== undefined || cmd.autocommit === false) {
        throw new MongoCommandError('IllegalOperation', 'Transaction numbers are only allowed on a replica set member or mongos');
      }
      const handler = HANDLERS[name] ?? LOWERCASE.get(name.toLowerCase());
      if (!handler) {
        if (!this.unknownLogged.has(name)) {
          this.unknownLogged.add(name);
          this.log.warn('unsupported command', { command: name });
        }
        throw new MongoCommandError('CommandNotFound', `no such command: '${name}'`);
      }
      reply = await handler(cmd, ctx);
    } catch (err) {
      const e = toCommandError(err);
      if (!(err instanceof MongoCommandError)) this.log.warn('command failed', { command: name, err: e.message });
      reply = e.toReply();
    }
    try {
      // Memory already reflects the ops; reply only once they are durable.
      await this.catalog.commit(ctx.ops);
    } catch (err) {
      this.log.error('journal commit failed', { err: String(err) });
      return { ok: 0, code: 1, codeName: 'InternalError', errmsg: `failed to persist the write: ${String(err)}` };
    }
    return reply;
  }
}
