import { Router, type Request, type Response } from 'express';
import type { FeatureDeps } from '../index.js';
import { buildUrlWith } from '../../views/helpers/url-with.js';
import { getMeetingPage, getMeetingsArchive, getResolutionPage, getScorecard, RESOLUTION_SORTS } from './public.service.js';
import { presentMeeting, presentResolution, presentScorecard, statusChart } from './public.present.js';
import { resolutionTableQuerySchema } from './public.validation.js';
import { localize } from '../../domain/reference-data.js';

const RESOLUTION_PAGE_SIZE = 50;
export const PUBLIC_CSS = ['/css/public.css'];

/**
 * Public pages (no sign-in; verified progress only): meetings archive, meeting page, resolution
 * page, institution scorecard, answered through the public-read path (deps.publicRead: memo,
 * headers, ETag/304).
 */
export function createPublicRouter(deps: FeatureDeps): Router {
  const router = Router();
  const { publicRead } = deps;
  const { aggregates } = publicRead;

  router.get('/meetings', async (req: Request, res: Response) => {
    await publicRead.page(req, res, { view: 'public/meetings' }, async () => {
      const rows = await getMeetingsArchive(aggregates, deps.now());
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

  router.get('/meetings/:id', async (req: Request, res: Response) => {
    await publicRead.page(req, res, { view: 'public/meeting' }, async () => {
      const page = await getMeetingPage(aggregates, String(req.params.id), deps.now());
      const view = presentMeeting(page, req.t, req.lang);
      return { stylesheets: PUBLIC_CSS, pageTitle: localize(page.meeting.title, req.lang), ...view };
    });
  });

  router.get('/resolutions/:id', async (req: Request, res: Response) => {
    await publicRead.page(req, res, { view: 'public/resolution', query: resolutionTableQuerySchema }, async (query) => {
      const page = await getResolutionPage(aggregates, String(req.params.id), { ...query, pageSize: RESOLUTION_PAGE_SIZE }, req.lang, deps.now());
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

  router.get('/institutions/:code', async (req: Request, res: Response) => {
    await publicRead.page(req, res, { view: 'public/institution' }, async () => {
      const card = await getScorecard(aggregates, String(req.params.code));
      const view = presentScorecard(card, req.t, req.lang);
      return { stylesheets: PUBLIC_CSS, pageTitle: localize(card.institution.name, req.lang), ...view };
    });
  });

  return router;
}
