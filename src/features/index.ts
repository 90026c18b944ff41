import type { Express } from 'express';
import type { AppDeps } from '../deps.js';
import type { PassportInstance } from './accounts/passport.js';
import { createAccountsRouter } from './accounts/accounts.routes.js';
import { createUsersAdminRouter } from './accounts/users.routes.js';
import { createAuditRouter } from './audit/audit.routes.js';
import { createPublicRouter } from './public/public.routes.js';
import { createSearchRouter } from './search/search.routes.js';

/** What feature routers receive: the app deps plus the app's Passport instance. */
export interface FeatureDeps extends AppDeps {
  passport: PassportInstance;
}

/**
 * Mounts every feature router. Each feature adds ONE line here:
 * `app.use(create<Name>Router(deps));` — routers carry their full paths
 * (e.g. router.get('/admin/resolutions', ...)) and their own role checks.
 */
export function registerFeatures(app: Express, deps: FeatureDeps): void {
  app.use(createAccountsRouter(deps));
  app.use(createUsersAdminRouter(deps));
  app.use(createAuditRouter(deps));
  app.use(createPublicRouter(deps));
  app.use(createSearchRouter(deps));
}
