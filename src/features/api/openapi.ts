import { INSTITUTION_TYPES, REGIONS, RESOLUTION_CATEGORIES, PROGRESS_STATUSES } from '../../domain/reference-data.js';
import { STATUS_KEYS } from '../public/public.stats.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from './api.validation.js';

/* The OpenAPI 3 description of the open data (this feature's endpoints and the rankings'). */

type Json = Record<string, unknown>;

const localized = { type: 'object', required: ['sw', 'en'], properties: { sw: { type: 'string' }, en: { type: ['string', 'null'] } } };
const dateTime = { type: 'string', format: 'date-time', description: 'ISO 8601, UTC' };
const nullableDateTime = { type: ['string', 'null'], format: 'date-time', description: 'ISO 8601, UTC; null when nothing is verified' };
const objectId = { type: 'string', pattern: '^[0-9a-f]{24}$' };

const pageParams = [
  { name: 'page', in: 'query', required: false, description: 'Page number, from 1.', schema: { type: 'integer', minimum: 1, default: 1 } },
  { name: 'limit', in: 'query', required: false, description: `Rows per page (default ${DEFAULT_LIMIT}, at most ${MAX_LIMIT}).`, schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT } },
  { name: 'format', in: 'query', required: false, description: 'json (default) or csv; the same path ending in .csv also gives CSV. CSV holds the whole table unless page or limit is given.', schema: { type: 'string', enum: ['json', 'csv'] } },
];

const meta = {
  type: 'object',
  required: ['page', 'limit', 'total', 'pages'],
  properties: { page: { type: 'integer' }, limit: { type: 'integer' }, total: { type: 'integer', description: 'Rows in the whole table' }, pages: { type: 'integer' } },
};

const listOf = (ref: string, extra: Json = {}) => ({
  type: 'object',
  required: ['data', 'meta'],
  properties: { data: { type: 'array', items: { $ref: `#/components/schemas/${ref}` } }, meta: { $ref: '#/components/schemas/PageMeta' }, ...extra },
});

