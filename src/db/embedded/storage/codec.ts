/**
 * BSON encoding of journal and snapshot payloads, and the record framing shared
 * by both file kinds:
 *
 *   [length: u32 LE][crc32: u32 LE][payload: `length` bytes]
 *
 * The CRC-32 covers the four length bytes followed by the payload, so a flipped
 * bit in the length is caught too.
 */
import { crc32 } from 'node:zlib';
import { deserialize, deserializeStream, serialize, type Document } from 'bson';
import { encodeBsonAfter } from '../bson-writer.js';
import { keepNumberTypes } from '../values.js';

export const RECORD_HEADER_BYTES = 8;
/** Upper bound for one record; anything larger in a length field is treated as garbage. */
export const MAX_RECORD_BYTES = 512 * 1024 * 1024;

/**
 * How payloads are decoded: numbers keep their BSON types as the engine holds
 * them (`keepNumberTypes`: int64 stays `Long`, an integral double stays
 * `Double`), and binary data stays `Binary`.
 */
const DESERIALIZE_OPTIONS = { promoteLongs: false, promoteBuffers: false, promoteValues: false, bsonRegExp: false } as const;
/** `undefined` is kept as BSON null, exactly as the driver sends it. */
const SERIALIZE_OPTIONS = { checkKeys: false, ignoreUndefined: false, serializeFunctions: false } as const;
const WRITER_OPTIONS = { ignoreUndefined: false } as const;

/**
 * Serializes a document (at most the serializer's 17 MB buffer, which any single MongoDB document fits in).
 * The engine's own writer produces the same bytes faster; the library handles what the writer does not.
 */
export function encodeDocument(doc: Document): Buffer {
  const fast = encodeBsonAfter(0, doc, WRITER_OPTIONS);
  if (fast) return fast;
  const bytes = serialize(doc, SERIALIZE_OPTIONS);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Serializes `{ [key]: items }`. Large arrays (an insert batch may exceed the
 * serializer's 17 MB buffer) are assembled from separately serialized items.
 */
export function encodeArrayDocument(key: string, items: Document[]): Buffer {
  try {
    return encodeDocument({ [key]: items });
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
  }
  const parts: Buffer[] = [];
  let arrayBytes = 4 + 1;
  items.forEach((item, i) => {
    const element = Buffer.concat([Buffer.from([0x03]), Buffer.from(`${i}\0`, 'latin1'), encodeDocument(item)]);
    parts.push(element);
    arrayBytes += element.length;
  });
  const keyBytes = Buffer.from(`${key}\0`, 'utf8');
  const total = 4 + 1 + keyBytes.length + arrayBytes + 1;
  const head = Buffer.allocUnsafe(4 + 1 + keyBytes.length + 4);
  head.writeInt32LE(total, 0);
  head.writeUInt8(0x04, 4);
  keyBytes.copy(head, 5);
  head.writeInt32LE(arrayBytes, 5 + keyBytes.length);
  return Buffer.concat([head, ...parts, Buffer.from([0x00, 0x00])], total);
}

export function decodeDocument(bytes: Uint8Array): Document {
  return keepNumberTypes(deserialize(bytes, DESERIALIZE_OPTIONS));
}

/** Decodes `count` BSON documents stored back to back from `start`; returns the offset after the last one. */
export function decodeDocumentsInto(bytes: Uint8Array, start: number, count: number, into: Document[]): number {
  const first = into.length;
  const end = deserializeStream(bytes, start, count, into, first, DESERIALIZE_OPTIONS);
  for (let i = first; i < into.length; i++) keepNumberTypes(into[i]);
  return end;
}

export function recordChecksum(lengthBytes: Uint8Array, payload: Uint8Array): number {
  return crc32(payload, crc32(lengthBytes));
}

/** Returns the 8-byte header for a payload (the payload itself is written after it). */
export function frameHeader(payload: Uint8Array): Buffer {
  const header = Buffer.allocUnsafe(RECORD_HEADER_BYTES);
  header.writeUInt32LE(payload.byteLength, 0);
  header.writeUInt32LE(recordChecksum(header.subarray(0, 4), payload), 4);
  return header;
}

export function frame(payload: Uint8Array): Buffer {
  return Buffer.concat([frameHeader(payload), payload]);
}

/**
 * One framed record holding `{ [key]: items }`: the same bytes as
 * `frame(encodeArrayDocument(key, items))`, encoded in place behind its header
 * when the engine's writer handles every value (one allocation, no copies).
 */
export function encodeFramedArrayRecord(key: string, items: Document[]): Buffer {
  const record = encodeBsonAfter(RECORD_HEADER_BYTES, { [key]: items }, WRITER_OPTIONS);
  if (!record) return frame(encodeArrayDocument(key, items));
  record.writeUInt32LE(record.length - RECORD_HEADER_BYTES, 0);
  record.writeUInt32LE(recordChecksum(record.subarray(0, 4), record.subarray(RECORD_HEADER_BYTES)), 4);
  return record;
}

export type RecordCheck =
  | { ok: true; payload: Buffer; end: number }
  | { ok: false; reason: 'incomplete-header' | 'bad-length' | 'truncated' | 'bad-checksum' };

/** Checks the record that starts at `offset` (framing and checksum only). */
export function checkRecord(buf: Buffer, offset: number): RecordCheck {
  if (offset + RECORD_HEADER_BYTES > buf.length) return { ok: false, reason: 'incomplete-header' };
  const length = buf.readUInt32LE(offset);
  if (length < 5 || length > MAX_RECORD_BYTES) return { ok: false, reason: 'bad-length' };
  const end = offset + RECORD_HEADER_BYTES + length;
  if (end > buf.length) return { ok: false, reason: 'truncated' };
  const payload = buf.subarray(offset + RECORD_HEADER_BYTES, end);
  if (recordChecksum(buf.subarray(offset, offset + 4), payload) !== buf.readUInt32LE(offset + 4)) {
    return { ok: false, reason: 'bad-checksum' };
  }
  return { ok: true, payload, end };
}

/**
 * Looks for any intact record starting after `from`. Used to tell a torn tail
 * (nothing valid follows the damage) from corruption in the middle of a file
 * (valid data follows, so cutting the file would lose acknowledged writes).
 * `isValid` may add a payload check (e.g. that it decodes).
 */
export function findNextValidRecord(buf: Buffer, from: number, isValid: (payload: Buffer) => boolean): number {
  for (let pos = from; pos + RECORD_HEADER_BYTES <= buf.length; pos++) {
    const length = buf.readUInt32LE(pos);
    if (length < 5 || length > MAX_RECORD_BYTES || pos + RECORD_HEADER_BYTES + length > buf.length) continue;
    const check = checkRecord(buf, pos);
    if (check.ok && isValid(check.payload)) return pos;
  }
  return -1;
}
