/**
 * One client socket: accumulates bytes into complete messages, runs them
 * one after another through the dispatcher and writes the replies. A
 * malformed or oversized message closes this socket only.
 */
import type { Socket } from 'node:net';
import type { Document } from 'bson';
import type { EngineLogger } from './logger.js';
import { HEADER_SIZE, MAX_MESSAGE_SIZE, OP_QUERY, ProtocolError, encodeOpMsg, encodeOpReply, parseMessage, type Request } from './wire.js';

export type CommandRunner = (request: Request, connectionId: number) => Promise<Document>;

export class Connection {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly socket: Socket,
    readonly id: number,
    private readonly run: CommandRunner,
    private readonly log: EngineLogger,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.log.warn('client socket error', { connectionId: id, err: err.message }));
    socket.on('close', () => {
      this.closed = true;
    });
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
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
      let request: Request;
      try {
        request = parseMessage(message);
      } catch (err) {
        this.fail(err instanceof ProtocolError ? err.message : String(err));
        return;
      }
      this.queue = this.queue.then(() => this.handle(request));
    }
  }

  private flatten(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0];
  }

  private async handle(request: Request): Promise<void> {
    if (this.closed) return;
    try {
      const reply = await this.run(request, this.id);
      if (request.moreToCome || this.closed) return;
      const bytes = request.opCode === OP_QUERY ? encodeOpReply(request.requestId, reply) : encodeOpMsg(request.requestId, reply);
      this.socket.write(bytes);
    } catch (err) {
      // e.g. a reply too large to serialize: this connection cannot continue in sync.
      this.fail(`cannot answer request ${request.requestId}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private fail(reason: string): void {
    this.log.error('closing client connection', { connectionId: this.id, reason });
    this.closed = true;
    this.chunks = [];
    this.buffered = 0;
    this.socket.destroy();
  }

  close(): void {
    this.closed = true;
    this.socket.destroy();
  }
}
