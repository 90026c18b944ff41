/**
 * SCRAM-SHA-256 (RFC 5802 / RFC 7677) as mongod speaks it: credentials derived
 * once at createUser (PBKDF2 over the SASLprep'ed password, 15 000 iterations,
 * 28-byte salt, like mongod), and the server side of the two-message exchange the
 * driver runs through saslStart / saslContinue. Only the stored and server keys
 * are kept; the password never is.
 */
import { createHash, createHmac, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { saslprep } from '@mongodb-js/saslprep';

export const SCRAM_SHA_256 = 'SCRAM-SHA-256';
const ITERATIONS = 15_000;
const SALT_BYTES = 28;
const NONCE_BYTES = 24;

export interface ScramCredentials {
  iterationCount: number;
  salt: string;
  storedKey: string;
  serverKey: string;
}

const hmac = (key: Buffer, text: string): Buffer => createHmac('sha256', key).update(text).digest();

/** The credentials mongod stores for a password (`credentials['SCRAM-SHA-256']`). */
export async function deriveCredentials(password: string): Promise<ScramCredentials> {
  const salt = randomBytes(SALT_BYTES);
  const salted = await promisify(pbkdf2)(saslprep(password), salt, ITERATIONS, 32, 'sha256');
  const clientKey = hmac(salted, 'Client Key');
  return {
    iterationCount: ITERATIONS,
    salt: salt.toString('base64'),
    storedKey: createHash('sha256').update(clientKey).digest('base64'),
    serverKey: hmac(salted, 'Server Key').toString('base64'),
  };
}

export class ScramError extends Error {}

/** `a=value` attributes of a SCRAM message. */
function attributes(message: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq === 1) out.set(part[0], part.slice(2));
  }
  return out;
}

/** Undoes SCRAM's escaping of ',' and '=' in user names. */
function unescapeName(name: string): string {
  if (/=(?!2C|3D)/.test(name)) throw new ScramError('invalid user name encoding');
  return name.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

/** One conversation: `start` answers the client-first message, `finish` checks the proof. */
export class ScramConversation {
  private clientFirstBare = '';
  private serverFirst = '';
  private nonce = '';
  private credentials: ScramCredentials | undefined;
  user = '';

  /**
   * Parses the client-first message ("n,,n=user,r=nonce") and returns the user
   * name; `serverFirst` must then be called with that user's credentials (or
   * undefined: the exchange goes on with made-up ones and fails at the proof, so
   * the answer does not tell whether the user exists).
   */
  start(clientFirst: string): string {
    if (!clientFirst.startsWith('n,')) throw new ScramError('channel binding is not supported');
    const bare = clientFirst.slice(clientFirst.indexOf(',', 2) + 1);
    const attrs = attributes(bare);
    const name = attrs.get('n');
    const clientNonce = attrs.get('r');
    if (!name || !clientNonce) throw new ScramError('invalid client-first message');
    this.clientFirstBare = bare;
    this.nonce = clientNonce + randomBytes(NONCE_BYTES).toString('base64');
    this.user = unescapeName(name);
    return this.user;
  }

  serverFirstMessage(credentials: ScramCredentials | undefined): string {
    this.credentials = credentials;
    const salt = credentials?.salt ?? randomBytes(SALT_BYTES).toString('base64');
    this.serverFirst = `r=${this.nonce},s=${salt},i=${credentials?.iterationCount ?? ITERATIONS}`;
    return this.serverFirst;
  }

  /** Checks the client-final message; returns the server-final message ("v=signature"). */
  finish(clientFinal: string): string {
    const attrs = attributes(clientFinal);
    const proof = attrs.get('p');
    if (attrs.get('r') !== this.nonce || !proof) throw new ScramError('invalid client-final message');
    const withoutProof = clientFinal.slice(0, clientFinal.lastIndexOf(',p='));
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const creds = this.credentials;
    if (!creds) throw new ScramError('authentication failed');
    const storedKey = Buffer.from(creds.storedKey, 'base64');
    const signature = hmac(storedKey, authMessage);
    const given = Buffer.from(proof, 'base64');
    if (given.length !== signature.length) throw new ScramError('authentication failed');
    const clientKey = Buffer.alloc(given.length);
    for (let i = 0; i < given.length; i++) clientKey[i] = given[i] ^ signature[i];
    if (!timingSafeEqual(createHash('sha256').update(clientKey).digest(), storedKey)) throw new ScramError('authentication failed');
    return `v=${hmac(Buffer.from(creds.serverKey, 'base64'), authMessage).toString('base64')}`;
  }
}
