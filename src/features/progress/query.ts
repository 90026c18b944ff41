import mongoose from 'mongoose';

/**
 * Marks an operator object built by our own code (`{ $in: ids }`, `{ $lte: date }`) as trusted.
 * The app runs mongoose with sanitizeFilter, which otherwise turns such objects into literal
 * `$eq` matches; values from requests are never passed through here.
 */
export function op<T extends object>(operator: T): T {
  return mongoose.trusted(operator) as T;
}
