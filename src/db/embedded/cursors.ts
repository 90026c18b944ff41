/**
 * Open cursors: the remaining documents of a find/aggregate, handed out in
 * batches by getMore. Documents are stored references (never mutated), and
 * a projection is applied per batch.
 */
import { randomBytes } from 'node:crypto';
import { BSON, Long, type Document } from 'bson';
import { project } from './mingo-adapter.js';

/** mongod caps a reply batch at 16 MiB of documents. */
export const MAX_BATCH_BYTES = 16 * 1024 * 1024;
export const DEFAULT_FIRST_BATCH = 101;
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

interface OpenCursor {
  id: Long;
  ns: string;
  docs: Document[];
  pos: number;
  projection: Document | undefined;
  lastUsed: number;
}

export interface Batch {
  cursor: { id: Long; ns: string; firstBatch?: Document[]; nextBatch?: Document[] };
}

export class CursorRegistry {
  /** Keyed by the decimal string of the id. */
  private readonly open = new Map<string, OpenCursor>();

  /**
   * Returns the first batch and registers a cursor if documents remain.
   * `batchSize` 0/undefined means the default (101 for the first batch).
   */
  first(ns: string, docs: Document[], projection: Document | undefined, batchSize: number | undefined, singleBatch = false): Batch {
    const size = batchSize === undefined ? DEFAULT_FIRST_BATCH : batchSize;
    const { batch, end } = takeBatch(docs, 0, size, projection);
    let id = Long.ZERO;
    if (end < docs.length && !singleBatch) {
      id = newCursorId();
      this.open.set(id.toString(), { id, ns, docs, pos: end, projection, lastUsed: Date.now() });
    }
    return { cursor: { firstBatch: batch, id, ns } };
  }

  next(rawId: unknown, batchSize: number | undefined): Batch | undefined {
    const key = cursorKey(rawId);
    const c = this.open.get(key);
    if (!c) return undefined;
    const { batch, end } = takeBatch(c.docs, c.pos, batchSize || Infinity, c.projection);
    c.pos = end;
    c.lastUsed = Date.now();
    let outId = c.id;
    if (c.pos >= c.docs.length) {
      this.open.delete(key);
      outId = Long.ZERO;
    }
    return { cursor: { nextBatch: batch, id: outId, ns: c.ns } };
  }

  kill(rawId: unknown): boolean {
    return this.open.delete(cursorKey(rawId));
  }

  /** Drops cursors idle for longer than mongod's default 10 minutes. */
  sweep(now = Date.now()): void {
    for (const [id, c] of this.open) if (now - c.lastUsed > IDLE_TIMEOUT_MS) this.open.delete(id);
  }

  get size(): number {
    return this.open.size;
  }
}

/** Random positive 64-bit ids, like mongod's (they do not fit a JS number). */
function newCursorId(): Long {
  const bytes = randomBytes(8);
  bytes[7] = (bytes[7] & 0x3f) | 0x20;
  return Long.fromBytesLE([...bytes]);
}

/** The registry key of an id sent by a client (Long, number or bigint). */
export function cursorKey(raw: unknown): string {
  if (raw === null || raw === undefined) return '0';
  return typeof raw === 'object' ? (raw as Long).toString() : String(raw);
}

/** A getMore without batchSize may return fewer documents than remain; this bounds the work per reply. */
const MAX_DOCS_PER_BATCH = 20_000;

/**
 * BSON sizes of documents that are never mutated (stored documents, unprojected
 * aggregation results): computed once, reused by every later batch.
 */
const sizeCache = new WeakMap<Document, number>();

function cachedSize(doc: Document): number {
  let n = sizeCache.get(doc);
  if (n === undefined) {
    n = BSON.calculateObjectSize(doc);
    sizeCache.set(doc, n);
  }
  return n;
}

function takeBatch(docs: Document[], start: number, size: number, projection: Document | undefined): { batch: Document[]; end: number } {
  const count = Math.min(size, MAX_DOCS_PER_BATCH, docs.length - start);
  const slice = docs.slice(start, start + count);
  const shaped = projection ? project(slice, projection) : slice;
  if (shaped.length <= 1) return { batch: shaped, end: start + shaped.length };
  let bytes = 0;
  for (let i = 0; i < shaped.length; i++) {
    // Projected documents are new objects; unprojected ones are stored (immutable) documents.
    bytes += projection ? BSON.calculateObjectSize(shaped[i]) : cachedSize(shaped[i]);
    // Always at least one document, never more than 16 MiB of them.
    if (i > 0 && bytes > MAX_BATCH_BYTES) return { batch: shaped.slice(0, i), end: start + i };
  }
  return { batch: shaped, end: start + shaped.length };
}
