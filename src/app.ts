import { join } from 'node:path';
import express, { type Express } from 'express';
import session from 'express-session';
import MongoStore from 'connect-mongo';
import mongoose from 'mongoose';
import compression from 'compression';
import { create as createHandlebars } from 'express-handlebars';
import type { AppDeps } from './deps.js';
import { VIEWS_DIR, PUBLIC_DIR } from './paths.js';
import { helpers } from './views/helpers/index.js';
import { languageMiddleware } from './middleware/language.js';
import { flashMiddleware } from './middleware/flash.js';
import { csrfProtection, csrfToken } from './middleware/csrf.js';
import { userLocals } from './middleware/auth.js';
import { requestLogger } from './middleware/request-logger.js';
import { securityHeaders } from './middleware/security-headers.js';
import { absoluteSessionLifetime, sessionCookieName, sessionWhenNeeded } from './middleware/session.js';
import { errorHandler, notFoundHandler } from './middleware/error-handler.js';
import { createPassport } from './features/accounts/passport.js';
import { createHealthRouter } from './features/health/health.routes.js';
import { registerFeatures } from './features/index.js';
import { createPublicRead, publicReadOptions } from './features/public/public-read.js';
import { noSharedCachingOfCookies } from './middleware/http-cache.js';
import { unreadCountMiddleware } from './features/notifications/notifications.routes.js';

/** The session cookie's name outside production (tests, development); production uses the __Host- name. */
export const SESSION_COOKIE = sessionCookieName(false);
/** Idle limit (rolling); the absolute limit since sign-in is ABSOLUTE_SESSION_MS. */
const SESSION_TTL_SECONDS = 8 * 3600;

/**
 * Answers that are the same for every reader never load a session, even with the cookie: open
 * data (/api/v1, the OpenAPI document) and the public downloads (ranking files, report PDF).
 */
const SESSIONLESS = /^\/api\/(v1\/|openapi\.json$)|^\/rankings\/[^/]+\/download\.(json|csv)$|^\/meetings\/[^/]+\/report\.pdf$/;

/**
 * Builds the Express app. Neither listens nor connects: the session store waits for the
 * default mongoose connection that server.ts (or the test hooks) open.
 *
 * Order matters: security headers and the Set-Cookie cache guard first; language before
 * anything that renders (the public memo keys include it); health
 * answers before sessions exist; session → passport → write invalidation → flash/user locals →
 * CSRF before every feature router; 404 and the error handler last. Sessions and Passport's
 * session strategy run only for requests that carry the session cookie or use an unsafe method
 * (sessionWhenNeeded), so anonymous reads skip them and every POST still meets the CSRF check
 * with its session; open data and public downloads never load one (SESSIONLESS).
 *
 * One PublicRead (src/features/public/public-read.ts) holds the public memos, keys, header
 * policy, invalidation and the heavy-answer limit; it is built here from the config and passed to the routers.
 */
export function createApp(deps: AppDeps): Express {
  const { config } = deps;
  if (!config.sessionSecret) throw new Error('createApp: config.sessionSecret is not set (server.ts provides it)');

  const publicRead = deps.publicRead ?? createPublicRead(publicReadOptions(config, deps.options));
  const app = express();
  const sessionCookie = sessionCookieName(config.isProduction);
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);

  const hbs = createHandlebars({
    extname: '.hbs',
    defaultLayout: 'main',
    layoutsDir: join(VIEWS_DIR, 'layouts'),
    partialsDir: join(VIEWS_DIR, 'partials'),
    helpers,
  });
  app.engine('.hbs', hbs.engine);
  app.set('view engine', '.hbs');
  app.set('views', VIEWS_DIR);
  if (config.isProduction) app.enable('view cache');

  app.use(requestLogger(app, deps.logger, { ignore: (req) => req.url === '/healthz' || req.url.startsWith('/css/') }));
  app.use(
    securityHeaders({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          upgradeInsecureRequests: config.isProduction ? [] : null,
        },
      },
      crossOriginEmbedderPolicy: false,
    }),
  );
  app.use(noSharedCachingOfCookies());
  app.use(languageMiddleware({ secureCookie: config.isProduction }));
  app.use(compression());
  // Static files all have an extension; pages and API paths (no dot in the last segment) do not
  // pay a file-system lookup on every request.
  const staticFiles = express.static(PUBLIC_DIR, { maxAge: config.isProduction ? '1d' : 0, index: false });
  app.use(function staticFilesWithExtension(req, res, next) {
    if (req.path.lastIndexOf('.') > req.path.lastIndexOf('/')) staticFiles(req, res, next);
    else next();
  });
  app.use(createHealthRouter(deps));

  app.use(express.urlencoded({ extended: true, limit: '100kb', parameterLimit: 2000 }));
  app.use(express.json({ limit: '100kb' }));

  const sessions = session({
    name: sessionCookie,
    secret: config.sessionSecret,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    store: MongoStore.create({
      clientPromise: mongoose.connection.asPromise().then((c) => c.getClient() as never),
      collectionName: 'sessions',
      ttl: SESSION_TTL_SECONDS,
      touchAfter: 300,
      autoRemove: 'native',
    }),
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config.isProduction,
      path: '/',
      maxAge: SESSION_TTL_SECONDS * 1000,
    },
  });
  const passport = createPassport(deps);
  app.use(passport.initialize());
  app.use(sessionWhenNeeded(sessionCookie, sessions, passport.session(), (req) => SESSIONLESS.test(req.path)));
  app.use(absoluteSessionLifetime(deps.now));
  app.use(publicRead.invalidateOnWrite);
  app.use(flashMiddleware);
  app.use(userLocals);
  app.use(csrfToken);
  app.use(csrfProtection);
  // The header's unread badge, for every page a signed-in user opens.
  app.use(unreadCountMiddleware);

  registerFeatures(app, { ...deps, passport, publicRead });

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
