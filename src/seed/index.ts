import type { Logger } from '../logger.js';
import { seedAccounts, type DemoAccount } from '../features/accounts/accounts.seed.js';
import { seedReferenceData } from './reference.seed.js';
import { seedInstitutionAttributes } from '../features/institutions/institutions.seed.js';
import { seedRankings } from '../features/rankings/rankings.seed.js';
import { seedProgress } from '../features/progress/progress.seed.js';

export interface SeedContext {
  now: Date;
  logger: Logger;
  /** NODE_ENV=production: refused (demo accounts with published addresses must never exist there). */
  production: boolean;
  /** scrypt N for the demo passwords (config.passwordCost). */
  passwordCost?: number;
}

export interface SeedResult {
  /** Demo accounts with their clear-text passwords, to print once. */
  accounts: DemoAccount[];
}

/**
 * Creates the demo data on an empty database, in dependency order:
 * 1. reference data (institutions, the 4th meeting and its resolutions) — ADMIN's seeds;
 * 2. accounts (need institutions);
 * 3. progress, then rankings (need resolutions and accounts).
 * Each feature adds its step below with one line.
 */
export async function seedDemoData(ctx: SeedContext): Promise<SeedResult> {
  if (ctx.production) throw new Error('Demo data (with its demo accounts) is never created when NODE_ENV=production.');
  const log = ctx.logger.child({ module: 'seed' });

  // 1. Reference data (ADMIN): institutions, meetings, resolutions.
  const reference = await seedReferenceData({ now: ctx.now });
  log.info(reference, 'reference data created');
  // The council registry and maturity levels (AWARDS): before accounts, so councils get focal persons.
  log.info(await seedInstitutionAttributes(), 'council registry and maturity levels');

  // 2. Accounts.
  const accounts = await seedAccounts(ctx.now, ctx.passwordCost);
  log.info({ accounts: accounts.length }, 'demo accounts created');

  // 3. Progress (PROGRESS), then rankings (RANKINGS).
  await seedProgress({ now: ctx.now, logger: ctx.logger });

  // Rankings last: they read verified progress.
  await seedRankings({ now: ctx.now, logger: ctx.logger });

  return { accounts };
}

/** The accounts as lines for the console. */
export function formatAccounts(accounts: DemoAccount[]): string {
  if (accounts.length === 0) return '  (the demo accounts already existed; their passwords were printed when they were created)';
  const width = Math.max(...accounts.map((a) => a.email.length));
  return accounts
    .map((a) => `  ${a.role.padEnd(11)} ${a.email.padEnd(width)}  ${a.password}${a.institution ? `  (${a.institution})` : ''}`)
    .join('\n');
}
