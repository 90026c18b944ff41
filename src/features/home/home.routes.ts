import { Router } from 'express';
import type { FeatureDeps } from '../index.js';
import { PUBLIC_CSS } from '../public/public.routes.js';
import { presentHome } from './home.present.js';
import { getHomePage } from './home.service.js';

/**
 * The public home page (no sign-in): where a participant starts before the next meeting — the
 * verified results of the meeting being implemented and the meeting being prepared.
 */
export function createHomeRouter(deps: FeatureDeps): Router {
  const router = Router();
  const { publicRead } = deps;
  // Memoised for anonymous visitors like the other public pages (the public-read path).
  router.get('/', async (req, res) => {
    await publicRead.page(req, res, { view: 'home/index' }, async () => ({
      stylesheets: PUBLIC_CSS,
      pageTitle: req.t('home:title'),
      ...presentHome(await getHomePage(publicRead.aggregates, deps.now()), req.t),
    }));
  });
  return router;
}
