import { Router, type Request, type Response } from 'express';
import type { FeatureDeps } from '../index.js';
import { httpCache } from '../../middleware/http-cache.js';
import { parseQuery } from '../../middleware/validate.js';
import { buildUrlWith } from '../../views/helpers/url-with.js';
import { configurePublicCache } from './public.cache.js';
import { getMeetingPage, getMeetingsArchive, getResolutionPage, getScorecard, RESOLUTION_SORTS } from './public.service.js';
import { presentMeeting, presentResolution, presentScorecard, statusChart } from './public.present.js';
import { resolutionTableQuerySchema } from './public.validation.js';
import { renderPublic } from './render-cached.js';
import { localize } from '../../domain/reference-data.js';

const RESOLUTION_PAGE_SIZE = 50;
export const PUBLIC_CSS = ['/css/public.css'];

/**
 * Public pages (no sign-in; verified progress only): meetings archive, meeting page, resolution
 * page, institution scorecard. Answers carry a weak ETag and `private, no-cache` (the pages
 * depend on the language cookie and the signed-in header), so browsers revalidate cheaply.
 */
export function createPublicRouter(deps: FeatureDeps): Router {
  // The memo stays off in tests so every request reads the database it just wrote.
  configurePublicCache({ ttlMs: deps.config.isTest ? 0 : 10 * 60_000, stampTtlMs: deps.config.isTest ? 0 : 250 });
  const router = Router();
  const cache = httpCache({ vary: 'Cookie' });

  router.get('/meetings', cache, async (req: Request, res: Response) => {
    await renderPublic(req, res, 'public/meetings', async () => {
      const rows = await getMeetingsArchive(deps.now());
      return {
        stylesheets: PUBLIC_CSS,
        pageTitle: req.t('public:archive.title'),
        meetings: rows.map((r) => ({
          ...r,
          chart: statusChart(req.t('public:archive.chart', { number: r.meeting.number }), r.counts, req.t, req.lang, false),
        })),
      };
    });
  });

  router.get('/meetings/:id', cache, async (req: Request, res: Response) => {
    await renderPublic(req, res, 'public/meeting', async () => {
      const page = await getMeetingPage(String(req.params.id), deps.now());
      const view = presentMeeting(page, req.t, req.lang);
      return { stylesheets: PUBLIC_CSS, pageTitle: localize(page.meeting.title, req.lang), ...view };
    });
  });

  router.get('/resolutions/:id', cache, async (req: Request, res: Response) => {
    const query = parseQuery(resolutionTableQuerySchema, req);
    await renderPublic(req, res, 'public/resolution', async () => {
      const page = await getResolutionPage(String(req.params.id), { ...query, pageSize: RESOLUTION_PAGE_SIZE }, req.lang, deps.now());
      const view = presentResolution(page, req.t, req.lang);
      const columns = RESOLUTION_SORTS.map((key) => {
        const active = query.sort === key;
        const nextDir = active && query.dir === 'asc' ? 'desc' : 'asc';
        const href = buildUrlWith(buildUrlWith(req.originalUrl, 'sort', key), 'dir', nextDir);
        return { key, label: req.t(`public:columns.${key}`), href, ariaSort: active ? (query.dir === 'asc' ? 'ascending' : 'descending') : 'none', active, dir: query.dir };
      });
      return {
        stylesheets: PUBLIC_CSS,
        pageTitle: `${req.t('public:resolutionShort', { number: page.resolution.number })}: ${localize(page.resolution.title, req.lang)}`,
        ...view,
        query,
        columns,
      };
    });
  });

  router.get('/institutions/:code', cache, async (req: Request, res: Response) => {
    await renderPublic(req, res, 'public/institution', async () => {
      const card = await getScorecard(String(req.params.code));
      const view = presentScorecard(card, req.t, req.lang);
      return { stylesheets: PUBLIC_CSS, pageTitle: localize(card.institution.name, req.lang), ...view };
    });
  });

  return router;
}
