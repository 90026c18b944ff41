/**
 * Reads the fields a ranking needs from ProgressItem documents received as raw BSON.
 *
 * A ranking of 1,000 institutions × 20 resolutions reads 20,000 items. Letting the driver turn
 * each into an object (two ObjectIds, a Date, two sub-documents) and then converting those
 * into hex strings and numbers cost more than the query itself and left 100,000 short-lived
 * objects for the garbage collector. The query asks the driver for the raw documents
 * (`raw: true`, the bytes the server sent, as with any MongoDB server) and this module reads
 * the seven fields directly. A document with a shape it does not expect (another BSON type,
 * e.g. a Decimal128 percent) is decoded in full by the BSON library instead, so every
 * document gives the same result either way.
 *
 * Why it is kept (issue 14, bench/ranking-fastpaths.bench.ts, 18,572 items, engine in-process,
 * 2-core VM at load average ≈ 20 from other work, medians of 7 alternating runs):
 *   raw BSON + this decoder          973 ms wall, 192 ms CPU
 *   Mongoose .lean() + projection   1,812 ms wall, 356 ms CPU
 * The plain read costs 164 ms more CPU per ranking. createDraft's median was 348–402 ms at a
 * load of 2 (README); +164 ms puts it past the 500 ms target, so the decoder stays.
 */
import { BSON, type Document } from 'mongodb';
import { PROGRESS_STATUSES } from '../domain/reference-data.js';

/** The fields of one item a ranking uses. */
export interface ItemFields {
  institution: string;
  resolution: string;
  claimedStatus: string | null;
  claimedPercent: number | null;
  verifiedStatus: string | null;
  verifiedPercent: number | null;
  /** Milliseconds since 1970 of `verified.at`, or null. */
  verifiedAt: number | null;
}

/** The projection the raw reader expects (other fields are skipped anyway). */
export const ITEM_FIELDS_PROJECTION = {
  _id: 0,
  institution: 1,
  resolution: 1,
  'claimed.status': 1,
  'claimed.percent': 1,
  'verified.status': 1,
  'verified.percent': 1,
  'verified.at': 1,
} as const;

/** BSON element types (bsonspec.org). */
const T = {
  Double: 0x01,
  String: 0x02,
  Object: 0x03,
  Array: 0x04,
  Undefined: 0x06,
  ObjectId: 0x07,
  Boolean: 0x08,
  Date: 0x09,
  Null: 0x0a,
  Int32: 0x10,
  Timestamp: 0x11,
  Int64: 0x12,
} as const;

class Unexpected extends Error {}
const UNEXPECTED = new Unexpected('unexpected BSON shape');

function keyIs(b: Buffer, start: number, end: number, key: string): boolean {
  if (end - start !== key.length) return false;
  for (let i = 0; i < key.length; i++) if (b[start + i] !== key.charCodeAt(i)) return false;
  return true;
}

/** Offset just past the value of type `t` at `o` (for fields that are skipped). */
function skip(b: Buffer, t: number, o: number): number {
  switch (t) {
    case T.Double:
    case T.Date:
    case T.Int64:
    case T.Timestamp:
      return o + 8;
    case T.String:
      return o + 4 + b.readInt32LE(o);
    case T.Object:
    case T.Array:
      return o + b.readInt32LE(o);
    case T.ObjectId:
      return o + 12;
    case T.Boolean:
      return o + 1;
    case T.Int32:
      return o + 4;
    case T.Null:
    case T.Undefined:
      return o;
    default:
      throw UNEXPECTED;
  }
}

function readNumber(b: Buffer, t: number, o: number): number | null {
  switch (t) {
    case T.Double:
      return b.readDoubleLE(o);
    case T.Int32:
      return b.readInt32LE(o);
    case T.Int64:
      return Number(b.readBigInt64LE(o));
    case T.Null:
    case T.Undefined:
      return null;
    default:
      throw UNEXPECTED;
  }
}

/** Status values come back as these very strings (no new string per row). */
const KNOWN_STRINGS: readonly string[] = [...PROGRESS_STATUSES];

function readString(b: Buffer, t: number, o: number): string | null {
  if (t === T.Null || t === T.Undefined) return null;
  if (t !== T.String) throw UNEXPECTED;
  const len = b.readInt32LE(o) - 1;
  const start = o + 4;
  for (const known of KNOWN_STRINGS) if (keyIs(b, start, start + len, known)) return known;
  return b.toString('utf8', start, start + len);
}

/**
 * Hex strings of the ObjectIds met in one read. Each institution id recurs once per resolution
 * and each resolution id once per institution, so the same string is handed out again instead
 * of converting 40,000 ids (and later map look-ups hash each string once). Keyed by the last 6
 * bytes (a counter and random bytes), checked against the first 6.
 */
