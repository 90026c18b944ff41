import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile, chmod, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Server } from 'node:http';
import { loadConfig, withConfig, ConfigError, type Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import { createApp } from './app.js';
import { createMailer } from './mail/mailer.js';
import { connectDatabase, databaseIsEmpty, disconnectDatabase } from './db/connect.js';
import { startEmbeddedMongo, privateListenOptions, fromPino, type EmbeddedMongo } from './db/embedded/index.js';
import { seedDemoData, formatAccounts } from './seed/index.js';
import { startScheduler } from './features/notifications/scheduler.js';
import { settleAllPending } from './features/progress/item-writer.js';

const SHUTDOWN_GRACE_MS = 10_000;

/**
 * SESSION_SECRET when set; otherwise (never in production — config refuses) a secret generated
 * once and kept in DATA_DIR/session-secret (mode 0600) so sessions survive restarts.
 */
export async function resolveSessionSecret(config: Config): Promise<string> {
  if (config.sessionSecret) return config.sessionSecret;
  const file = join(config.dataDir, 'session-secret');
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing.length >= 32) return existing;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const secret = randomBytes(48).toString('base64url');
  await writeFile(file, secret + '\n', { mode: 0o600 });
  await chmod(file, 0o600);
  return secret;
}

/** Start-up refused because a data directory or file can be read or entered by other local users. */
export class DataDirPermissionError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `The data directory is open to other users of this machine (it holds the database, the session secret and set-password emails):\n${problems
        .map((p) => `  - ${p}`)
        .join('\n')}\nFix the permissions and start again.`,
    );
    this.name = 'DataDirPermissionError';
  }
}

/**
 * Checks DATA_DIR and what the app keeps in it (db/, mail/, session-secret) when they already
 * exist: directories must be 0700 and the secret 0600, i.e. nothing for group or others. The
 * app creates them that way; an existing directory made by hand or copied may not be.
 */
export async function checkDataDirPermissions(dataDir: string): Promise<void> {
  const problems: string[] = [];
  const entries: Array<{ path: string; dir: boolean }> = [
    { path: dataDir, dir: true },
    { path: join(dataDir, 'db'), dir: true },
    { path: join(dataDir, 'mail'), dir: true },
    { path: join(dataDir, 'session-secret'), dir: false },
  ];
  for (const { path, dir } of entries) {
    let mode: number;
    try {
      mode = (await stat(path)).mode & 0o777;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    if ((mode & 0o077) !== 0) {
      const wanted = dir ? '700' : '600';
      problems.push(`${path} has mode ${mode.toString(8)}: run \`chmod ${wanted} ${path}\``);
    }
  }
  if (problems.length > 0) throw new DataDirPermissionError(problems);
}

/**
 * Stops accepting connections, lets the requests in flight finish (idle keep-alive connections
 * are closed at once, busy ones after their response), and force-closes whatever is still open
 * after `graceMs`. Resolves when the server is closed.
 */
export async function closeHttpServer(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((r) => server.close(() => r()));
  server.closeIdleConnections();
  // Keep-alive connections that finish a response after close() would otherwise stay open.
  const idleSweep = setInterval(() => server.closeIdleConnections(), 100);
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  timer.unref();
  try {
    await closed;
  } finally {
    clearInterval(idleSweep);
    clearTimeout(timer);
  }
}

export interface RunningServer {
  url: string;
  server: Server;
  stop(): Promise<void>;
}

/**
 * Boots in stages: config → data dir → database (embedded when MONGODB_URI is unset) →
 * demo data on the first embedded start → HTTP. Returns a handle whose stop() shuts down
 * in reverse order.
 */
export async function startServer(baseConfig: Config, log: Logger): Promise<RunningServer> {
  await checkDataDirPermissions(baseConfig.dataDir);
  await mkdir(baseConfig.dataDir, { recursive: true, mode: 0o700 });
  const config = withConfig(baseConfig, { sessionSecret: await resolveSessionSecret(baseConfig) });

  let engine: EmbeddedMongo | undefined;
  let uri = config.mongodbUri;
  if (!uri) {
    const engineDir = resolve(config.dataDir, 'db');
    engine = await startEmbeddedMongo({
      dataDir: engineDir,
      ...privateListenOptions(engineDir),
      logger: fromPino(log.child({ module: 'engine' })),
    });
    uri = engine.uri;
    log.info({ dataDir: resolve(config.dataDir, 'db') }, 'embedded database started');
  }

  try {
    await connectDatabase(uri);
  } catch (err) {
    await engine?.stop();
    throw err;
  }

  // A progress write cut off between claiming its version and inserting the report (a crash, a
  // kill) is finished before anyone reads it; settling is idempotent, so several instances may.
  await settleAllPending();

  let demoAccounts: string | undefined;
  let emptyProduction = false;
  if (engine && (await databaseIsEmpty())) {
    if (config.isProduction) {
      // Production never gets demo data: its demo accounts would be known to anyone who read the README.
      emptyProduction = true;
    } else {
      log.info('empty embedded database: creating demo data');
      const result = await seedDemoData({ now: new Date(), logger: log, production: false, passwordCost: config.passwordCost });
      demoAccounts = formatAccounts(result.accounts);
    }
  }

  const deps = { config, logger: log, mailer: createMailer(config), now: () => new Date() };
  const app = createApp(deps);
  // Reminders and repair of interrupted progress writes; a MongoDB lock keeps it to one instance a day.
  const scheduler = startScheduler(deps);
  const server = await new Promise<Server>((resolveListen, reject) => {
    const s = app.listen(config.port, () => resolveListen(s));
    s.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = config.mongodbUri || port === config.port ? config.baseUrl : `http://localhost:${port}`;

  const lines = [`\nMaazimio is running at ${url}\n`];
  if (demoAccounts) {
    lines.push('Demo accounts (passwords are shown only this once — note them down):', demoAccounts, '');
  } else if (emptyProduction) {
    lines.push('The database is empty and NODE_ENV=production creates no demo data: create the first administrator with npm run create-admin', '');
  } else if (engine) {
    lines.push('Sign in with the demo accounts printed at the first start, or create an admin: npm run create-admin', '');
  }
  process.stdout.write(lines.join('\n') + '\n');

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      log.info('shutting down');
      await closeHttpServer(server, SHUTDOWN_GRACE_MS);
      scheduler.stop();
      await disconnectDatabase();
      await engine?.stop();
      log.info('stopped');
    })();
    return stopping;
  };
  return { url, server, stop };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every variable.\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config);
  let running: RunningServer;
  try {
    running = await startServer(config, log);
  } catch (err) {
    if (err instanceof DataDirPermissionError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const onSignal = (signal: string) => {
    log.info({ signal }, 'signal received');
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

// Run only when executed directly (node dist/src/server.js, tsx src/server.ts), not when imported.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`Failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
