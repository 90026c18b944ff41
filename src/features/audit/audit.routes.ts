import { Router, type Request } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { EAT_OFFSET_MS, parseCalendarDate } from '../../domain/calendar-date.js';
import { requireRole } from '../../middleware/auth.js';
import { parseQuery, pageParam } from '../../middleware/validate.js';
import { toCsv } from '../csv/csv-writer.js';
import { AUDIT_ACTIONS, auditCsvRows, AUDIT_ENTITIES, actionLabel, entityLabel, presentAuditEntry } from './audit.present.js';
import { listAudit, listAuditForExport, type AuditFilter } from './audit.service.js';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
/** A day typed as dd/mm/yyyy (yyyy-mm-dd also accepted), kept as typed for the form. */
const day = z.preprocess(blankToUndefined, z.string().trim().refine((s) => parseCalendarDate(s) !== null, 'validation:date').optional());

export const auditQuery = z.object({
  actor: z.preprocess(blankToUndefined, z.string().trim().max(100).optional()),
  entity: z.preprocess(blankToUndefined, z.string().trim().max(50).optional()),
  action: z.preprocess(blankToUndefined, z.string().trim().max(80).optional()),
  from: day,
  to: day,
  page: pageParam(),
});

/** Midnight in Dar es Salaam of a typed day, plus `plusDays` ("to" includes the whole day). */
function dayStart(s: string | undefined, plusDays = 0): Date | undefined {
  const d = s ? parseCalendarDate(s) : null;
  return d ? new Date(d.getTime() - EAT_OFFSET_MS + plusDays * 24 * 3600 * 1000) : undefined;
}

function filterOf(req: Request): { query: z.infer<typeof auditQuery>; filter: AuditFilter } {
  const q = parseQuery(auditQuery, req);
  return { query: q, filter: { actor: q.actor, entity: q.entity, action: q.action, from: dayStart(q.from), to: dayStart(q.to, 1), page: q.page } };
}

/** GET /admin/audit — the audit log with filters; /admin/audit.csv — the same entries as CSV (admin only). */
export function createAuditRouter(_deps: AppDeps): Router {
  const router = Router();
  const admin = requireRole('admin');

  router.get('/admin/audit', admin, async (req, res) => {
    const { query, filter } = filterOf(req);
    const result = await listAudit(filter);
    const exportQuery = new URLSearchParams(Object.entries({ ...query, page: undefined }).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''));
    res.render('audit/list', {
      pageTitle: req.t('audit:title'),
      ...result,
      entries: result.entries.map((e) => presentAuditEntry(e, req.t, req.lang)),
      filter: query,
      entities: AUDIT_ENTITIES.map((value) => ({ value, label: entityLabel(value, req.t) })).sort((a, b) => a.label.localeCompare(b.label)),
      actions: AUDIT_ACTIONS.map((value) => ({ value, label: actionLabel(value, req.t) })).sort((a, b) => a.label.localeCompare(b.label)),
      exportHref: `/admin/audit.csv${exportQuery.size ? `?${exportQuery.toString()}` : ''}`,
    });
  });

  router.get('/admin/audit.csv', admin, async (req, res) => {
    const { filter } = filterOf(req);
    const rows = (await listAuditForExport(filter)).map((e) => presentAuditEntry(e, req.t, req.lang));
    const csv = auditCsvRows(rows, req.t);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="audit-log-${req.lang}.csv"`);
    res.send(toCsv(csv.columns, csv.rows));
  });
  return router;
}
