/**
 * A BSON encoder for the engine's hot paths (replies and journal records).
 * It writes straight into one reusable scratch buffer and copies the result
 * out once, behind a caller-chosen number of reserved bytes (the OP_MSG
 * header, the journal record header), so a reply or a record costs one
 * allocation.
 *
 * Its output is byte for byte what `BSON.serialize` produces with the same
 * `ignoreUndefined` (test/embedded/bson-writer.test.ts compares both on
 * random documents). It only knows the values the engine stores and answers
 * with: plain objects, arrays, strings, numbers, booleans, null, undefined,
 * Dates, ObjectId, Long, Timestamp, Int32, Double, Decimal128 and Binary
 * (other than the old subtype 2 and vectors). For anything else (a key with a
 * NUL byte, RegExp, Code, Map, class instances, nesting deeper than 100...)
 * it returns undefined and the caller falls back to `BSON.serialize`, which
 * also raises the same errors as before.
 */
import type { Document } from 'bson';

const enum T {
  Double = 0x01,
  String = 0x02,
  Object = 0x03,
  Array = 0x04,
  Binary = 0x05,
  ObjectId = 0x07,
  Boolean = 0x08,
  Date = 0x09,
  Null = 0x0a,
  Int32 = 0x10,
  Timestamp = 0x11,
  Long = 0x12,
  Decimal128 = 0x13,
}

const INT32_MAX = 0x7fffffff;
const INT32_MIN = -0x80000000;
const TWO_32 = 0x1_0000_0000;
const MAX_DEPTH = 100;
const SCRATCH_BYTES = 64 * 1024;
/** A scratch buffer grown past this is dropped after use instead of being kept. */
const KEEP_SCRATCH_BYTES = 1024 * 1024;
/** Strings shorter than this are copied char by char (cheaper than a native call when ASCII). */
const SHORT_STRING = 48;
const BSON_VERSION = Symbol.for('@@mdb.bson.version');
const BSON_MAJOR = 7;
const objectProto = Object.prototype;
const hasOwn = Object.prototype.hasOwnProperty;

/** Thrown inside the writer when it meets a value it does not handle. */
class Unsupported {}
const UNSUPPORTED = new Unsupported();

let buf = Buffer.allocUnsafe(SCRATCH_BYTES);
let pos = 0;
let keepUndefined = false;

function ensure(n: number): void {
  if (pos + n <= buf.length) return;
  let size = buf.length * 2;
  while (size < pos + n) size *= 2;
  const next = Buffer.allocUnsafe(size);
  buf.copy(next, 0, 0, pos);
  buf = next;
}

/** Writes `s` as UTF-8 (no terminator); keys must not hold NUL bytes. */
function writeUtf8(s: string, isKey: boolean): void {
  const n = s.length;
  ensure(n * 3 + 1);
  if (n < SHORT_STRING) {
    const start = pos;
    let i = 0;
    for (; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80 || c === 0) break;
      buf[pos++] = c;
    }
    if (i === n) return;
    pos = start;
  }
  if (isKey && s.includes('\0')) throw UNSUPPORTED;
  pos += buf.write(s, pos, 'utf8');
}

/** The type byte and the key (`key`, or the decimal `index` of an array item when index >= 0). */
function writeHead(type: number, key: string, index: number): void {
  if (index < 0) {
    ensure(1);
    buf[pos++] = type;
    writeUtf8(key, true);
  } else {
    ensure(12);
    buf[pos++] = type;
    if (index < 10) buf[pos++] = 0x30 + index;
    else pos += buf.write(String(index), pos, 'latin1');
  }
  buf[pos++] = 0;
}

function writeInt64(lo: number, hi: number): void {
  ensure(8);
  buf.writeInt32LE(lo | 0, pos);
  buf.writeInt32LE(hi | 0, pos + 4);
  pos += 8;
}

function writeDocument(obj: Record<string, unknown>, depth: number): void {
  if (depth > MAX_DEPTH) throw UNSUPPORTED;
  ensure(5);
  const start = pos;
  pos += 4;
  for (const key in obj) {
    if (!hasOwn.call(obj, key)) continue;
    const v = obj[key];
    if (v === undefined && !keepUndefined) continue;
    writeElement(key, -1, v, depth);
  }
  ensure(1);
  buf[pos++] = 0;
  buf.writeInt32LE(pos - start, start);
}

function writeArray(arr: unknown[], depth: number): void {
  if (depth > MAX_DEPTH) throw UNSUPPORTED;
  ensure(5);
  const start = pos;
  pos += 4;
  for (let i = 0; i < arr.length; i++) writeElement('', i, arr[i], depth);
  ensure(1);
  buf[pos++] = 0;
  buf.writeInt32LE(pos - start, start);
}

