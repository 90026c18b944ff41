import { Router } from 'express';
import type { FeatureDeps } from '../index.js';
import { httpCache } from '../../middleware/http-cache.js';
import { PUBLIC_CSS } from '../public/public.routes.js';
import { renderPublic } from '../public/render-cached.js';
import { getCurrentMeeting, meetingResolutions } from '../meetings/meetings.service.js';

/** The public home page (no sign-in): the current meeting and its active resolutions. */
export function createHomeRouter(_deps: FeatureDeps): Router {
  const router = Router();
  // Memoised for anonymous visitors like the other public pages (renderPublic).
  router.get('/', httpCache({ vary: 'Cookie' }), async (req, res) => {
    await renderPublic(req, res, 'home/index', async () => {
      const meeting = await getCurrentMeeting();
      const resolutions = meeting ? await meetingResolutions(String(meeting._id), { activeOnly: true }) : [];
      return {
        stylesheets: PUBLIC_CSS,
        pageTitle: req.t('home:title'),
        meeting,
        resolutions,
        hasSampleWording: resolutions.some((r) => r.sampleWording),
      };
    });
  });
  return router;
}