const jsonAndCsv = (schema: Json, description: string) => ({
  '200': {
    description,
    headers: {
      ETag: { description: 'Weak validator of the body; send it back in If-None-Match.', schema: { type: 'string' } },
      'Cache-Control': { schema: { type: 'string', example: 'public, max-age=60' } },
    },
    content: { 'application/json': { schema }, 'text/csv': { schema: { type: 'string' } } },
  },
  '304': { description: 'Not modified (If-None-Match matched the current ETag).' },
  '400': { description: 'Bad parameter.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
});

const notFound = { description: 'Unknown id or code.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };

export function openApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Maazimio open data',
      version: '1.0.0',
      description:
        'Read-only data of the e-Government stakeholders\u2019 meetings: meetings, resolutions, institutions, their verified implementation progress and the published rankings. Only progress verified by e-GA is published. Dates are ISO 8601 strings in UTC.',
    },
    servers: [{ url: '/' }],
    paths: {
      '/api/v1/meetings': {
        get: {
          operationId: 'listMeetings',
          summary: 'Meetings',
          description: 'Every meeting, by number.',
          parameters: pageParams,
          responses: jsonAndCsv(listOf('Meeting'), 'A page of meetings.'),
        },
      },
      '/api/v1/meetings/{id}/resolutions': {
        get: {
          operationId: 'listMeetingResolutions',
          summary: 'Resolutions of a meeting with verified progress counts',
          description:
            'The active resolutions of a meeting, by number. `progress` counts the applicable institutions (active, of a type the resolution applies to) by verified status; `not_reported` means nothing verified.',
          parameters: [{ name: 'id', in: 'path', required: true, description: 'Meeting id.', schema: objectId }, ...pageParams],
          responses: { ...jsonAndCsv(listOf('Resolution'), 'A page of resolutions.'), '404': notFound },
        },
      },
      '/api/v1/institutions': {
        get: {
          operationId: 'listInstitutions',
          summary: 'Institutions',
          description: 'Active institutions, by code.',
          parameters: [
            { name: 'type', in: 'query', required: false, description: 'Only this peer group.', schema: { type: 'string', enum: [...INSTITUTION_TYPES] } },
            { name: 'region', in: 'query', required: false, description: 'Only this region.', schema: { type: 'string', enum: [...REGIONS] } },
            ...pageParams,
          ],
          responses: jsonAndCsv(listOf('Institution'), 'A page of institutions.'),
        },
      },
      '/api/v1/institutions/{code}/progress': {
        get: {
          operationId: 'institutionProgress',
          summary: 'Verified progress of one institution',
          description: 'For each resolution of the meeting that applies to the institution: its latest verified status and percent. Without `meeting`, the latest meeting.',
          parameters: [
            { name: 'code', in: 'path', required: true, description: 'Institution code (case-insensitive).', schema: { type: 'string' } },
            { name: 'meeting', in: 'query', required: false, description: 'Meeting id.', schema: objectId },
            ...pageParams,
          ],
          responses: {
            ...jsonAndCsv(listOf('ProgressRow', { meetingId: { type: ['string', 'null'], description: 'The meeting the rows belong to' } }), 'A page of progress rows.'),
            '404': notFound,
          },
        },
      },
      '/api/v1/rankings': {
        get: {
          operationId: 'listRankings',
          summary: 'Published rankings',
          description: 'Every published ranking version (drafts are never public).',
          responses: {
            '200': {
              description: 'The published versions.',
              content: { 'application/json': { schema: { type: 'object', properties: { data: { type: 'array', items: { $ref: '#/components/schemas/RankingSummary' } } } } } },
            },
            '304': { description: 'Not modified.' },
          },
        },
      },
      '/api/v1/rankings/{id}': {
        get: {
          operationId: 'getRanking',
          summary: 'One published ranking, with everything needed to recompute it',
          parameters: [{ name: 'id', in: 'path', required: true, description: 'Ranking id.', schema: objectId }],
          responses: {
            '200': {
              description: 'The ranking: parameters, entries with per-resolution breakdown, awards.',
              content: { 'application/json': { schema: { type: 'object', properties: { data: { $ref: '#/components/schemas/Ranking' } } } } },
            },
            '304': { description: 'Not modified.' },
            '404': notFound,
          },
        },
      },
    },
    components: {
      schemas: {
        PageMeta: meta,
        Error: {
          type: 'object',
          required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} } } },
        },
        LocalizedText: localized,
        Meeting: {
          type: 'object',
          required: ['id', 'number', 'title', 'venue', 'startDate', 'endDate'],
          properties: { id: objectId, number: { type: 'integer' }, title: { $ref: '#/components/schemas/LocalizedText' }, venue: { type: 'string' }, startDate: dateTime, endDate: dateTime },
        },
        ProgressCounts: {
          type: 'object',
          required: [...STATUS_KEYS],
          properties: Object.fromEntries(STATUS_KEYS.map((k) => [k, { type: 'integer', minimum: 0 }])),
        },
        Resolution: {
          type: 'object',
          required: ['id', 'number', 'title', 'category', 'dueDate', 'weight', 'appliesTo', 'progress'],
          properties: {
            id: objectId,
            number: { type: 'integer' },
            title: { $ref: '#/components/schemas/LocalizedText' },
            category: { type: 'string', enum: [...RESOLUTION_CATEGORIES] },
            dueDate: dateTime,
            weight: { type: 'number', exclusiveMinimum: 0 },
            appliesTo: { type: 'array', items: { type: 'string', enum: [...INSTITUTION_TYPES] } },
            progress: { $ref: '#/components/schemas/ProgressCounts' },
          },
        },
        Institution: {
          type: 'object',
          required: ['code', 'name', 'type', 'region'],
          properties: { code: { type: 'string' }, name: { $ref: '#/components/schemas/LocalizedText' }, type: { type: 'string', enum: [...INSTITUTION_TYPES] }, region: { type: 'string', enum: [...REGIONS] } },
        },
        ProgressRow: {
          type: 'object',
          required: ['resolutionId', 'number', 'status', 'percent', 'verifiedAt'],
          properties: {
            resolutionId: objectId,
            number: { type: 'integer' },
            status: { type: 'string', enum: [...STATUS_KEYS] },
            percent: { type: ['number', 'null'], minimum: 0, maximum: 100 },
            verifiedAt: nullableDateTime,
          },
        },
        RankingSummary: {
          type: 'object',
          required: ['id', 'meetingId', 'version', 'cutoff', 'publishedAt'],
          properties: { id: objectId, meetingId: objectId, version: { type: 'integer' }, cutoff: dateTime, publishedAt: dateTime },
        },
        BreakdownLine: {
          type: 'object',
          required: ['resolutionId', 'number', 'weight', 'status', 'percent', 'points', 'verifiedAt'],
          properties: {
            resolutionId: objectId,
            number: { type: 'integer' },
            weight: { type: 'number' },
            status: { type: 'string', enum: [...PROGRESS_STATUSES, 'not_reported'] },
            percent: { type: ['number', 'null'] },
            points: { type: ['number', 'null'] },
            verifiedAt: nullableDateTime,
          },
        },
        RankingEntry: {
          type: 'object',
          required: ['code', 'type', 'region', 'score', 'rank', 'rankInType', 'grade', 'completed', 'breakdown'],
          properties: {
            code: { type: 'string' },
            type: { type: 'string', enum: [...INSTITUTION_TYPES] },
            region: { type: 'string' },
            score: { type: 'number', minimum: 0, maximum: 100 },
            rank: { type: 'integer', minimum: 1 },
            rankInType: { type: 'integer', minimum: 1 },
            grade: { type: 'string', enum: ['A', 'B', 'C', 'D'] },
            completed: { type: 'integer', minimum: 0 },
            breakdown: { type: 'array', items: { $ref: '#/components/schemas/BreakdownLine' } },
          },
        },
        Award: {
          type: 'object',
          required: ['code', 'type', 'score'],
          properties: { code: { type: 'string' }, type: { type: 'string' }, score: { type: 'number' }, grade: { type: ['string', 'null'] }, rankInType: { type: 'integer' }, gain: { type: 'number' } },
        },
        Ranking: {
          type: 'object',
          required: ['id', 'meetingId', 'version', 'cutoff', 'publishedAt', 'parameters', 'entries', 'awards'],
          properties: {
            id: objectId,
            meetingId: objectId,
            version: { type: 'integer' },
            cutoff: dateTime,
            publishedAt: dateTime,
            parameters: {
              type: 'object',
              description: 'Weights per resolution, applicability, grade bands, award rules and cutoff used.',
              properties: {
                cutoff: dateTime,
                gradeBands: { type: 'object', properties: { A: { type: 'number' }, B: { type: 'number' }, C: { type: 'number' } } },
                awardRules: { type: 'object' },
                resolutions: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: { resolutionId: objectId, number: { type: 'integer' }, weight: { type: 'number' }, appliesTo: { type: 'array', items: { type: 'string' } } },
                  },
                },
              },
            },
            entries: { type: 'array', items: { $ref: '#/components/schemas/RankingEntry' } },
            awards: {
              type: 'object',
              properties: {
                winners: { type: 'array', items: { $ref: '#/components/schemas/Award' } },
                mostImproved: { type: 'array', items: { $ref: '#/components/schemas/Award' } },
                needsImprovement: { type: 'array', items: { $ref: '#/components/schemas/Award' } },
              },
            },
          },
        },
      },
    },
  };
}
