import { Router } from 'express';
import { requireRole } from '../../middleware/auth.js';
import type { FeatureDeps } from '../index.js';
import { getDashboard } from './dashboard.service.js';

/** The page e-GA officers land on: the figures they act on, each linking to where they act. */
export function createDashboardRouter(deps: FeatureDeps): Router {
  const router = Router();
  router.get('/admin', requireRole('admin', 'reviewer'), async (req, res) => {
    res.render('dashboard/index', { pageTitle: req.t('dashboard:title'), dashboard: await getDashboard(deps.now()) });
  });
  return router;
}
