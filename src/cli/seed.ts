/**
 * npm run seed [-- --force]
 * Creates the demo data against MONGODB_URI, or the embedded database under DATA_DIR when it is
 * unset. Refuses a non-empty database unless --force. Prints the demo accounts once.
 */
import { databaseIsEmpty } from '../db/connect.js';
import { seedDemoData, formatAccounts } from '../seed/index.js';
import { runCli, withDatabase } from './with-database.js';

async function main(): Promise<number> {
  const force = process.argv.includes('--force');
  return withDatabase(async ({ log, config }) => {
    if (config.isProduction) {
      console.error('NODE_ENV=production: no demo data (its demo accounts would be known to anyone). Create an administrator with `npm run create-admin`.');
      return 1;
    }
    if (!(await databaseIsEmpty()) && !force) {
      console.error('The database is not empty; nothing was seeded. Use `npm run seed -- --force` to add the demo data anyway.');
      return 1;
    }
    const result = await seedDemoData({ now: new Date(), logger: log, production: config.isProduction, passwordCost: config.passwordCost });
    console.log('Demo data created. Accounts (passwords are shown only now):');
    console.log(formatAccounts(result.accounts));
    return 0;
  });
}

runCli(main);
