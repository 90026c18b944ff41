import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Config } from '../../config.js';
import type { LoginClient } from './login-throttle.js';

/**
 * The device cookie marks a browser that has signed in to an account before, so sign-in
 * throttling can tell the owner's usual browser from everyone else (login-throttle.ts). Its
 * value is `<userId>.<deviceId>.<hmac>`, signed with the session secret: it cannot be forged
 * for another account, and it grants nothing by itself (a password is still needed).
 */
const DEVICE_COOKIE = 'maazimio.device';
const DEVICE_COOKIE_MAX_AGE_MS = 365 * 24 * 3600 * 1000;

/** Over HTTPS (production) the cookie is __Host- prefixed (Secure, Path=/, no Domain), like the session's. */
export function deviceCookieName(config: Pick<Config, 'isProduction'>): string {
  return config.isProduction ? `__Host-${DEVICE_COOKIE}` : DEVICE_COOKIE;
}

function mac(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(`device|${payload}`).digest('base64url');
}

/** A new signed cookie value for this account. */
export function issueDeviceCookie(secret: string, userId: string): string {
  const payload = `${userId}.${randomBytes(16).toString('base64url')}`;
  return `${payload}.${mac(secret, payload)}`;
}

/** The account and device id of a valid cookie value, else null. */
export function readDevice(secret: string, value: unknown): { userId: string; id: string } | null {
  if (typeof value !== 'string' || value.length > 200) return null;
  const parts = value.split('.');
  if (parts.length !== 3 || !parts[0] || !parts[1]) return null;
  const expected = Buffer.from(mac(secret, `${parts[0]}.${parts[1]}`));
  const given = Buffer.from(parts[2]);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { userId: parts[0], id: parts[1] };
}

/** The value of cookie `name` in a Cookie header (no cookie-parser in this app). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** The client of a sign-in or password-change attempt: its address and its valid device cookie, if any. */
export function loginClient(req: Request, config: Pick<Config, 'isProduction' | 'sessionSecret'>): LoginClient {
  const raw = readCookie(req.headers.cookie, deviceCookieName(config));
  return { ip: req.ip ?? req.socket.remoteAddress ?? 'unknown', device: config.sessionSecret ? readDevice(config.sessionSecret, raw) : null };
}

/** After a right password: marks this browser as one the account signs in from (keeps an existing id). */
export function rememberDevice(req: Request, res: Response, config: Pick<Config, 'isProduction' | 'sessionSecret'>, userId: string): void {
  if (!config.sessionSecret) return;
  const current = loginClient(req, config).device;
  if (current?.userId === userId) return;
  res.cookie(deviceCookieName(config), issueDeviceCookie(config.sessionSecret, userId), {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.isProduction,
    path: '/',
    maxAge: DEVICE_COOKIE_MAX_AGE_MS,
  });
}
