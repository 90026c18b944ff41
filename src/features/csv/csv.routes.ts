import { Router, type Request, type Response } from 'express';
import multer from 'multer';
import type { Role } from '../../domain/reference-data.js';
import { requireRole } from '../../middleware/auth.js';
import { multipartForm } from '../../middleware/upload.js';
import type { FeatureDeps } from '../index.js';
import { actorOf } from '../../middleware/auth.js';
import { runCsvImport, toCsvText, type CsvFormat, type CsvMessage, type CsvReport } from './csv.engine.js';
import { institutionAttributesCsv } from './formats/institution-attributes.csv.js';
import { institutionsCsv } from './formats/institutions.csv.js';
import { resolutionsCsv } from './formats/resolutions.csv.js';
import { createUsersCsv } from './formats/users.csv.js';

/** Largest accepted CSV upload (a 5,000-row resolutions file with long texts fits). */
export const MAX_CSV_BYTES = 5 * 1024 * 1024;

interface Entry {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  format: CsvFormat<any, any>;
  /** Where the entity list lives (for links back). */
  listUrl: string;
  exportRoles: Role[];
}

function translateMessage(req: Request, m: CsvMessage): string {
  const text = req.t(m.key, m.params ?? {}) as string;
  return m.column ? `${m.column}: ${text}` : text;
}

/**
 * CSV import (dry run by default, then "import" to write) and export for institutions,
 * resolutions and users: /admin/<name>/import and /admin/<name>/export.csv. Admin only, except
 * that reviewers may export institutions and resolutions.
 *
 * Uploads are multipart (multer, in memory); multipartForm checks the CSRF token from the
 * parsed body.
 */
export function createCsvRouter(deps: FeatureDeps): Router {
  const router = Router();
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_CSV_BYTES, fieldSize: MAX_CSV_BYTES + 1024, files: 1, fields: 10 },
  });
  const entries: Entry[] = [
    { format: institutionsCsv, listUrl: '/admin/institutions', exportRoles: ['admin', 'reviewer'] },
    { format: institutionAttributesCsv, listUrl: '/admin/institutions', exportRoles: ['admin', 'reviewer'] },
    { format: resolutionsCsv, listUrl: '/admin/resolutions', exportRoles: ['admin', 'reviewer'] },
    {
      format: createUsersCsv({ baseUrl: deps.config.baseUrl, mailer: deps.mailer, now: deps.now }),
      listUrl: '/admin/users',
      exportRoles: ['admin'],
    },
  ];

  for (const entry of entries) {
    const { format } = entry;
    const base = `/admin/${format.name}`;

    const renderPage = (req: Request, res: Response, status: number, report: CsvReport | null, csvText = '') => {
      res.status(status).render('csv/import', {
        pageTitle: req.t(`csv:title.${format.name}`),
        formatName: format.name,
        heading: req.t(`csv:title.${format.name}`),
        action: `${base}/import`,
        exportUrl: `${base}/export.csv`,
        listUrl: entry.listUrl,
        columns: format.columns,
        requiredColumns: format.requiredColumns,
        report: report && {
          ...report,
          fileErrors: report.fileErrors.map((m) => translateMessage(req, m)),
          rows: report.rows.map((r) => ({ ...r, messages: r.messages.map((m) => translateMessage(req, m)) })),
          canCommit: report.mode === 'dryRun' && report.fileErrors.length === 0 && report.invalid === 0 && report.total > 0,
        },
        csvText,
      });
    };

    router.get(`${base}/import`, requireRole('admin'), (req, res) => renderPage(req, res, 200, null));

    router.post(`${base}/import`, requireRole('admin'), multipartForm(upload.single('file')), async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const text = req.file ? req.file.buffer.toString('utf8') : typeof body.csv === 'string' ? body.csv : '';
      const mode = body.mode === 'import' ? 'import' : 'dryRun';
      const report = await runCsvImport(format, text, mode, actorOf(req));
      let status = 200;
      if (report.fileErrors.length > 0 || report.invalid > 0) status = mode === 'import' || report.fileErrors.length > 0 ? 400 : 200;
      if (report.writeFailed) status = 409;
      renderPage(req, res, status, report, report.committed ? '' : text);
    });

    router.get(`${base}/export.csv`, requireRole(...entry.exportRoles), async (req, res) => {
      const rows = await format.exportRows(actorOf(req));
      const stamp = deps.now().toISOString().slice(0, 10);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${format.name}-${stamp}.csv"`);
      res.send(toCsvText(format.columns, rows));
    });
  }
  return router;
}
