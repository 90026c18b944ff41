/**
 * `npm run db -- --data-dir DIR [--port N] [--socket NAME] [--no-auth]`: runs the
 * engine in the foreground, prints `ready <uri>` once it accepts connections and
 * stops cleanly on SIGTERM/SIGINT. On TCP it requires SCRAM-SHA-256 authentication
 * unless --no-auth is given; the first start creates an administrator and prints
 * its password once (on stderr).
 */
import { parseArgs } from 'node:util';
import { startEmbeddedMongo, type EngineLogger } from './index.js';

const stderrLogger: EngineLogger = {
  info: (msg, extra) => console.error(`[db] ${msg}`, extra ?? ''),
  warn: (msg, extra) => console.error(`[db] warning: ${msg}`, extra ?? ''),
  error: (msg, extra) => console.error(`[db] error: ${msg}`, extra ?? ''),
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      socket: { type: 'string' },
      quiet: { type: 'boolean', default: false },
      'no-auth': { type: 'boolean', default: false },
    },
  });
  const dataDir = values['data-dir'];
  if (!dataDir) {
    console.error('usage: npm run db -- --data-dir DIR [--port N] [--socket FILE_NAME] [--no-auth]');
    process.exit(2);
  }
  const port = values.port === undefined ? 27017 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`invalid --port ${values.port}`);
    process.exit(2);
  }
  const logger: EngineLogger = values.quiet ? { info() {}, warn: stderrLogger.warn, error: stderrLogger.error } : stderrLogger;
  let engine;
  try {
    engine = await startEmbeddedMongo({
      dataDir,
      port,
      socketPath: values.socket,
      logger,
      // Anyone who can reach a TCP port could otherwise read and change everything; the
      // socket lives inside the 0700 data directory.
      auth: values.socket === undefined && !values['no-auth'],
      // Fail-stop, as mongod on an I/O error: a supervisor restarts it once the disk is fixed.
      // The short delay lets the error replies of the failed writes go out first.
      onFatal: () => setTimeout(() => process.exit(1), 100),
    });
  } catch (err) {
    const e = err as Error & { code?: string };
    console.error(`cannot start the database: ${e.message}`);
    process.exit(e.name === 'DataDirLockedError' || e.code === 'EADDRINUSE' ? 3 : 1);
  }
  const created = engine.generatedCredentials;
  if (created) {
    const withAuth = engine.uri.replace('mongodb://', `mongodb://${created.user}:${encodeURIComponent(created.password)}@`) + '/?authSource=admin';
    console.error(
      `[db] first start: created the administrator "${created.user}" with password ${created.password}\n` +
        `[db] (shown only this once; create more users with createUser)\n[db] connect with ${withAuth}`,
    );
  }
  process.stdout.write(`ready ${engine.uri}\n`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`received ${signal}, shutting down`);
    engine
      .stop()
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        console.error(`shutdown failed: ${String(err)}`);
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

void main();
