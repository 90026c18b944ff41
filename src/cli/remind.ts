/**
 * npm run remind
 * Sends the reminder digests due now (REMINDER_DAYS before each reporting window closes) against
 * MONGODB_URI, or the embedded database under DATA_DIR when it is unset. Safe to run any number
 * of times: each (user, window, N) digest goes out once. Also repairs interrupted progress writes.
 */
import { resolve } from 'node:path';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { createMailer } from '../mail/mailer.js';
import { connectDatabase, disconnectDatabase } from '../db/connect.js';
import { startEmbeddedMongo, fromPino, type EmbeddedMongo } from '../db/embedded/index.js';
import { sendReminders } from '../features/notifications/reminders.js';
import { settleAllPending } from '../features/progress/item-writer.js';

async function main(): Promise<number> {
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
    await settleAllPending();
    const result = await sendReminders(new Date(), { mailer: createMailer(config), baseUrl: config.baseUrl, reminderDays: config.reminderDays });
    log.info(result, 'reminders done');
    process.stdout.write(`Reminders sent: ${result.sent}, already sent earlier: ${result.skipped}\n`);
    return 0;
  } finally {
    await disconnectDatabase();
    await engine?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