function writeElement(key: string, index: number, v: unknown, depth: number): void {
  switch (typeof v) {
    case 'string': {
      writeHead(T.String, key, index);
      ensure(4);
      const sizeAt = pos;
      pos += 4;
      writeUtf8(v, false);
      buf[pos++] = 0;
      buf.writeInt32LE(pos - sizeAt - 4, sizeAt);
      return;
    }
    case 'number':
      if (Number.isSafeInteger(v) && v <= INT32_MAX && v >= INT32_MIN && !Object.is(v, -0)) {
        writeHead(T.Int32, key, index);
        ensure(4);
        buf.writeInt32LE(v, pos);
        pos += 4;
      } else {
        writeHead(T.Double, key, index);
        ensure(8);
        buf.writeDoubleLE(v, pos);
        pos += 8;
      }
      return;
    case 'boolean':
      writeHead(T.Boolean, key, index);
      ensure(1);
      buf[pos++] = v ? 1 : 0;
      return;
    case 'undefined':
      // Only reached for array items or when undefined is kept: both are written as null, as BSON.serialize does.
      writeHead(T.Null, key, index);
      return;
    case 'object':
      break;
    default:
      throw UNSUPPORTED;
  }
  if (v === null) {
    writeHead(T.Null, key, index);
    return;
  }
  const o = v as Record<string | symbol, unknown>;
  if (typeof o.toBSON === 'function') throw UNSUPPORTED;
  const tag = o._bsontype;
  if (tag === undefined || tag === null) {
    if (Array.isArray(v)) {
      writeHead(T.Array, key, index);
      writeArray(v, depth + 1);
      return;
    }
    const proto = Object.getPrototypeOf(v) as unknown;
    if (proto === objectProto || proto === null) {
      writeHead(T.Object, key, index);
      writeDocument(o as Record<string, unknown>, depth + 1);
      return;
    }
    if (v instanceof Date) {
      const t = v.getTime();
      if (!Number.isFinite(t)) throw UNSUPPORTED;
      writeHead(T.Date, key, index);
      const hi = Math.floor(t / TWO_32);
      writeInt64(t - hi * TWO_32, hi);
      return;
    }
    throw UNSUPPORTED;
  }
  if (o[BSON_VERSION] !== BSON_MAJOR) throw UNSUPPORTED;
  switch (tag) {
    case 'ObjectId':
      writeHead(T.ObjectId, key, index);
      ensure(12);
      pos += (o as unknown as { serializeInto(b: Uint8Array, i: number): number }).serializeInto(buf, pos);
      return;
    case 'Long':
    case 'Timestamp': {
      const l = o as unknown as { getLowBits(): number; getHighBits(): number };
      writeHead(tag === 'Long' ? T.Long : T.Timestamp, key, index);
      writeInt64(l.getLowBits(), l.getHighBits());
      return;
    }
    case 'Int32':
      writeHead(T.Int32, key, index);
      ensure(4);
      buf.writeInt32LE((o as unknown as { value: number }).value, pos);
      pos += 4;
      return;
    case 'Double':
      writeHead(T.Double, key, index);
      ensure(8);
      buf.writeDoubleLE((o as unknown as { value: number }).value, pos);
      pos += 8;
      return;
    case 'Decimal128':
      writeHead(T.Decimal128, key, index);
      ensure(16);
      buf.set((o as unknown as { bytes: Uint8Array }).bytes.subarray(0, 16), pos);
      pos += 16;
      return;
    case 'Binary': {
      const b = o as unknown as { sub_type: number; buffer: Uint8Array; position: number };
      // Subtype 2 (old binary, a second length) and 9 (vectors, validated by the library) stay with BSON.serialize.
      if (b.sub_type === 2 || b.sub_type === 9) throw UNSUPPORTED;
      writeHead(T.Binary, key, index);
      ensure(5 + b.position);
      buf.writeInt32LE(b.position, pos);
      buf[pos + 4] = b.sub_type;
      pos += 5;
      buf.set(b.buffer.subarray(0, b.position), pos);
      pos += b.position;
      return;
    }
    default:
      throw UNSUPPORTED;
  }
}

/**
 * BSON bytes of `doc` in a new Buffer, after `reserved` leading bytes left
 * for the caller (uninitialised). Undefined when `doc` holds a value this
 * writer does not handle: use `BSON.serialize` then.
 */
export function encodeBsonAfter(reserved: number, doc: Document, options: { ignoreUndefined: boolean }): Buffer | undefined {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return undefined;
  const proto = Object.getPrototypeOf(doc) as unknown;
  if (proto !== objectProto && proto !== null) return undefined;
  if (typeof (doc as { toBSON?: unknown }).toBSON === 'function') return undefined;
  pos = 0;
  keepUndefined = !options.ignoreUndefined;
  let out: Buffer | undefined;
  try {
    writeDocument(doc as Record<string, unknown>, 0);
    out = Buffer.allocUnsafe(reserved + pos);
    buf.copy(out, reserved, 0, pos);
  } catch (err) {
    if (err !== UNSUPPORTED) throw err;
  }
  if (buf.length > KEEP_SCRATCH_BYTES) buf = Buffer.allocUnsafe(SCRATCH_BYTES);
  return out;
}
