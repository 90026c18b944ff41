import { isIP } from 'node:net';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Empty strings in the environment mean "not set". */
const optionalString = z.preprocess((v) => (v === '' ? undefined : v), z.string().optional());

/** Names Express (proxy-addr) knows, or an IP address, or a subnet in CIDR notation. */
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
function isProxyAddress(part: string): boolean {
  if (PROXY_NAMES.has(part)) return true;
  const [address, bits, ...rest] = part.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

const envSchema = z
  .object({
    NODE_ENV: z.preprocess((v) => (v === '' ? undefined : v), z.enum(['development', 'production', 'test']).default('development')),
    PORT: z.preprocess((v) => (v === '' || v === undefined ? '3000' : v), z.coerce.number().int().min(0).max(65535)),
    MONGODB_URI: optionalString.pipe(
      z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://').optional(),
    ),
    DATA_DIR: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('./data')),
    SESSION_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    SMTP_URL: optionalString.pipe(z.string().regex(/^smtps?:\/\//, 'must start with smtp:// or smtps://').optional()),
    MAIL_FROM: z.preprocess((v) => (v === '' ? undefined : v), z.string().default('Maazimio <no-reply@maazimio.local>')),
    BASE_URL: optionalString.pipe(z.url('must be an absolute URL').optional()),
    LOG_LEVEL: optionalString.pipe(z.enum(LOG_LEVELS).optional()),
    REMINDER_DAYS: z.preprocess(
      (v) => (v === '' || v === undefined ? '14,3' : v),
      z
        .string()
        .regex(/^\d+(,\d+)*$/, 'must be a comma-separated list of whole numbers, e.g. 14,3')
        .transform((s) => s.split(',').map(Number)),
    ),
    TRUST_PROXY: z.preprocess(
      (v) => (v === '' || v === undefined ? 'false' : v),
      z
        .string()
        .refine((s) => s.trim() !== 'true', {
          message:
            'true is refused: it trusts any X-Forwarded-For a client sends, so anyone could pick their own address and get past the sign-in limits. Give the number of proxies in front of the app (e.g. 1) or their addresses/subnets (e.g. 10.0.0.0/8,loopback)',
        })
        .refine((s) => s === 'false' || /^\d+$/.test(s) || s.split(',').every((part) => isProxyAddress(part.trim())), {
          message: 'must be false, a hop count (e.g. 1) or a comma-separated list of addresses/subnets (e.g. 10.0.0.0/8,loopback)',
        })
        .transform((s): false | number | string => {
          if (s === 'false') return false;
          if (/^\d+$/.test(s)) return Number(s);
          return s
            .split(',')
            .map((part) => part.trim())
            .join(',');
        }),
    ),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.SESSION_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'is required when NODE_ENV=production' });
    }
  });

/** scrypt N for password hashes (see src/features/accounts/password.ts). */
export const PASSWORD_COST = 2 ** 17;
const TEST_PASSWORD_COST = 2 ** 12;

export interface Config {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly isProduction: boolean;
  readonly isTest: boolean;
  readonly port: number;
  /** Unset means: start the embedded engine under dataDir. */
  readonly mongodbUri: string | undefined;
  readonly dataDir: string;
  /** Unset outside production until server.ts loads or creates DATA_DIR/session-secret. */
  readonly sessionSecret: string | undefined;
  readonly smtpUrl: string | undefined;
  readonly mailFrom: string;
  readonly baseUrl: string;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /** Days before a reporting window closes when reminders go out, e.g. [14, 3]. */
  readonly reminderDays: readonly number[];
  /** Express "trust proxy" setting: false, a hop count, or a list of proxy addresses/subnets (never true). */
  readonly trustProxy: false | number | string;
  /** scrypt N for new password hashes: 2^17, lower only under NODE_ENV=test so sign-ins in tests stay quick. */
  readonly passwordCost: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the environment once and returns a frozen Config.
 * The only place in the app that reads environment variables; throws ConfigError listing every bad variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'} ${i.message}`));
  }
  const e = parsed.data;
  const defaultLevel = e.NODE_ENV === 'test' ? 'silent' : 'info';
  return Object.freeze({
    nodeEnv: e.NODE_ENV,
    isProduction: e.NODE_ENV === 'production',
    isTest: e.NODE_ENV === 'test',
    port: e.PORT,
    mongodbUri: e.MONGODB_URI,
    dataDir: e.DATA_DIR,
    sessionSecret: e.SESSION_SECRET,
    smtpUrl: e.SMTP_URL,
    mailFrom: e.MAIL_FROM,
    baseUrl: (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL ?? defaultLevel,
    reminderDays: Object.freeze([...e.REMINDER_DAYS]),
    trustProxy: e.TRUST_PROXY,
    passwordCost: e.NODE_ENV === 'test' ? TEST_PASSWORD_COST : PASSWORD_COST,
  });
}

/** Returns a copy of the config with some keys replaced (tests, and server.ts for the session secret). */
export function withConfig(config: Config, overrides: Partial<Config>): Config {
  return Object.freeze({ ...config, ...overrides });
}
