/**
 * npm run remind
 * Sends the reminder digests due now (REMINDER_DAYS before each reporting window closes) against
 * MONGODB_URI, or the embedded database under DATA_DIR when it is unset. Safe to run any number
 * of times: each (user, window, N) digest goes out once. Also repairs interrupted progress writes.
 */
import { createMailer } from '../mail/mailer.js';
import { sendReminders } from '../features/notifications/reminders.js';
import { settleAllPending } from '../features/progress/item-writer.js';
import { runCli, withDatabase } from './with-database.js';

function main(): Promise<number> {
  return withDatabase(async ({ config, log }) => {
    await settleAllPending();
    const result = await sendReminders(new Date(), { mailer: createMailer(config), baseUrl: config.baseUrl, reminderDays: config.reminderDays });
    log.info(result, 'reminders done');
    process.stdout.write(`Reminders sent: ${result.sent}, already sent earlier: ${result.skipped}\n`);
    return 0;
  });
}

runCli(main);
