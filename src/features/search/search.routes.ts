import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { FeatureDeps } from '../index.js';
import { httpCache } from '../../middleware/http-cache.js';
import { parseQuery } from '../../middleware/validate.js';
import { MAX_QUERY_LENGTH, search } from './search.service.js';
import { PUBLIC_CSS } from '../public/public.routes.js';
import { renderPublic } from '../public/render-cached.js';

const searchQuerySchema = z.object({
  q: z.preprocess((v) => (v === undefined ? '' : v), z.string().max(MAX_QUERY_LENGTH, 'search:tooLong')),
  lang: z.string().optional(),
});

/** `GET /search?q=` — the search box in the header posts here (a GET form, no JS). */
export function createSearchRouter(_deps: FeatureDeps): Router {
  const router = Router();
  router.get('/search', httpCache({ vary: 'Cookie' }), async (req: Request, res: Response) => {
    const { q } = parseQuery(searchQuerySchema, req);
    await renderPublic(req, res, 'search/results', async () => {
      const results = await search(q);
      return {
        stylesheets: PUBLIC_CSS,
        searchQuery: q,
        pageTitle: q.trim() ? req.t('search:titleFor', { query: q.trim() }) : req.t('search:title'),
        ...results,
        searched: results.query !== '',
        empty: results.query !== '' && results.institutionTotal === 0 && results.resolutionTotal === 0,
        institutions: results.institutions.map((i) => ({ ...i, typeLabel: req.t(`public:types.${i.type}`) })),
      };
    });
  });
  return router;
}