export class HexCache {
  private readonly seen = new Map<number, { head: number; mid: number; hex: string }>();

  hexAt(b: Buffer, o: number): string {
    const key = b.readUIntLE(o + 6, 6);
    const head = b.readUInt32LE(o);
    const mid = b.readUInt16LE(o + 4);
    const hit = this.seen.get(key);
    if (hit && hit.head === head && hit.mid === mid) return hit.hex;
    const hex = b.toString('hex', o, o + 12);
    if (!hit) this.seen.set(key, { head, mid, hex });
    return hex;
  }
}

/** Offset of the 0 byte that ends the element name starting at `k`. */
function keyEnd(b: Buffer, k: number): number {
  let z = k;
  while (b[z] !== 0) z++;
  return z;
}

/** Reads `{ status, percent, at? }` at `o` (a sub-document) into `out` under the given prefix. */
function readVerdict(b: Buffer, o: number, out: ItemFields, which: 'claimed' | 'verified'): void {
  const end = o + b.readInt32LE(o) - 1;
  let p = o + 4;
  while (p < end) {
    const t = b[p];
    const k = p + 1;
    const z = keyEnd(b, k);
    p = z + 1;
    if (keyIs(b, k, z, 'status')) {
      if (which === 'claimed') out.claimedStatus = readString(b, t, p);
      else out.verifiedStatus = readString(b, t, p);
    } else if (keyIs(b, k, z, 'percent')) {
      if (which === 'claimed') out.claimedPercent = readNumber(b, t, p);
      else out.verifiedPercent = readNumber(b, t, p);
    } else if (which === 'verified' && keyIs(b, k, z, 'at')) {
      if (t === T.Date) out.verifiedAt = Number(b.readBigInt64LE(p));
      else if (t === T.Null || t === T.Undefined) out.verifiedAt = null;
      else throw UNEXPECTED;
    }
    p = skip(b, t, p);
  }
}

function reset(out: ItemFields): void {
  out.institution = '';
  out.resolution = '';
  out.claimedStatus = null;
  out.claimedPercent = null;
  out.verifiedStatus = null;
  out.verifiedPercent = null;
  out.verifiedAt = null;
}

function readFast(b: Buffer, out: ItemFields, ids: HexCache): void {
  const end = b.readInt32LE(0) - 1;
  let p = 4;
  while (p < end) {
    const t = b[p];
    const k = p + 1;
    const z = keyEnd(b, k);
    p = z + 1;
    if (keyIs(b, k, z, 'institution')) {
      if (t !== T.ObjectId) throw UNEXPECTED;
      out.institution = ids.hexAt(b, p);
    } else if (keyIs(b, k, z, 'resolution')) {
      if (t !== T.ObjectId) throw UNEXPECTED;
      out.resolution = ids.hexAt(b, p);
    } else if (keyIs(b, k, z, 'claimed') || keyIs(b, k, z, 'verified')) {
      const which = b[k] === 0x63 ? 'claimed' : 'verified';
      if (t === T.Object) readVerdict(b, p, out, which);
      else if (t !== T.Null && t !== T.Undefined) throw UNEXPECTED;
    }
    p = skip(b, t, p);
  }
  if (out.institution === '' || out.resolution === '') throw UNEXPECTED;
}

const hexOf = (v: unknown): string => (v instanceof BSON.ObjectId ? v.toHexString() : String(v));
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : v == null ? null : String(v));
const numOrNull = (v: unknown): number | null => (v == null ? null : Number(v));

/** The same fields from a fully decoded document (the general path). */
function readDecoded(doc: Document, out: ItemFields): void {
  out.institution = hexOf(doc.institution);
  out.resolution = hexOf(doc.resolution);
  const c = doc.claimed as Document | null | undefined;
  out.claimedStatus = strOrNull(c?.status);
  out.claimedPercent = numOrNull(c?.percent);
  const v = doc.verified as Document | null | undefined;
  out.verifiedStatus = strOrNull(v?.status);
  out.verifiedPercent = numOrNull(v?.percent);
  out.verifiedAt = v?.at instanceof Date ? v.at.getTime() : null;
}

/**
 * Fills `out` (reused between documents, to allocate nothing per row) with the fields of one
 * raw item document. Pass one HexCache for all documents of a read.
 */
export function readItemFields(raw: Uint8Array, out: ItemFields, ids: HexCache = new HexCache()): ItemFields {
  const b = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  reset(out);
  try {
    readFast(b, out, ids);
  } catch (err) {
    if (!(err instanceof Unexpected) && !(err instanceof RangeError)) throw err;
    reset(out);
    readDecoded(BSON.deserialize(b), out);
  }
  return out;
}

/** A scratch record for readItemFields. */
export function emptyItemFields(): ItemFields {
  const out = {} as ItemFields;
  reset(out);
  return out;
}
