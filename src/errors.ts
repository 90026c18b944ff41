/**
 * Typed errors. Each carries an HTTP status and an i18n message key (e.g. "errors:notFound");
 * the error handler translates the key into the user's language. Services throw these; handlers
 * never build error responses themselves.
 */
export interface AppErrorOptions {
  /** Interpolation values for the message key. */
  params?: Record<string, unknown>;
  /** Machine-readable code for JSON answers; defaults from the class. */
  code?: string;
  /** Extra details for JSON answers (e.g. field errors). */
  details?: unknown;
  cause?: unknown;
  /** True for programmer/infrastructure errors: logged at error level. */
  isOperational?: boolean;
}

export class AppError extends Error {
  readonly status: number;
  readonly messageKey: string;
  readonly params: Record<string, unknown>;
  readonly code: string;
  readonly details: unknown;
  readonly isOperational: boolean;

  constructor(status: number, messageKey: string, options: AppErrorOptions = {}) {
    super(messageKey, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = status;
    this.messageKey = messageKey;
    this.params = options.params ?? {};
    this.code = options.code ?? 'error';
    this.details = options.details;
    this.isOperational = options.isOperational ?? status < 500;
  }
}

export class BadRequestError extends AppError {
  constructor(messageKey = 'errors:badRequest', options: AppErrorOptions = {}) {
    super(400, messageKey, { code: 'bad_request', ...options });
  }
}

/** Field → already-localized message (or message key) map. */
export type FieldErrors = Record<string, string>;

export class ValidationError extends AppError {
  readonly fields: FieldErrors;
  constructor(fields: FieldErrors, messageKey = 'errors:validation', options: AppErrorOptions = {}) {
    super(400, messageKey, { code: 'validation', details: fields, ...options });
    this.fields = fields;
  }
}

export class UnauthorizedError extends AppError {
  constructor(messageKey = 'errors:unauthorized', options: AppErrorOptions = {}) {
    super(401, messageKey, { code: 'unauthorized', ...options });
  }
}

export class ForbiddenError extends AppError {
  constructor(messageKey = 'errors:forbidden', options: AppErrorOptions = {}) {
    super(403, messageKey, { code: 'forbidden', ...options });
  }
}

export class NotFoundError extends AppError {
  constructor(messageKey = 'errors:notFound', options: AppErrorOptions = {}) {
    super(404, messageKey, { code: 'not_found', ...options });
  }
}

export class ConflictError extends AppError {
  constructor(messageKey = 'errors:conflict', options: AppErrorOptions = {}) {
    super(409, messageKey, { code: 'conflict', ...options });
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
