import type { Express } from 'express';
import type { AppDeps } from '../deps.js';
import type { PassportInstance } from './accounts/passport.js';
import type { PublicRead } from './public/public-read.js';
import { createAccountsRouter } from './accounts/accounts.routes.js';
import { createUsersAdminRouter } from './accounts/users.routes.js';
import { createAuditRouter } from './audit/audit.routes.js';
import { createCsvRouter } from './csv/csv.routes.js';
import { createDashboardRouter } from './dashboard/dashboard.routes.js';
import { createHomeRouter } from './home/home.routes.js';
import { createInstitutionsRouter } from './institutions/institutions.routes.js';
import { createMeetingsRouter } from './meetings/meetings.routes.js';
import { createResolutionsRouter } from './resolutions/resolutions.routes.js';
import { createPublicRouter } from './public/public.routes.js';
import { createSearchRouter } from './search/search.routes.js';
import { createApiRouter } from './api/api.routes.js';
import { createReportRouter } from './report/report.routes.js';
import { createRankingsRouter } from './rankings/rankings.routes.js';
import { createNotificationsRouter } from './notifications/notifications.routes.js';
import { createProgressRouter } from './progress/progress.routes.js';
import { createReviewRouter } from './review/review.routes.js';

/** What feature routers receive: the app deps plus the app's Passport instance and public-read path. */
export interface FeatureDeps extends AppDeps {
  passport: PassportInstance;
  publicRead: PublicRead;
}

/**
 * Mounts every feature router. Each feature adds ONE line here:
 * `app.use(create<Name>Router(deps));` — routers carry their full paths
 * (e.g. router.get('/admin/resolutions', ...)) and their own role checks.
 */
export function registerFeatures(app: Express, deps: FeatureDeps): void {
  app.use(createNotificationsRouter(deps));
  app.use(createAccountsRouter(deps));
  app.use(createUsersAdminRouter(deps));
  app.use(createCsvRouter(deps));
  app.use(createAuditRouter(deps));
  app.use(createDashboardRouter(deps));
  app.use(createHomeRouter(deps));
  app.use(createInstitutionsRouter(deps));
  app.use(createMeetingsRouter(deps));
  app.use(createResolutionsRouter(deps));
  app.use(createPublicRouter(deps));
  app.use(createSearchRouter(deps));
  app.use(createApiRouter(deps));
  app.use(createReportRouter(deps));
  app.use(createRankingsRouter(deps));
  app.use(createProgressRouter(deps));
  app.use(createReviewRouter(deps));
}
