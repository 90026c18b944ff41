/**
 * Mocha root hooks (loaded through .mocharc.json "require"): ONE database per run — the
 * embedded engine in memory, or TEST_MONGODB_URI when set — with the default mongoose
 * connection open, and every collection of the app database emptied after each test.
 */
import mongoose from 'mongoose';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../src/db/embedded/index.js';
import { connectDatabase, disconnectDatabase } from '../../src/db/connect.js';
import { createLogger } from '../../src/logger.js';
import { testConfig } from './config.js';

let engine: EmbeddedMongo | undefined;

export const TEST_DB_NAME = 'maazimio_test';

/** Empties every collection (indexes stay). */
export async function clearDatabase(): Promise<void> {
  const db = mongoose.connection.readyState === 1 ? mongoose.connection.db : undefined;
  if (!db) return;
  const collections = await db.listCollections({}, { nameOnly: true }).toArray();
  await Promise.all(
    collections.filter((c) => !c.name.startsWith('system.')).map((c) => db.collection(c.name).deleteMany({})),
  );
}

/** Reconnects the default connection after a test closed it on purpose (e.g. healthz down). */
export async function reconnectDatabase(): Promise<void> {
  if (mongoose.connection.readyState === 1) return;
  await connectDatabase(currentUri(), { dbName: TEST_DB_NAME });
}

let uri: string | undefined;
function currentUri(): string {
  if (!uri) throw new Error('test database not started');
  return uri;
}

export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    this.timeout(60_000);
    createLogger(testConfig());
    if (process.env.TEST_MONGODB_URI) {
      uri = process.env.TEST_MONGODB_URI;
    } else {
      engine = await startEmbeddedMongo({ dataDir: 'test-output/engine', port: 0, inMemory: true });
      uri = engine.uri;
    }
    await connectDatabase(uri, { dbName: TEST_DB_NAME });
    await clearDatabase();
  },
  async afterEach() {
    if (mongoose.connection.readyState !== 1) await reconnectDatabase();
    await clearDatabase();
  },
  async afterAll() {
    await disconnectDatabase();
    await engine?.stop();
  },
};
