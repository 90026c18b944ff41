import { Router } from 'express';
import mongoose from 'mongoose';
import type { AppDeps } from '../../deps.js';

const PING_TIMEOUT_MS = 2000;

/** Answers true when the database replies to a ping within 2 s. */
export async function databaseIsUp(): Promise<boolean> {
  const db = mongoose.connection.readyState === 1 ? mongoose.connection.db : undefined;
  if (!db) return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('ping timeout')), PING_TIMEOUT_MS);
    });
    await Promise.race([db.admin().ping(), timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** GET /healthz → 200 { status: "ok", db: "up" } or 503 { status: "error", db: "down" }. Public, no session. */
export function createHealthRouter(_deps: AppDeps): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    if (await databaseIsUp()) res.json({ status: 'ok', db: 'up' });
    else res.status(503).json({ status: 'error', db: 'down' });
  });
  return router;
}
