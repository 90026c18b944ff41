import { Router, type Request, type Response } from 'express';
import type { FeatureDeps } from '../index.js';
import { cacheHeaders } from '../../middleware/http-cache.js';
import { apiInstitutionProgress, apiInstitutions, apiMeetingResolutions, apiMeetings } from './api.service.js';
import { toCsv } from '../csv/csv-writer.js';
import { DEFAULT_LIMIT, institutionCodeParams, institutionsQuerySchema, listQuerySchema, progressQuerySchema, type ListQuery } from './api.validation.js';
import { openApiDocument } from './openapi.js';
import type { BodySource } from '../public/public-read.js';
import { parseParams } from '../../middleware/validate.js';
import { presentOpenApi } from './docs.present.js';
import { addRankingsApi } from './rankings.api.js';

interface Table<T> {
  rows: T[];
  columns: string[];
  toRow: (row: T) => unknown[];
  filename: string;
  /** Extra top-level fields of the JSON answer. */
  extra?: Record<string, unknown>;
}

function wantsCsv(req: Request, query: ListQuery): boolean {
  return query.format === 'csv' || req.path.endsWith('.csv');
}

/**
 * A table as paginated JSON `{ data, meta: { page, limit, total, pages } }`, or as CSV (the whole
 * table unless page/limit are given).
 */
function tableBody<T>(req: Request, query: ListQuery, table: Table<T>): BodySource {
  const total = table.rows.length;
  const csv = wantsCsv(req, query);
  const paginate = !csv || query.page !== undefined || query.limit !== undefined;
  const limit = query.limit ?? DEFAULT_LIMIT;
  const page = query.page ?? 1;
  const slice = paginate ? table.rows.slice((page - 1) * limit, page * limit) : table.rows;
  if (csv) {
    return {
      type: 'text/csv; charset=utf-8',
      body: toCsv(table.columns, slice.map(table.toRow)),
      headers: { 'Content-Disposition': `attachment; filename="${table.filename}.csv"` },
    };
  }
  const body = { data: slice, meta: { page, limit, total, pages: Math.max(1, Math.ceil(total / limit)) }, ...table.extra };
  return { type: 'application/json; charset=utf-8', body: JSON.stringify(body) };
}

/**
 * Read-only open data under /api/v1 (verified progress only), its OpenAPI document and a
 * readable documentation page. Open data is the same for every reader of a URL: it goes through
 * the public-read path (memoised per validated URL, `public, max-age=60`, ETag/304).
 */
export function createApiRouter(deps: FeatureDeps): Router {
  const router = Router();
  const { publicRead } = deps;
  const { aggregates } = publicRead;
  const sendTable = <T>(req: Request, res: Response, schema: typeof listQuerySchema, load: (query: ListQuery) => Promise<Table<T>>) =>
    publicRead.data(req, res, { query: schema }, async (query) => tableBody(req, query, await load(query)));

  router.get(['/api/v1/meetings', '/api/v1/meetings.csv'], async (req: Request, res: Response) => {
    await sendTable(req, res, listQuerySchema, async () => ({
      rows: await apiMeetings(aggregates),
      filename: 'meetings',
      columns: ['id', 'number', 'title_sw', 'title_en', 'venue', 'startDate', 'endDate'],
      toRow: (m) => [m.id, m.number, m.title.sw, m.title.en, m.venue, m.startDate, m.endDate],
    }));
  });

  router.get(['/api/v1/meetings/:id/resolutions', '/api/v1/meetings/:id/resolutions.csv'], async (req: Request, res: Response) => {
    await sendTable(req, res, listQuerySchema, async () => ({
      rows: await apiMeetingResolutions(aggregates, String(req.params.id), deps.now()),
      filename: `meeting-${String(req.params.id)}-resolutions`,
      columns: ['id', 'number', 'title_sw', 'title_en', 'category', 'dueDate', 'weight', 'appliesTo', 'completed', 'in_progress', 'not_started', 'not_applicable', 'not_reported'],
      toRow: (r) => [
        r.id, r.number, r.title.sw, r.title.en, r.category, r.dueDate, r.weight, r.appliesTo,
        r.progress.completed, r.progress.in_progress, r.progress.not_started, r.progress.not_applicable, r.progress.not_reported,
      ],
    }));
  });

  router.get(['/api/v1/institutions', '/api/v1/institutions.csv'], async (req: Request, res: Response) => {
    await publicRead.data(req, res, { query: institutionsQuerySchema }, async (query) => tableBody(req, query, {
      rows: await apiInstitutions(aggregates, { type: query.type, region: query.region }),
      filename: 'institutions',
      columns: ['code', 'name_sw', 'name_en', 'type', 'region'],
      toRow: (i) => [i.code, i.name.sw, i.name.en, i.type, i.region],
    }));
  });

  router.get(['/api/v1/institutions/:code/progress', '/api/v1/institutions/:code/progress.csv'], async (req: Request, res: Response) => {
    // The code ends up in the file name (Content-Disposition): only a well-formed code goes on.
    const { code } = parseParams(institutionCodeParams, req);
    await publicRead.data(req, res, { query: progressQuerySchema }, async (query) => {
      const { meetingId, rows } = await apiInstitutionProgress(aggregates, code, query.meeting);
      return tableBody(req, query, {
        rows,
        filename: `${code}-progress`,
        columns: ['resolutionId', 'number', 'status', 'percent', 'verifiedAt'],
        toRow: (r) => [r.resolutionId, r.number, r.status, r.percent, r.verifiedAt],
        extra: { meetingId },
      });
    });
  });

  addRankingsApi(router, publicRead);

  router.get('/api/openapi.json', cacheHeaders('data'), (_req: Request, res: Response) => {
    res.json(openApiDocument());
  });

  router.get('/api/docs', cacheHeaders('page'), (req: Request, res: Response) => {
    res.render('api/docs', { pageTitle: req.t('api:docs.title'), stylesheets: ['/css/public.css'], ...presentOpenApi(openApiDocument()) });
  });

  return router;
}
