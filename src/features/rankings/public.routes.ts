/**
 * Public ranking pages (no login): the list of published rankings, one published version with
 * its awards, tables and charts, an institution's breakdown, and the complete downloads.
 */
import { Router } from 'express';
import type { FeatureDeps } from '../index.js';
import { INSTITUTION_TYPES, REGIONS } from '../../domain/reference-data.js';
import { NotFoundError } from '../../errors.js';
import { cacheHeaders } from '../../middleware/http-cache.js';
import { meetingOptions } from '../meetings/meetings.service.js';
import { getPublished, getRankingEntry, getPublishedSummary, listPublished, listPublishedVersions } from './rankings.read.js';
import { PUBLIC_GROUP_TOP, PUBLIC_LIST_CAP, namedAwards, publicTables, rankingCharts, unrankedGroups } from './public.present.js';
import { toApiRanking, toCsv } from './open-data.present.js';
import { categoryCards } from './categories.present.js';
import { breakdownRows, findEntry } from './breakdown.present.js';
import { param } from './rankings.http.js';
import { publicFilters } from './rankings.validation.js';

/**
 * Pages and downloads go through the public-read path (deps.publicRead): memoised for anonymous
 * readers, invalidated by every write (publishing a new version included). The downloads are
 * complete rankings, heavy answers: rate-limited for anonymous readers.
 */
export function createRankingsPublicRouter({ publicRead }: FeatureDeps): Router {
  const router = Router();
  const meetingsById = async () => new Map((await meetingOptions()).map((m) => [String(m._id), m]));

  router.get('/rankings', cacheHeaders('page'), async (req, res) => {
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

  const attachment = (ranking: { _id: unknown; version?: number | null }, ext: string) => ({
    'Content-Disposition': `attachment; filename="ranking-${String(ranking._id)}-v${ranking.version}.${ext}"`,
  });

  router.get('/rankings/:id/download.json', publicRead.heavyLimit, async (req, res) => {
    await publicRead.data(req, res, {}, async () => {
      const ranking = await getPublished(param(req, 'id'));
      return { type: 'application/json; charset=utf-8', body: JSON.stringify(toApiRanking(ranking), null, 2), headers: attachment(ranking, 'json') };
    });
  });

  router.get('/rankings/:id/download.csv', publicRead.heavyLimit, async (req, res) => {
    await publicRead.data(req, res, {}, async () => {
      const ranking = await getPublished(param(req, 'id'));
      return { type: 'text/csv; charset=utf-8', body: toCsv(ranking), headers: attachment(ranking, 'csv') };
    });
  });

  router.get('/rankings/:id', async (req, res) => {
    const id = param(req, 'id');
    await publicRead.page(req, res, { view: 'rankings/public-show', query: publicFilters }, async (filters) => {
      const ranking = await getPublishedSummary(id);
      const [byId, versions] = await Promise.all([meetingsById(), listPublishedVersions(ranking.meeting)]);
      const awards = namedAwards(ranking);
      // The needs-improvement list is public only when e-GA chose so for this ranking.
      const laggards = ranking.parameters.needsImprovementVisibility ?? 'public';
      return {
        laggardsNotice: laggards === 'public' ? null : laggards === 'institutions' ? 'awards:laggards.notPublic' : 'awards:laggards.hiddenText',
        categories: categoryCards(ranking),
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
        awards: { ...awards, needsImprovement: laggards === 'public' ? awards.needsImprovement.slice(0, PUBLIC_LIST_CAP) : [] },
        versions: versions.map((v) => ({ id: String(v._id), version: v.version, publishedAt: v.publishedAt, current: String(v._id) === String(ranking._id) })),
        resolutions: ranking.parameters.resolutions,
        unranked: unrankedGroups(ranking),
      };
    });
  });

  router.get('/rankings/:id/institutions/:code', async (req, res) => {
    const id = param(req, 'id');
    const code = param(req, 'code');
    await publicRead.page(req, res, { view: 'rankings/institution' }, async () => {
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
