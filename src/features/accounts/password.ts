import { randomBytes, scrypt as scryptCb, timingSafeEqual, randomInt, type ScryptOptions } from 'node:crypto';
import { dictionary } from '@zxcvbn-ts/language-common';
import { PASSWORD_COST } from '../../config.js';

/**
 * Password hashing with scrypt (memory-hard): N=2^17, r=8, p=1 uses 128 MiB per hash (OWASP's
 * minimum for scrypt). Stored as `scrypt$N$r$p$<salt b64>$<hash b64>` so parameters can be raised
 * later while old hashes still verify; needsRehash tells sign-in to store a new hash.
 */
export { PASSWORD_COST };
const R = 8;
const P = 1;
const KEY_LENGTH = 64;
const SALT_BYTES = 16;

export const MIN_PASSWORD_LENGTH = 10;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password.normalize('NFKC'), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function maxmem(n: number, r: number): number {
  return 128 * n * r * 2;
}

/** `cost` is scrypt's N; only tests pass a lower one (config.passwordCost), to keep sign-ins quick. */
export async function hashPassword(password: string, cost = PASSWORD_COST): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await scrypt(password, salt, KEY_LENGTH, { N: cost, r: R, p: P, maxmem: maxmem(cost, R) });
  return ['scrypt', cost, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Timing-safe comparison; false for malformed or missing hashes. */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  if (!stored) return false;
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number);
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  if (!n || !r || !p || expected.length === 0) return false;
  const key = await scrypt(password, salt, expected.length, { N: n, r, p, maxmem: maxmem(n, r) });
  return timingSafeEqual(key, expected);
}

/** True when a stored hash uses weaker parameters than new hashes (rehash it at the next sign-in). */
export function needsRehash(stored: string | null | undefined, cost = PASSWORD_COST): boolean {
  if (!stored) return false;
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return true;
  const [n, r, p] = parts.slice(1, 4).map(Number);
  return n < cost || r < R || p < P;
}

/**
 * A dummy hash used to spend the same time on unknown emails as on known ones,
 * so response time does not reveal which emails have accounts.
 */
export function burnPasswordCheck(password: string, cost = PASSWORD_COST): Promise<boolean> {
  // A random salt and key with real parameters: verifying costs one scrypt at `cost` and never matches.
  const dummy = ['scrypt', cost, R, P, randomBytes(SALT_BYTES).toString('base64'), randomBytes(KEY_LENGTH).toString('base64')].join('$');
  return verifyPassword(password, dummy);
}

/**
 * Local additions to the breached list: Tanzanian and product words of at least 10 characters
 * that attackers try first here (checked case-insensitively).
 */
const LOCAL_COMMON_PASSWORDS = [
  '1234567890', '12345678910', '0123456789', '0987654321', '1111111111', '0000000000', '1122334455',
  '123456789a', 'a123456789', '123456789q', 'qwertyuiop', 'qwerty1234', 'qwerty12345', '1q2w3e4r5t',
  '1qaz2wsx3edc', 'qazwsxedc123', 'asdfghjkl1', 'zxcvbnm123', 'password12', 'password123', 'password1234',
  'password!1', 'passw0rd123', 'p@ssw0rd123', 'p@ssword123', 'iloveyou12', 'iloveyou123', 'football123',
  'baseball123', 'sunshine123', 'princess123', 'welcome123', 'welcome1234', 'letmein123', 'monkey1234',
  'dragon1234', 'master1234', 'superman123', 'trustno1234', 'changeme123', 'administrator', 'admin12345',
  'admin123456', 'administrator1', 'abcdefghij', 'abcd123456', 'abc1234567', 'abcdef1234', 'computer123',
  'internet123', 'samsung123', 'tanzania123', 'tanzania2024', 'tanzania2025', 'dodoma1234', 'dodoma12345',
  'daressalaam', 'dar es salaam', 'kilimanjaro', 'kilimanjaro1', 'serengeti1', 'zanzibar123', 'maazimio123',
  'maazimio2024', 'egovernment', 'egovernment1', 'serikali123', 'serikalimtandao', 'nenosiri123', 'nenosiri1234',
  'karibu12345', 'mambo12345', 'habari12345', 'asantesana', 'qwertyuiop1', 'passwordpassword', '11111111111',
  '9876543210', '1234512345', '5555555555', '1234567891', '12345678900', 'q1w2e3r4t5', 'a1b2c3d4e5',
];

/**
 * The breached-password list: the ~49,000 most common passwords from public breach corpora as
 * shipped (and kept up to date) by @zxcvbn-ts/language-common, plus the local words above.
 */
export const BREACHED_PASSWORDS: ReadonlySet<string> = new Set([
  ...dictionary['passwords-common'].map((p) => p.toLowerCase()),
  ...LOCAL_COMMON_PASSWORDS,
]);

export function isCommonPassword(password: string): boolean {
  const p = password.trim().toLowerCase();
  if (BREACHED_PASSWORDS.has(p)) return true;
  // A single repeated character ("aaaaaaaaaa") is as weak as a listed one.
  return /^(.)\1+$/.test(p);
}

/** Returns an i18n key describing why the password is not acceptable, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return 'accounts:passwordTooShort';
  if (password.length > 200) return 'accounts:passwordTooLong';
  if (isCommonPassword(password)) return 'accounts:passwordCommon';
  return null;
}

/** A random, readable password for demo accounts: e.g. "tembo-mvua-kisima-47". */
const WORDS = [
  'tembo', 'simba', 'twiga', 'pundamilia', 'nyati', 'chui', 'kiboko', 'ndovu', 'mvua', 'jua', 'mwezi', 'nyota',
  'mlima', 'ziwa', 'bahari', 'kisima', 'mto', 'shamba', 'kahawa', 'chai', 'embe', 'nanasi', 'ndizi', 'papai',
  'baobab', 'upepo', 'wingu', 'kisiwa', 'njia', 'daraja', 'kitabu', 'kalamu', 'taa', 'mwanga', 'safari', 'ngoma',
];
export function generateReadablePassword(): string {
  const pick = () => WORDS[randomInt(WORDS.length)];
  return `${pick()}-${pick()}-${pick()}-${randomInt(10, 100)}`;
}
