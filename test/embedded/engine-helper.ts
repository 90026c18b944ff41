/**
 * Starts the server the embedded-engine tests talk to: the embedded engine in
 * a temporary directory, or the real server named by TEST_MONGODB_URI (with a
 * database per test file) so the same assertions pin the engine to mongod.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { startEmbeddedMongo } from '../../src/db/embedded/index.js';

/** True when the tests run against a real server; engine-internal suites are then not registered. */
export const usingRealServer = Boolean(process.env.TEST_MONGODB_URI);

export interface TestServer {
  uri: string;
  dbName: string;
  client: MongoClient;
  db: Db;
  /** Data directory of the embedded engine (undefined against a real server). */
  dataDir?: string;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  /** TTL sweep interval for the embedded engine. */
  ttlIntervalMs?: number;
}

let counter = 0;

export async function startTestServer(label: string, options: TestServerOptions = {}): Promise<TestServer> {
  const dbName = `emb_${label.replace(/[^a-z0-9]/gi, '_')}_${process.pid}_${++counter}`;
  if (usingRealServer) {
    const uri = process.env.TEST_MONGODB_URI!;
    const client = await MongoClient.connect(uri);
    const db = client.db(dbName);
    return {
      uri,
      dbName,
      client,
      db,
      async stop() {
        await db.dropDatabase();
        await client.close();
      },
    };
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'maazimio-engine-'));
  const engine = await startEmbeddedMongo({ dataDir, ttlIntervalMs: options.ttlIntervalMs ?? 100 });
  const client = await MongoClient.connect(engine.uri);
  return {
    uri: engine.uri,
    dbName,
    client,
    db: client.db(dbName),
    dataDir,
    async stop() {
      await client.close();
      await engine.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns true (used for TTL expiry, which is asynchronous by nature). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The error a promise rejects with; fails the test when it resolves instead. */
export async function rejection<E = { code: number; codeName?: string; message: string; keyPattern?: Record<string, unknown>; keyValue?: Record<string, unknown> }>(
  promise: Promise<unknown>,
): Promise<E> {
  try {
    await promise;
  } catch (err) {
    return err as E;
  }
  throw new Error('expected the operation to fail');
}
