/**
 * Published rankings as open data: GET /api/v1/rankings (the versions) and
 * GET /api/v1/rankings/:id (one version, complete: parameters, entries with their breakdown,
 * awards, objections, difference). Drafts are never served (404).
 */
import type { Router } from 'express';
import { getPublished, listPublished } from '../rankings/rankings.read.js';
import { toApiRanking, toApiSummary } from '../rankings/open-data.present.js';
import type { PublicRead } from '../public/public-read.js';

const json = (body: unknown) => ({ type: 'application/json; charset=utf-8', body: JSON.stringify(body) });

/**
 * Adds the rankings routes to the API router, through the public-read path (memoised per URL).
 * A whole ranking is a heavy answer: rate-limited for anonymous readers.
 */
export function addRankingsApi(router: Router, publicRead: PublicRead): void {
  router.get('/api/v1/rankings', async (req, res) => {
    await publicRead.data(req, res, {}, async () => json({ data: (await listPublished()).map(toApiSummary) }));
  });

  router.get('/api/v1/rankings/:id', publicRead.heavyLimit, async (req, res) => {
    const id = String(req.params.id);
    await publicRead.data(req, res, {}, async () => json({ data: toApiRanking(await getPublished(id)) }));
  });
}
