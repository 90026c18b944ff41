/** A minimal raw wire-protocol client for tests that must send exact bytes. */
import { connect, type Socket } from 'node:net';
import { BSON, type Document } from 'mongodb';

export function hostPort(uri: string): { host: string; port: number } {
  const m = /^mongodb:\/\/([^:/,]+):(\d+)/.exec(uri);
  if (!m) throw new Error(`cannot parse host:port from ${uri}`);
  return { host: m[1], port: Number(m[2]) };
}

export function openSocket(uri: string): Promise<Socket> {
  const { host, port } = hostPort(uri);
  return new Promise((resolve, reject) => {
    const s = connect(port, host, () => resolve(s));
    s.once('error', reject);
  });
}

/** Resolves when the server closes the socket. */
export function waitForClose(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    if (socket.destroyed) resolve();
    socket.once('close', () => resolve());
    socket.on('error', () => undefined);
    socket.resume();
  });
}

/** Reads one complete reply message. */
export function readMessage(socket: Socket): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length >= 4 && buf.length >= buf.readInt32LE(0)) {
        socket.off('data', onData);
        resolve(buf.subarray(0, buf.readInt32LE(0)));
      }
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error('socket closed before a reply arrived')));
  });
}

function header(length: number, requestId: number, opCode: number): Buffer {
  const h = Buffer.alloc(16);
  h.writeInt32LE(length, 0);
  h.writeInt32LE(requestId, 4);
  h.writeInt32LE(0, 8);
  h.writeInt32LE(opCode, 12);
  return h;
}

export function opQuery(ns: string, query: Document, requestId = 1): Buffer {
  const nsBuf = Buffer.from(`${ns}\0`, 'utf8');
  const body = Buffer.concat([Buffer.alloc(4), nsBuf, Buffer.alloc(4), Buffer.from([0xff, 0xff, 0xff, 0xff]), Buffer.from(BSON.serialize(query))]);
  return Buffer.concat([header(16 + body.length, requestId, 2004), body]);
}

export function parseOpReply(msg: Buffer): { opCode: number; numberReturned: number; doc: Document } {
  return { opCode: msg.readInt32LE(12), numberReturned: msg.readInt32LE(32), doc: BSON.deserialize(msg.subarray(36)) };
}

const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

function crc32c(buf: Buffer): number {
  let crc = 0xffffffff;
  for (const b of buf) crc = CRC32C_TABLE[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** An OP_MSG with a body section and optional document sequences (kind 1). */
export function opMsg(body: Document, sequences: Record<string, Document[]> = {}, opts: { checksum?: boolean; moreToCome?: boolean; requestId?: number } = {}): Buffer {
  const parts: Buffer[] = [Buffer.from([0]), Buffer.from(BSON.serialize(body))];
  for (const [id, docs] of Object.entries(sequences)) {
    const payload = Buffer.concat([Buffer.from(`${id}\0`, 'utf8'), ...docs.map((d) => Buffer.from(BSON.serialize(d)))]);
    const size = Buffer.alloc(4);
    size.writeInt32LE(4 + payload.length, 0);
    parts.push(Buffer.from([1]), size, payload);
  }
  const flags = Buffer.alloc(4);
  flags.writeUInt32LE((opts.checksum ? 1 : 0) | (opts.moreToCome ? 2 : 0), 0);
  const sections = Buffer.concat(parts);
  const length = 16 + 4 + sections.length + (opts.checksum ? 4 : 0);
  const msg = Buffer.concat([header(length, opts.requestId ?? 7, 2013), flags, sections]);
  if (!opts.checksum) return msg;
  const sum = Buffer.alloc(4);
  sum.writeUInt32LE(crc32c(msg), 0);
  return Buffer.concat([msg, sum]);
}

export function parseOpMsgReply(msg: Buffer): Document {
  return BSON.deserialize(msg.subarray(21));
}
