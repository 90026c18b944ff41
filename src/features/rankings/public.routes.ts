/**
 * Public ranking pages (no login): the list of published rankings, one published version with
 * its awards, tables and charts, an institution's breakdown, and the complete downloads.
 */
import { Router } from 'express';
import type { AppDeps } from '../../deps.js';
import { INSTITUTION_TYPES, REGIONS } from '../../domain/reference-data.js';
import { NotFoundError } from '../../errors.js';
import { httpCache } from '../../middleware/http-cache.js';
import { parseQuery } from '../../middleware/validate.js';
import { renderPublic } from '../public/render-cached.js';
import { meetingOptions } from '../meetings/meetings.service.js';
import { getPublished, getRankingEntry, getPublishedSummary, listPublished, listPublishedVersions } from './rankings.read.js';
import { PUBLIC_GROUP_TOP, PUBLIC_LIST_CAP, namedAwards, publicTables, rankingCharts, unrankedGroups } from './public.present.js';
import { toApiRanking, toCsv } from './open-data.present.js';
import { breakdownRows, findEntry } from './breakdown.present.js';
import { param } from './rankings.http.js';
import { publicFilters } from './rankings.validation.js';
import { OPEN_DATA_CACHE_CONTROL } from '../api/cache-policy.js';

export function createRankingsPublicRouter(_deps: AppDeps): Router {
  const router = Router();
  const downloadCache = httpCache({ cacheControl: OPEN_DATA_CACHE_CONTROL });
  const pageCache = httpCache({ vary: 'Cookie' });
  const meetingsById = async () => new Map((await meetingOptions()).map((m) => [String(m._id), m]));

  router.get('/rankings', pageCache, async (req, res) => {
    const [byId, rankings] = await Promise.all([meetingsById(), listPublished()]);
    res.render('rankings/public-list', {
      pageTitle: req.t('rankings:public.listTitle'),
      rankings: rankings.map((r) => ({
        ...r,
        id: String(r._id),
        meeting: byId.get(String(r.meeting)),
        ranked: r.entries.length,
        winners: r.awards?.winners.length ?? 0,
      })),
    });
  });

  router.get('/rankings/:id/download.json', downloadCache, async (req, res) => {
    const ranking = await getPublished(param(req, 'id'));
    res.setHeader('Content-Disposition', `attachment; filename="ranking-${String(ranking._id)}-v${ranking.version}.json"`);
    res.type('application/json').send(JSON.stringify(toApiRanking(ranking), null, 2));
  });

  router.get('/rankings/:id/download.csv', downloadCache, async (req, res) => {
    const ranking = await getPublished(param(req, 'id'));
    res.setHeader('Content-Disposition', `attachment; filename="ranking-${String(ranking._id)}-v${ranking.version}.csv"`);
    res.type('text/csv; charset=utf-8').send(toCsv(ranking));
  });

  // Published rankings are immutable; the rendered pages are memoised for anonymous visitors by
  // language and URL under the public data stamp (renderPublic), so a published new version
  // (which changes the version list) is picked up like any other write.
  router.get('/rankings/:id', pageCache, async (req, res) => {
    const id = param(req, 'id');
    const filters = parseQuery(publicFilters, req);
    await renderPublic(req, res, 'rankings/public-show', async () => {
      const ranking = await getPublishedSummary(id);
      const [byId, versions] = await Promise.all([meetingsById(), listPublishedVersions(ranking.meeting)]);
      const awards = namedAwards(ranking);
      return {
        pageTitle: req.t('rankings:public.title', { version: ranking.version }),
        ranking,
        id: String(ranking._id),
        meeting: byId.get(String(ranking.meeting)),
        ...publicTables(ranking, filters),
        groupTop: PUBLIC_GROUP_TOP,
        filters,
        filtered: Boolean(filters.type || filters.region),
        types: INSTITUTION_TYPES,
        regions: REGIONS,
        charts: rankingCharts(ranking, req.t),
        awards: { ...awards, needsImprovement: awards.needsImprovement.slice(0, PUBLIC_LIST_CAP) },
        versions: versions.map((v) => ({ id: String(v._id), version: v.version, publishedAt: v.publishedAt, current: String(v._id) === String(ranking._id) })),
        resolutions: ranking.parameters.resolutions,
        unranked: unrankedGroups(ranking),
      };
    });
  });

  router.get('/rankings/:id/institutions/:code', pageCache, async (req, res) => {
    const id = param(req, 'id');
    const code = param(req, 'code');
    await renderPublic(req, res, 'rankings/institution', async () => {
      const ranking = await getRankingEntry(id, code, { publishedOnly: true });
      const entry = findEntry(ranking, code);
      if (!entry) throw new NotFoundError('rankings:institutionNotRanked');
      return {
        pageTitle: `${entry.code} — ${req.t('rankings:breakdown.title')}`,
        ranking,
        entry,
        lines: breakdownRows(ranking, entry),
        backUrl: `/rankings/${String(ranking._id)}`,
        isDraft: false,
        objections: ranking.objections.filter((o) => o.code === entry.code),
      };
    });
  });

  return router;
}
