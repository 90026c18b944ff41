import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Express } from 'express';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildTestApp } from './app.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const SCREENSHOT_DIR = join('test-output', 'screenshots');

/** Debian's chromium, headless. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Serves the app on a free port; close() stops accepting and drops keep-alive connections. */
export async function startServer(app: Express): Promise<{ baseUrl: string; close: () => Promise<void> }> {
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * One browser per describe block: registers before/after hooks that launch chromium and close it
 * (and the app server, if a test started one). Call it at the top of the describe callback.
 */
export function useBrowserSuite(): { readonly browser: Browser; appUrl: () => Promise<string> } {
  let browser: Browser | undefined;
  let server: { baseUrl: string; close: () => Promise<void> } | undefined;

  before(async () => {
    browser = await launchBrowser();
  });

  after(async () => {
    await server?.close();
    await browser?.close();
  });

  return {
    get browser(): Browser {
      if (!browser) throw new Error('the browser starts in the before hook');
      return browser;
    },
    /** Serves buildTestApp() on a free port on first use (later tests reuse it) and returns its base URL. */
    appUrl: async () => {
      server ??= await startServer(buildTestApp().app);
      return server.baseUrl;
    },
  };
}

/**
 * Signs in through the login form. Waits for `landing` (a path such as '/') when given, otherwise
 * for any page other than the login page.
 */
export async function signIn(page: Page, base: string, who: { user: { email: string }; password: string }, landing?: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.fill('#f-email', who.user.email);
  await page.fill('#f-password', who.password);
  const arrived = landing === undefined ? (url: URL) => !url.pathname.startsWith('/login') : `${base}${landing}`;
  await Promise.all([page.waitForURL(arrived), page.click('form[action="/login"] button[type="submit"]')]);
}

/** Saves a full-page screenshot as test-output/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${name.replace(/[^a-z0-9_-]+/gi, '-')}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
