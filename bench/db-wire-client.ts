/**
 * A minimal MongoDB wire-protocol client for `bench/db.bench.ts`: N sockets,
 * each with exactly one OP_MSG command in flight. A socket sends its next
 * command only after the reply to the previous one arrived and passed the
 * caller's check, so every counted operation is an acknowledged round trip,
 * exactly what one driver connection does, minus the driver's own CPU work
 * (server selection, session pool, timeouts, command monitoring, cursor
 * objects). Commands carry an `lsid` and `$db` as the driver's do.
 *
 * It exists to measure the ENGINE's capacity on a 2-core machine where one
 * Node process running the official driver saturates its own core first.
 */
import { connect, type Socket } from 'node:net';
import { BSON, UUID, type Document } from 'bson';

const OP_MSG = 2013;
const HEADER_SIZE = 16;
const CHECKSUM_PRESENT = 1;

/** Builds the command for operation `i` (the `$db` field is added by the client). */
export type CommandFor = (i: number) => Document;
/** Throws when the reply to operation `i` is not what an acknowledged success looks like. */
export type ReplyCheck = (reply: Document, i: number) => void;

export interface WireRun {
  /** Wall-clock time from the first send to the last checked reply. */
  ms: number;
  /** CPU time (user + system) of this process during the run. */
  clientCpuMs: number;
}

function hostPort(uri: string): { host: string; port: number } {
  const m = /^mongodb:\/\/([^:/,]+):(\d+)/.exec(uri);
  if (!m) throw new Error(`the wire client needs a host:port URI, got ${uri}`);
  return { host: m[1], port: Number(m[2]) };
}

function encodeOpMsg(requestId: number, command: Document): Buffer {
  const body = BSON.serialize(command);
  const msg = Buffer.allocUnsafe(HEADER_SIZE + 5 + body.length);
  msg.writeInt32LE(msg.length, 0);
  msg.writeInt32LE(requestId, 4);
  msg.writeInt32LE(0, 8);
  msg.writeInt32LE(OP_MSG, 12);
  msg.writeUInt32LE(0, 16);
  msg[20] = 0; // section kind 0: the body document
  msg.set(body, 21);
  return msg;
}

/** Decodes an OP_MSG reply that answers `requestId`; throws on anything else. */
function decodeReply(msg: Buffer, requestId: number): Document {
  const responseTo = msg.readInt32LE(8);
  const opCode = msg.readInt32LE(12);
  if (opCode !== OP_MSG) throw new Error(`reply opCode ${opCode}, expected OP_MSG`);
  if (responseTo !== requestId) throw new Error(`reply answers request ${responseTo}, expected ${requestId}`);
  const flags = msg.readUInt32LE(16);
  const end = flags & CHECKSUM_PRESENT ? msg.length - 4 : msg.length;
  if (msg[20] !== 0) throw new Error(`reply section kind ${msg[20]}, expected 0`);
  return BSON.deserialize(msg.subarray(21, end));
}

class WireSocket {
  /** Like the driver's implicit session on this connection: every command carries it. */
  readonly lsid = { id: new UUID() };
  private pending: { requestId: number; resolve: (reply: Document) => void; reject: (err: Error) => void } | undefined;
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.failPending(err));
    socket.on('close', () => this.failPending(new Error('socket closed before the reply arrived')));
  }

  send(requestId: number, command: Document): Promise<Document> {
    if (this.pending) throw new Error('one command at a time per socket');
    return new Promise((resolve, reject) => {
      this.pending = { requestId, resolve, reject };
      this.socket.write(encodeOpMsg(requestId, command));
    });
  }

  private onData(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered < 4) return;
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    this.chunks = [all];
    const length = all.readInt32LE(0);
    if (this.buffered < length) return;
    if (this.buffered > length) {
      this.failPending(new Error('the server sent more than one reply to one request'));
      return;
    }
    this.chunks = [];
    this.buffered = 0;
    const p = this.pending;
    this.pending = undefined;
    if (!p) throw new Error('reply without a request');
    try {
      p.resolve(decodeReply(all, p.requestId));
    } catch (err) {
      p.reject(err as Error);
    }
  }

  private failPending(err: Error): void {
    const p = this.pending;
    this.pending = undefined;
    p?.reject(err);
  }
}

export class WireClientPool {
  private nextRequestId = 1;

  private constructor(
    private readonly sockets: WireSocket[],
    private readonly db: string,
  ) {}

  /** Opens `size` sockets to the `mongodb://host:port` of `uri`. */
  static async open(uri: string, db: string, size: number): Promise<WireClientPool> {
    const { host, port } = hostPort(uri);
    const sockets = await Promise.all(
      Array.from(
        { length: size },
        () =>
          new Promise<Socket>((resolve, reject) => {
            const s = connect(port, host, () => resolve(s));
            s.once('error', reject);
          }),
      ),
    );
    return new WireClientPool(
      sockets.map((s) => new WireSocket(s)),
      db,
    );
  }

  /** One command, checked (e.g. a warm-up). */
  async command(command: Document): Promise<Document> {
    return this.sockets[0].send(this.nextRequestId++, { ...command, $db: this.db });
  }

  /**
   * Runs operations 0..total-1 over all sockets, each socket waiting for its
   * reply (and `check`) before it sends the next command.
   */
  async run(total: number, commandFor: CommandFor, check: ReplyCheck): Promise<WireRun> {
    let next = 0;
    const cpu0 = process.cpuUsage();
    const started = performance.now();
    await Promise.all(
      this.sockets.map(async (s) => {
        while (next < total) {
          const i = next++;
          const command = commandFor(i);
          // Shaped like the driver's commands: the session id and the database name.
          command.lsid = s.lsid;
          command.$db = this.db;
          check(await s.send(this.nextRequestId++, command), i);
        }
      }),
    );
    const ms = performance.now() - started;
    const cpu = process.cpuUsage(cpu0);
    return { ms, clientCpuMs: (cpu.user + cpu.system) / 1000 };
  }

  close(): void {
    for (const s of this.sockets) s.socket.destroy();
  }
}

/** An acknowledged single-document insert: `ok: 1`, `n: 1`, no write errors. */
export function checkInsertReply(reply: Document, i: number): void {
  if (reply.ok !== 1 || reply.n !== 1 || reply.writeErrors !== undefined || reply.writeConcernError !== undefined) {
    throw new Error(`insert ${i} not acknowledged: ${JSON.stringify(reply)}`);
  }
}

/** The first batch of a find: exactly one document, accepted by `expect`. */
export function checkFindOneReply(reply: Document, expect: (doc: Document) => boolean): Document {
  const batch = (reply.cursor as { firstBatch?: Document[] } | undefined)?.firstBatch;
  if (reply.ok !== 1 || !Array.isArray(batch) || batch.length !== 1 || !expect(batch[0])) {
    throw new Error(`unexpected find reply: ${JSON.stringify(reply)}`);
  }
  return batch[0];
}
