/**
 * mongod's limits on stored documents, checked before a document enters a
 * collection, so a refused write changes nothing in memory or in the journal.
 * Codes and messages are mongod 7.0's (db/ops/insert.cpp fixDocumentForInsert,
 * db/exec/update_stage.cpp, db/update/storage_validation.cpp).
 */
import { BSON, type Document } from 'bson';
import { MongoCommandError } from './errors.js';

/** BSONObjMaxUserSize: the largest document a client may store (advertised as maxBsonObjectSize). */
export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
/** BSONObjMaxInternalSize: past this, mongod refuses the object as invalid BSON (code 10334). */
const MAX_INTERNAL_OBJECT_SIZE = MAX_BSON_OBJECT_SIZE + 16 * 1024;
/** BSONDepth::getMaxDepthForUserStorage(). */
export const MAX_NESTING_DEPTH = 100;

/**
 * Throws mongod's error when `doc` may not be stored: larger than 16 MiB, or
 * nested deeper than 100 levels (the document itself is level 1; empty
 * sub-documents and arrays do not count, as in mongod).
 */
export function checkStorable(doc: Document, kind: 'insert' | 'update'): void {
  if (exceedsDepth(doc, 1)) {
    throw new MongoCommandError(
      'Overflow',
      kind === 'insert'
        ? `cannot insert document because it exceeds ${MAX_NESTING_DEPTH} levels of nesting`
        : `Document exceeds maximum nesting depth of ${MAX_NESTING_DEPTH}`,
    );
  }
  const size = BSON.calculateObjectSize(doc);
  if (size <= MAX_BSON_OBJECT_SIZE) return;
  if (kind === 'update') throw new MongoCommandError('BSONObjectTooLarge', `Resulting document after update is larger than ${MAX_BSON_OBJECT_SIZE}`);
  if (size > MAX_INTERNAL_OBJECT_SIZE) {
    throw new MongoCommandError(
      'BSONObjectTooLarge',
      `BSONObj size: ${size} (0x${size.toString(16).toUpperCase()}) is invalid. Size must be between 0 and ${MAX_INTERNAL_OBJECT_SIZE}(16MB)`,
    );
  }
  throw new MongoCommandError('BadValue', `object to insert too large. size in bytes: ${size}, max size: ${MAX_BSON_OBJECT_SIZE}`);
}

/** True when a non-empty object or array sits below level `MAX_NESTING_DEPTH`. */
function exceedsDepth(v: unknown, level: number): boolean {
  const items: unknown[] = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
  for (const item of items) {
    if (!isContainer(item)) continue;
    const empty = Array.isArray(item) ? item.length === 0 : Object.keys(item).length === 0;
    if (empty) continue;
    if (level === MAX_NESTING_DEPTH || exceedsDepth(item, level + 1)) return true;
  }
  return false;
}

function isContainer(v: unknown): v is Document | unknown[] {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return true;
  if ((v as { _bsontype?: unknown })._bsontype !== undefined) return false;
  return !(v instanceof Date || v instanceof RegExp || v instanceof Uint8Array);
}
