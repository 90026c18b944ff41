import mongoose from 'mongoose';
import { logger } from '../logger.js';

const log = logger.child({ module: 'db' });

/** The database name in a mongodb:// URI, or undefined when the URI names none. */
export function databaseNameFromUri(uri: string): string | undefined {
  const match = /^mongodb(?:\+srv)?:\/\/[^/]+\/([^?]+)/.exec(uri);
  return match?.[1] ? decodeURIComponent(match[1]) : undefined;
}

export const DEFAULT_DB_NAME = 'maazimio';

/**
 * Connects the default mongoose instance. Filters are sanitized (`{ $ne: x }` from user input
 * becomes a literal `$eq` match — mark filters your code builds with `mongoose.trusted()`),
 * unknown filter keys are dropped (strictQuery), and every model's indexes exist before the
 * app serves requests (unique emails, codes, numbers).
 */
export async function connectDatabase(uri: string, options: { dbName?: string } = {}): Promise<typeof mongoose> {
  mongoose.set('sanitizeFilter', true);
  mongoose.set('strictQuery', true);
  const dbName = options.dbName ?? databaseNameFromUri(uri) ?? DEFAULT_DB_NAME;
  await mongoose.connect(uri, { dbName, serverSelectionTimeoutMS: 10_000 });
  await ensureIndexes();
  log.info({ dbName }, 'database connected');
  return mongoose;
}

/** Builds the indexes of every registered model (idempotent). */
export async function ensureIndexes(): Promise<void> {
  await Promise.all(mongoose.modelNames().map((name) => mongoose.model(name).init()));
}

export async function disconnectDatabase(): Promise<void> {
  await mongoose.disconnect();
}

/** True when the app database holds no documents in any collection (first start). */
export async function databaseIsEmpty(): Promise<boolean> {
  const db = mongoose.connection.db;
  if (!db) throw new Error('databaseIsEmpty: not connected');
  const collections = await db.listCollections({}, { nameOnly: true }).toArray();
  for (const { name } of collections) {
    if (name.startsWith('system.') || name === 'sessions') continue;
    if ((await db.collection(name).estimatedDocumentCount()) > 0) return false;
  }
  return true;
}
