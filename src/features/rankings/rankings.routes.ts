/**
 * The rankings feature's pages, one router per audience: e-GA staff (admin.routes.ts),
 * institutions exercising the right of reply (reply.routes.ts) and the public (public.routes.ts).
 * The open data lives with the rest of the API (src/features/api/rankings.api.ts).
 */
import { Router } from 'express';
import type { FeatureDeps } from '../index.js';
import { labelsFor } from './breakdown.present.js';
import { createRankingsAdminRouter } from './admin.routes.js';
import { createRankingsReplyRouter } from './reply.routes.js';
import { createRankingsPublicRouter } from './public.routes.js';

export function createRankingsRouter(deps: FeatureDeps): Router {
  const router = Router();
  router.use(['/admin/rankings', '/admin/objections', '/rankings'], (req, res, next) => {
    res.locals.labels = labelsFor(req.t);
    next();
  });
  router.use(createRankingsAdminRouter(deps));
  // Before the public router: /rankings/draft is not a ranking id.
  router.use(createRankingsReplyRouter(deps));
  router.use(createRankingsPublicRouter(deps));
  return router;
}
