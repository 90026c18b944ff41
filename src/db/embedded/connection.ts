/**
 * One client socket: accumulates bytes into complete messages, runs them
 * one after another through the dispatcher and writes the replies. A
 * malformed or oversized message closes this socket only.
 *
 * A command answered synchronously (reads) is replied to within the same
 * 'data' event; one that waits (a journal commit) makes the requests that
 * arrive meanwhile queue behind it, so replies keep the order of requests.
 */
import type { Socket } from 'node:net';
import type { Document } from 'bson';
import type { ConnectionState } from './commands/context.js';
import type { EngineLogger } from './logger.js';
import { HEADER_SIZE, MAX_MESSAGE_SIZE, OP_QUERY, ProtocolError, encodeOpMsg, encodeOpReply, parseMessage, type Request } from './wire.js';

export type CommandRunner = (request: Request, connection: ConnectionState) => Document | Promise<Document>;

export class Connection {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Requests waiting for the one in progress. */
  private backlog: Request[] = [];
  private busy = false;
  private closed = false;
  private readonly state: ConnectionState;

  constructor(
    private readonly socket: Socket,
    readonly id: number,
    private readonly run: CommandRunner,
    private readonly log: EngineLogger,
  ) {
    this.state = { id };
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.log.warn('client socket error', { connectionId: id, err: err.message }));
    socket.on('close', () => {
      this.closed = true;
    });
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    if (this.buffered === 0 && chunk.length >= HEADER_SIZE && chunk.readInt32LE(0) === chunk.length && chunk.length <= MAX_MESSAGE_SIZE) {
      // The common case: the chunk is exactly one message.
      this.accept(chunk);
      return;
    }
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= 4) {
      if (this.chunks[0].length < 4) this.flatten();
      const length = this.chunks[0].readInt32LE(0);
      if (length < HEADER_SIZE || length > MAX_MESSAGE_SIZE) {
        this.fail(`invalid message length ${length}`);
        return;
      }
      if (this.buffered < length) return;
      const all = this.flatten();
      const message = all.subarray(0, length);
      const rest = all.subarray(length);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
      if (!this.accept(message)) return;
    }
  }

  /** Parses one complete message and runs or queues it; false when the connection was closed. */
  private accept(message: Buffer): boolean {
    let request: Request;
    try {
      request = parseMessage(message);
    } catch (err) {
      this.fail(err instanceof ProtocolError ? err.message : String(err));
      return false;
    }
    if (this.busy) this.backlog.push(request);
    else this.runFrom(request);
    return true;
  }

  /** Runs `request` and then the backlog, until a command has to wait. */
  private runFrom(request: Request): void {
    let next: Request | undefined = request;
    while (next) {
      const waiting = this.handle(next);
      if (waiting) {
        this.busy = true;
        void waiting.then(() => {
          this.busy = false;
          const queued = this.backlog.shift();
          if (queued) this.runFrom(queued);
        });
        return;
      }
      next = this.backlog.shift();
    }
  }

  private flatten(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0];
  }

  /** Answers `request`; returns a promise only when the reply is not ready yet. */
  private handle(request: Request): Promise<void> | undefined {
    if (this.closed) return undefined;
    let reply: Document | Promise<Document>;
    try {
      reply = this.run(request, this.state);
    } catch (err) {
      this.cannotAnswer(request, err);
      return undefined;
    }
    if (reply instanceof Promise) {
      return reply.then(
        (r) => this.reply(request, r),
        (err: unknown) => this.cannotAnswer(request, err),
      );
    }
    this.reply(request, reply);
    return undefined;
  }

  private reply(request: Request, reply: Document): void {
    if (request.moreToCome || this.closed) return;
    let bytes: Buffer;
    try {
      bytes = request.opCode === OP_QUERY ? encodeOpReply(request.requestId, reply) : encodeOpMsg(request.requestId, reply);
    } catch (err) {
      this.cannotAnswer(request, err);
      return;
    }
    this.socket.write(bytes);
  }

  /** e.g. a reply too large to serialize: this connection cannot continue in sync. */
  private cannotAnswer(request: Request, err: unknown): void {
    this.fail(`cannot answer request ${request.requestId}: ${err instanceof Error ? err.message : String(err)}`);
  }

  private fail(reason: string): void {
    this.log.error('closing client connection', { connectionId: this.id, reason });
    this.closed = true;
    this.chunks = [];
    this.buffered = 0;
    this.backlog = [];
    this.socket.destroy();
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }
}
