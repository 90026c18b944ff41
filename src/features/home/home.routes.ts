import { Router } from 'express';
import type { FeatureDeps } from '../index.js';
import { httpCache } from '../../middleware/http-cache.js';
import { PUBLIC_CSS } from '../public/public.routes.js';
import { renderPublic } from '../public/render-cached.js';
import { presentHome } from './home.present.js';
import { getHomePage } from './home.service.js';

/**
 * The public home page (no sign-in): where a participant starts before the next meeting — the
 * verified results of the meeting being implemented and the meeting being prepared.
 */
export function createHomeRouter(deps: FeatureDeps): Router {
  const router = Router();
  // Memoised for anonymous visitors like the other public pages (renderPublic).
  router.get('/', httpCache({ vary: 'Cookie' }), async (req, res) => {
    await renderPublic(req, res, 'home/index', async () => ({
      stylesheets: PUBLIC_CSS,
      pageTitle: req.t('home:title'),
      ...presentHome(await getHomePage(deps.now()), req.t),
    }));
  });
  return router;
}
