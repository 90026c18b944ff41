import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { FeatureDeps } from '../index.js';
import { MAX_QUERY_LENGTH, search } from './search.service.js';
import { PUBLIC_CSS } from '../public/public.routes.js';

const searchQuerySchema = z.object({
  q: z.preprocess((v) => (v === undefined ? '' : v), z.string().max(MAX_QUERY_LENGTH, 'search:tooLong')),
  lang: z.string().optional(),
});

/** `GET /search?q=` — the search box in the header posts here (a GET form, no JS). */
export function createSearchRouter({ publicRead }: FeatureDeps): Router {
  const router = Router();
  // Only the empty search page is memoised (a default view); results are computed per query.
  router.get('/search', async (req: Request, res: Response) => {
    await publicRead.page(req, res, { view: 'search/results', query: searchQuerySchema }, async ({ q }) => {
      const results = await search(publicRead.aggregates, q);
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
