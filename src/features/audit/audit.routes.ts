import { Router } from 'express';
import { z } from 'zod';
import type { AppDeps } from '../../deps.js';
import { requireRole } from '../../middleware/auth.js';
import { parseQuery, pageParam } from '../../middleware/validate.js';
import { auditEntities, listAudit } from './audit.service.js';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const day = z.preprocess(blankToUndefined, z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'validation:date').optional());

export const auditQuery = z.object({
  actor: z.preprocess(blankToUndefined, z.string().trim().max(100).optional()),
  entity: z.preprocess(blankToUndefined, z.string().trim().max(50).optional()),
  action: z.preprocess(blankToUndefined, z.string().trim().max(80).optional()),
  from: day,
  to: day,
  page: pageParam(),
});

/** Days are read in Dar es Salaam time; "to" includes the whole day. */
function dayStart(s: string | undefined, plusDays = 0): Date | undefined {
  if (!s) return undefined;
  const d = new Date(`${s}T00:00:00+03:00`);
  if (Number.isNaN(d.getTime())) return undefined;
  return new Date(d.getTime() + plusDays * 24 * 3600 * 1000);
}

/** GET /admin/audit — the audit log with filters (admin only). */
export function createAuditRouter(_deps: AppDeps): Router {
  const router = Router();
  router.get('/admin/audit', requireRole('admin'), async (req, res) => {
    const q = parseQuery(auditQuery, req);
    const result = await listAudit({
      actor: q.actor,
      entity: q.entity,
      action: q.action,
      from: dayStart(q.from),
      to: dayStart(q.to, 1),
      page: q.page,
    });
    res.render('audit/list', {
      pageTitle: req.t('audit:title'),
      ...result,
      filter: q,
      entities: await auditEntities(),
    });
  });
  return router;
}
