/**
 * Shared boot and shutdown for the command-line scripts: config, logger, the database
 * (MONGODB_URI, or the embedded engine under DATA_DIR when it is unset), and the exit code.
 */
import { resolve } from 'node:path';
import { loadConfig, type Config } from '../config.js';
import { createLogger, type Logger } from '../logger.js';
import { connectDatabase, disconnectDatabase } from '../db/connect.js';
import { startEmbeddedMongo, privateListenOptions, fromPino, type EmbeddedMongo } from '../db/embedded/index.js';

export interface CliContext {
  config: Config;
  log: Logger;
}

/**
 * Loads the config, connects to the database (starting the embedded engine when no MONGODB_URI
 * is set), runs `fn`, then disconnects and stops the engine whether `fn` succeeded or threw.
 */
export async function withDatabase<T>(fn: (ctx: CliContext) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env);
  const log = createLogger(config);
  let engine: EmbeddedMongo | undefined;
  let uri = config.mongodbUri;
  if (!uri) {
    const engineDir = resolve(config.dataDir, 'db');
    engine = await startEmbeddedMongo({ dataDir: engineDir, ...privateListenOptions(engineDir), logger: fromPino(log.child({ module: 'engine' })) });
    uri = engine.uri;
  }
  try {
    await connectDatabase(uri);
    return await fn({ config, log });
  } finally {
    await disconnectDatabase();
    await engine?.stop();
  }
}

/** Runs a script's main function and exits with its code; an error prints its message and exits 1. */
export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
