/**
 * Errors shaped like mongod's: every command failure becomes
 * `{ ok: 0, errmsg, code, codeName, ...extra }` on the wire.
 */
import type { Document } from 'bson';

export const ErrorCodes = {
  InternalError: 1,
  BadValue: 2,
  Unauthorized: 13,
  Overflow: 15,
  ProtocolError: 17,
  AuthenticationFailed: 18,
  FailedToParse: 9,
  TypeMismatch: 14,
  IllegalOperation: 20,
  ConflictingUpdateOperators: 40,
  DollarPrefixedFieldName: 52,
  NamespaceNotFound: 26,
  IndexNotFound: 27,
  CursorNotFound: 43,
  NamespaceExists: 48,
  CommandNotFound: 59,
  ImmutableField: 66,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  CannotCreateIndex: 67,
  Location40352: 40352,
  NoQueryExecutionPlans: 291,
  DuplicateKey: 11000,
  BSONObjectTooLarge: 10334,
  UserNotFound: 11,
  MechanismUnavailable: 334,
  Location51003: 51003,
} as const;

export type ErrorCodeName = keyof typeof ErrorCodes;

export class MongoCommandError extends Error {
  readonly code: number;
  readonly codeName: string;
  readonly extra: Document;

  constructor(codeName: ErrorCodeName, errmsg: string, extra: Document = {}) {
    super(errmsg);
    this.code = ErrorCodes[codeName];
    this.codeName = codeName;
    this.extra = extra;
  }

  /** The error as it appears inside a `writeErrors` entry. */
  toWriteError(index: number): Document {
    return { index, code: this.code, codeName: this.codeName, errmsg: this.message, ...this.extra };
  }

  toReply(): Document {
    return { ok: 0, errmsg: this.message, code: this.code, codeName: this.codeName, ...this.extra };
  }
}

/** Wraps anything thrown (e.g. a mingo error) as a command error. */
export function toCommandError(err: unknown): MongoCommandError {
  if (err instanceof MongoCommandError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  return new MongoCommandError('BadValue', msg);
}
