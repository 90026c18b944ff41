/**
 * npm run seed [-- --force]
 * Creates the demo data against MONGODB_URI, or the embedded database under DATA_DIR when it is
 * unset. Refuses a non-empty database unless --force. Prints the demo accounts once.
 */
import { resolve } from 'node:path';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { connectDatabase, databaseIsEmpty, disconnectDatabase } from '../db/connect.js';
import { startEmbeddedMongo, fromPino, type EmbeddedMongo } from '../db/embedded/index.js';
import { seedDemoData, formatAccounts } from '../seed/index.js';

async function main(): Promise<number> {
  const force = process.argv.includes('--force');
  const config = loadConfig(process.env);
  const log = createLogger(config);
  let engine: EmbeddedMongo | undefined;
  let uri = config.mongodbUri;
  if (!uri) {
    engine = await startEmbeddedMongo({ dataDir: resolve(config.dataDir, 'db'), port: 0, logger: fromPino(log.child({ module: 'engine' })) });
    uri = engine.uri;
  }
  try {
    await connectDatabase(uri);
    if (!(await databaseIsEmpty()) && !force) {
      console.error('The database is not empty; nothing was seeded. Use `npm run seed -- --force` to add the demo data anyway.');
      return 1;
    }
    const result = await seedDemoData({ now: new Date(), logger: log });
    console.log('Demo data created. Accounts (passwords are shown only now):');
    console.log(formatAccounts(result.accounts));
    return 0;
  } finally {
    await disconnectDatabase();
    await engine?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
