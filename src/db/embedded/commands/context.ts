/** What every command handler receives. */
import type { Document } from 'bson';
import type { Catalog } from '../catalog.js';
import type { CursorRegistry } from '../cursors.js';
import type { EngineLogger } from '../logger.js';
import type { JournalOp } from '../storage/types.js';
import { MongoCommandError } from '../errors.js';
import type { ScramConversation } from '../scram.js';

export interface EngineStats {
  startedAt: number;
  connectionsCurrent: number;
  connectionsTotal: number;
  host: string;
}

/** What the engine knows about one client connection. */
export interface ConnectionState {
  readonly id: number;
  /** Set once a SCRAM conversation succeeded. */
  user?: { user: string; db: string };
  /** A SCRAM conversation between saslStart and saslContinue. */
  scram?: { conversation: ScramConversation; db: string };
}

export interface CommandContext {
  catalog: Catalog;
  cursors: CursorRegistry;
  log: EngineLogger;
  stats: EngineStats;
  /** The `$db` of the command. */
  db: string;
  connectionId: number;
  connection: ConnectionState;
  /** Journal ops produced by the command; committed before the reply is sent. */
  ops: JournalOp[];
}

export type CommandHandler = (cmd: Document, ctx: CommandContext) => Document | Promise<Document>;

/** The collection name a command names in its first field ("find": "users"). */
export function collectionName(cmd: Document, field: string): string {
  const name = cmd[field];
  if (typeof name !== 'string' || name.length === 0) {
    throw new MongoCommandError('InvalidNamespace', `collection name has invalid type ${typeof name}`);
  }
  return name;
}

export function toInt(v: unknown, fallback: number): number {
  if (v === undefined || v === null) return fallback;
  const n = Number(typeof v === 'object' ? String(v) : v);
  return Number.isFinite(n) ? Math.trunc(n) : fallback;
}
