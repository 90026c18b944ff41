/**
 * MongoDB wire protocol codec: parses OP_MSG and OP_QUERY requests and
 * encodes OP_MSG and OP_REPLY responses. Throws `ProtocolError` on anything
 * malformed so the connection can be closed.
 */
import { BSON, type Document } from 'bson';
import { encodeBsonAfter } from './bson-writer.js';
import { keepNumberTypes } from './values.js';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_COMPRESSED = 2012;
export const OP_MSG = 2013;
export const HEADER_SIZE = 16;
/** Advertised maxMessageSizeBytes; anything larger closes the connection. */
export const MAX_MESSAGE_SIZE = 48_000_000;

const CHECKSUM_PRESENT = 1;
const MORE_TO_COME = 2;
const KNOWN_MSG_FLAGS = CHECKSUM_PRESENT | MORE_TO_COME | (1 << 16);

export class ProtocolError extends Error {}

export interface Request {
  requestId: number;
  opCode: number;
  /** The command document with kind-1 sections folded in. */
  command: Document;
  /** OP_MSG with moreToCome: the client expects no reply. */
  moreToCome: boolean;
  /** For OP_QUERY: the namespace the query targeted (e.g. "admin.$cmd"). */
  queryNs?: string;
}

/** Number types are kept (see `keepNumberTypes`): an integral double stays a double, an int64 a Long. */
const DESERIALIZE = { promoteLongs: false, promoteValues: false, promoteBuffers: false, bsonRegExp: false } as const;

function readDoc(buf: Buffer, offset: number, end: number): { doc: Document; next: number } {
  if (offset + 5 > end) throw new ProtocolError('truncated BSON document');
  const size = buf.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new ProtocolError(`invalid BSON document size ${size}`);
  try {
    const doc = keepNumberTypes(BSON.deserialize(buf.subarray(offset, offset + size), DESERIALIZE));
    return { doc, next: offset + size };
  } catch (err) {
    throw new ProtocolError(`invalid BSON: ${(err as Error).message}`);
  }
}

function readCString(buf: Buffer, offset: number, end: number): { value: string; next: number } {
  const zero = buf.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw new ProtocolError('unterminated cstring');
  return { value: buf.toString('utf8', offset, zero), next: zero + 1 };
}

/** Parses one complete message (header included). */
export function parseMessage(msg: Buffer): Request {
  if (msg.length < HEADER_SIZE) throw new ProtocolError('message shorter than its header');
  const requestId = msg.readInt32LE(4);
  const opCode = msg.readInt32LE(12);
  if (opCode === OP_MSG) return parseOpMsg(msg, requestId);
  if (opCode === OP_QUERY) return parseOpQuery(msg, requestId);
  throw new ProtocolError(`unsupported opCode ${opCode}`);
}

function parseOpMsg(msg: Buffer, requestId: number): Request {
  if (msg.length < HEADER_SIZE + 5) throw new ProtocolError('OP_MSG too short');
  const flags = msg.readUInt32LE(16);
  // Unknown required bits (0-15) must make the message fail, per the OP_MSG spec.
  if ((flags & 0xffff & ~KNOWN_MSG_FLAGS) !== 0) throw new ProtocolError(`unknown OP_MSG flags ${flags}`);
  const end = flags & CHECKSUM_PRESENT ? msg.length - 4 : msg.length;
  let offset = 20;
  let body: Document | undefined;
  const sequences: [string, Document[]][] = [];
  while (offset < end) {
    const kind = msg[offset++];
    if (kind === 0) {
      if (body) throw new ProtocolError('OP_MSG with two body sections');
      const r = readDoc(msg, offset, end);
      body = r.doc;
      offset = r.next;
    } else if (kind === 1) {
      if (offset + 4 > end) throw new ProtocolError('truncated document sequence');
      const size = msg.readInt32LE(offset);
      const seqEnd = offset + size;
      if (size < 5 || seqEnd > end) throw new ProtocolError('invalid document sequence size');
      const id = readCString(msg, offset + 4, seqEnd);
      let p = id.next;
      const docs: Document[] = [];
      while (p < seqEnd) {
        const r = readDoc(msg, p, seqEnd);
        docs.push(r.doc);
        p = r.next;
      }
      sequences.push([id.value, docs]);
      offset = seqEnd;
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new ProtocolError('OP_MSG without a body section');
  for (const [field, docs] of sequences) body[field] = docs;
  return { requestId, opCode: OP_MSG, command: body, moreToCome: (flags & MORE_TO_COME) !== 0 };
}

function parseOpQuery(msg: Buffer, requestId: number): Request {
  const end = msg.length;
  const ns = readCString(msg, 20, end);
  const q = readDoc(msg, ns.next + 8, end);
  let command = q.doc;
  // Old drivers wrap the command as { $query: {...}, $readPreference: ... }.
  if (command.$query && typeof command.$query === 'object') command = command.$query as Document;
  return { requestId, opCode: OP_QUERY, command, moreToCome: false, queryNs: ns.value };
}

let nextResponseId = 1;
/** Replies leave undefined fields out, as `BSON.serialize` does by default. */
const REPLY_BSON = { ignoreUndefined: true } as const;

/** The reply document behind `prefix` bytes for the caller to fill: one allocation. */
function withBody(prefix: number, doc: Document): Buffer {
  const fast = encodeBsonAfter(prefix, doc, REPLY_BSON);
  if (fast) return fast;
  const body = BSON.serialize(doc);
  const msg = Buffer.allocUnsafe(prefix + body.length);
  msg.set(body, prefix);
  return msg;
}

function writeHeader(msg: Buffer, responseTo: number, opCode: number): void {
  msg.writeInt32LE(msg.length, 0);
  msg.writeInt32LE(nextResponseId++, 4);
  msg.writeInt32LE(responseTo, 8);
  msg.writeInt32LE(opCode, 12);
}

export function encodeOpMsg(responseTo: number, doc: Document): Buffer {
  const msg = withBody(HEADER_SIZE + 5, doc);
  writeHeader(msg, responseTo, OP_MSG);
  msg.writeUInt32LE(0, HEADER_SIZE); // flagBits
  msg[HEADER_SIZE + 4] = 0; // section kind 0: the body
  return msg;
}

export function encodeOpReply(responseTo: number, doc: Document, responseFlags = 0): Buffer {
  const msg = withBody(HEADER_SIZE + 20, doc);
  writeHeader(msg, responseTo, OP_REPLY);
  msg.writeInt32LE(responseFlags, HEADER_SIZE);
  // cursorID (int64) 0, startingFrom 0, numberReturned 1.
  msg.fill(0, HEADER_SIZE + 4, HEADER_SIZE + 16);
  msg.writeInt32LE(1, HEADER_SIZE + 16);
  return msg;
}
