import { Router, type Request, type Response, type NextFunction } from 'express';
import { z } from 'zod';
import type { FeatureDeps } from '../index.js';
import { requireAuth, safeNextPath, type SessionUser } from '../../middleware/auth.js';
import { objectId, pageParam, parseParams, parseQuery } from '../../middleware/validate.js';
import { logger } from '../../logger.js';
import { listNotifications, markRead, unreadCount } from './notifications.service.js';

const log = logger.child({ module: 'notifications' });

/**
 * Sets res.locals.unreadCount (0 for the public) for the header; app.ts mounts it before every
 * feature router. A failure only hides the badge.
 */
export async function unreadCountMiddleware(req: Request, res: Response, next: NextFunction): Promise<void> {
  res.locals.unreadCount = 0;
  if (req.user && req.method === 'GET') {
    try {
      res.locals.unreadCount = await unreadCount(req.user.id);
    } catch (err) {
      log.warn({ err }, 'unread count failed');
    }
  }
  next();
}

const listQuery = z.object({ page: pageParam() });
const idParams = z.object({ id: objectId() });

/** The signed-in user's notifications: list (newest first), mark one or all read. */
export function createNotificationsRouter(deps: FeatureDeps): Router {
  const router = Router();

  router.get('/notifications', requireAuth, async (req, res) => {
    const { page } = parseQuery(listQuery, req);
    const result = await listNotifications((req.user as SessionUser).id, page);
    const items = result.items.map((n) => ({ ...n, text: req.t(n.messageKey, (n.params ?? {}) as Record<string, unknown>) }));
    res.render('notifications/list', { pageTitle: req.t('notifications:title'), ...result, items, page });
  });

  router.post('/notifications/read-all', requireAuth, async (req, res) => {
    await markRead((req.user as SessionUser).id, 'all', deps.now());
    res.redirect('/notifications');
  });

  router.post('/notifications/:id/read', requireAuth, async (req, res) => {
    const { id } = parseParams(idParams, req);
    await markRead((req.user as SessionUser).id, id, deps.now());
    const next = safeNextPath((req.body as { next?: unknown })?.next);
    res.redirect(next ?? '/notifications');
  });

  return router;
}
