import { Router } from 'express';
import type { FeatureDeps } from '../index.js';
import { PUBLIC_CSS } from '../public/public.routes.js';
import { getCurrentMeeting, meetingResolutions } from '../meetings/meetings.service.js';

/** The public home page (no sign-in): the current meeting and its active resolutions. */
export function createHomeRouter(_deps: FeatureDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const meeting = await getCurrentMeeting();
    const resolutions = meeting ? await meetingResolutions(String(meeting._id), { activeOnly: true }) : [];
    res.render('home/index', {
      stylesheets: PUBLIC_CSS,
      pageTitle: req.t('home:title'),
      meeting,
      resolutions,
      hasSampleWording: resolutions.some((r) => r.sampleWording),
    });
  });
  return router;
}
