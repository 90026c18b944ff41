/**
 * Published rankings as open data: GET /api/v1/rankings (the versions) and
 * GET /api/v1/rankings/:id (one version, complete: parameters, entries with their breakdown,
 * awards, objections, difference). Drafts are never served (404).
 */
import type { RequestHandler, Router } from 'express';
import { getPublished, listPublished } from '../rankings/rankings.read.js';
import { toApiRanking, toApiSummary } from '../rankings/open-data.present.js';
import { sendMemoised } from '../public/render-cached.js';

const json = (body: unknown) => ({ type: 'application/json; charset=utf-8', text: JSON.stringify(body) });

/** Adds the rankings routes to the API router, behind its caching middleware. */
export function addRankingsApi(router: Router, cache: RequestHandler): void {
  router.get('/api/v1/rankings', cache, async (req, res) => {
    await sendMemoised(req, res, async () => json({ data: (await listPublished()).map(toApiSummary) }));
  });

  router.get('/api/v1/rankings/:id', cache, async (req, res) => {
    const id = String(req.params.id);
    await sendMemoised(req, res, async () => json({ data: toApiRanking(await getPublished(id)) }));
  });
}
