/**
 * The embedded MongoDB-compatible engine: a TCP (loopback only) or Unix
 * socket server that the real `mongodb` driver, Mongoose, connect-mongo and
 * GridFS talk to exactly as they would to a mongod.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { hostname } from 'node:os';
import path from 'node:path';
import { Catalog } from './catalog.js';
import { USERS_NS, putUser } from './commands/auth.js';
import { Connection } from './connection.js';
import { CursorRegistry } from './cursors.js';
import { Dispatcher } from './dispatcher.js';
import { silentLogger, type EngineLogger } from './logger.js';
import { createMemoryStorage } from './memory-storage.js';
import { openStorage, type JournalOp, type StorageOptions } from './storage/index.js';
import { startTtlMonitor } from './ttl.js';

export type { EngineLogger } from './logger.js';
export { fromPino } from './logger.js';

export interface EmbeddedMongoOptions {
  dataDir: string;
  /** TCP port on 127.0.0.1; 0 picks a free one. Ignored when `socketPath` is set. */
  port?: number;
  /** Unix socket file name, resolved inside `dataDir`. */
  socketPath?: string;
  logger?: EngineLogger;
  /** How often the TTL monitor runs (mongod: 60 s). */
  ttlIntervalMs?: number;
  /** Keep everything in memory only (tests); no journal, no lock file. */
  inMemory?: boolean;
  /** Journal size past which the storage compacts. */
  compactThresholdBytes?: number;
  /** Storage settings for tests (fault injection); see `StorageOptions`. */
  storage?: Pick<StorageOptions, 'syncMethod' | 'journalIo' | 'minFreeBytes'>;
  /**
   * Told once when a journal write fails: the engine then answers every command
   * except the handshake with an error until it is restarted. The CLI exits.
   */
  onFatal?: (err: Error) => void;
  /**
   * Require SCRAM-SHA-256 authentication for every command but the handshake
   * (as mongod with --auth). When no user exists yet, an administrator "admin"
   * with a random password is created and returned once in `generatedCredentials`.
   */
  auth?: boolean;
}

export interface EmbeddedMongo {
  uri: string;
  /** The administrator created at this start (auth on, no user before); never stored in clear. */
  generatedCredentials?: { user: string; password: string };
  stop(): Promise<void>;
}

export async function startEmbeddedMongo(options: EmbeddedMongoOptions): Promise<EmbeddedMongo> {
  const log = options.logger ?? silentLogger;
  const dataDir = path.resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const storage = options.inMemory
    ? createMemoryStorage()
    : await openStorage({ dataDir, logger: log, compactThresholdBytes: options.compactThresholdBytes, ...options.storage });
  let catalog: Catalog;
  try {
    catalog = new Catalog(storage, log, options.onFatal);
  } catch (err) {
    await storage.close();
    throw err;
  }
  const cursors = new CursorRegistry();
  const stats = { startedAt: Date.now(), connectionsCurrent: 0, connectionsTotal: 0, host: hostname() };
  let generatedCredentials: EmbeddedMongo['generatedCredentials'];
  if (options.auth && !catalog.get(USERS_NS)?.docs.size) {
    generatedCredentials = { user: 'admin', password: randomBytes(18).toString('base64url') };
    const ops: JournalOp[] = [];
    await putUser({ catalog, ops }, 'admin', generatedCredentials.user, generatedCredentials.password, [{ role: 'root', db: 'admin' }]);
    await catalog.commit(ops);
  }
  const dispatcher = new Dispatcher(catalog, cursors, stats, log, options.auth ?? false);
  const connections = new Set<Connection>();
  let nextConnectionId = 1;

  const server: Server = createServer((socket: Socket) => {
    const conn = new Connection(socket, nextConnectionId++, (req, state) => dispatcher.run(req, state), log);
    connections.add(conn);
    stats.connectionsCurrent++;
    stats.connectionsTotal++;
    socket.on('close', () => {
      connections.delete(conn);
      stats.connectionsCurrent--;
    });
  });

  let uri: string;
  try {
    if (options.socketPath) {
      const socketFile = path.resolve(dataDir, options.socketPath);
      if (path.dirname(socketFile) !== dataDir) throw new Error(`socketPath must be a file name inside the data directory ${dataDir}`);
      await rm(socketFile, { force: true });
      await listen(server, { path: socketFile });
      uri = `mongodb://${encodeURIComponent(socketFile)}`;
    } else {
      await listen(server, { port: options.port ?? 0, host: '127.0.0.1' });
      const address = server.address();
      if (!address || typeof address === 'string') throw new Error('server has no TCP address');
      uri = `mongodb://127.0.0.1:${address.port}`;
    }
  } catch (err) {
    await storage.close();
    throw err;
  }
  // Errors after start-up (e.g. EMFILE on accept) must not crash the host process.
  server.on('error', (err) => log.error('embedded engine server error', { err: err.message }));
  const stopTtl = startTtlMonitor(catalog, options.ttlIntervalMs ?? 60_000, log, () => cursors.sweep());
  log.info('embedded MongoDB engine listening', { uri, dataDir, auth: options.auth ?? false });

  let stopping: Promise<void> | undefined;
  return {
    uri,
    ...(generatedCredentials ? { generatedCredentials } : {}),
    stop() {
      stopping ??= (async () => {
        stopTtl();
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const c of connections) c.close();
        });
        await catalog.close();
        log.info('embedded MongoDB engine stopped', { dataDir });
      })();
      return stopping;
    },
  };
}

/** Linux refuses Unix socket paths of 108 bytes or more (macOS: 104); stay well below both. */
const MAX_SOCKET_PATH_BYTES = 100;
const PRIVATE_SOCKET_NAME = 'mongod.sock';

/**
 * Where an engine that only its own process uses should listen: a Unix socket inside the data
 * directory (mode 0700), so no other local user can connect, and each request skips the TCP stack.
 * It has no authentication, so there is no fallback to a TCP port: a data directory whose path is
 * too long for a socket address is refused with a clear message.
 */
export function privateListenOptions(dataDir: string): Pick<EmbeddedMongoOptions, 'socketPath'> {
  const socketFile = path.resolve(dataDir, PRIVATE_SOCKET_NAME);
  const bytes = Buffer.byteLength(socketFile);
  if (bytes >= MAX_SOCKET_PATH_BYTES) {
    throw new Error(
      `The embedded database's socket path ${socketFile} is ${bytes} bytes long; Unix sockets allow fewer than ${MAX_SOCKET_PATH_BYTES}. ` +
        'Move DATA_DIR to a shorter path, or set MONGODB_URI to use another MongoDB server.',
    );
  }
  return { socketPath: PRIVATE_SOCKET_NAME };
}

function listen(server: Server, opts: { port?: number; host?: string; path?: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(opts, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
