import type { TFunction } from 'i18next';
import type { Logger } from 'pino';
import type { Language, Role } from '../domain/reference-data.js';

/** The signed-in user as routes and services see it (never the Mongoose document). */
export interface SessionUser {
  id: string;
  role: Role;
  institutionId: string | null;
  name: string;
  email: string;
}

export interface FlashMessage {
  type: 'success' | 'error' | 'info';
  /** Already-translated text. */
  text: string;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface User extends SessionUser {}
    interface Request {
      /** Translate in the request's language, e.g. req.t('errors:notFound'). */
      t: TFunction;
      lang: Language;
      /** Adds a message shown once on the next rendered page. */
      flash(type: FlashMessage['type'], text: string): void;
      /** The request id (also sent as X-Request-Id); see request-logger.ts. */
      id: string;
      /** A logger bound to the request id, created on first use. */
      log: Logger;
      /** Set on reads that skipped the session; starts one (see session.ts). */
      startSession?: () => void;
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    flash?: FlashMessage[];
    /** When the user signed in (ms since epoch): sessions end 12 h later however active they are. */
    signedInAt?: number;
  }
}

export {};
