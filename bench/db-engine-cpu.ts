/**
 * `npx tsx bench/db-engine-cpu.ts`: the embedded engine's own CPU per request,
 * in-process and without sockets, as the app pays it when the engine runs in
 * its process.
 *
 * 16 in-memory "sockets" feed prebuilt OP_MSG requests to the real
 * `Connection` -> `Dispatcher` -> `Catalog` -> file storage path (journal with
 * group commit and O_DSYNC writes, so every insert is durable before its
 * reply). A reply is delivered back on the next event-loop turn
 * (setImmediate), and only then does that socket send its next request, as a
 * client waiting for its acknowledgement would. The client work here is a
 * header check per reply (every 64th reply is decoded and checked in full), so
 * the process CPU per request is almost all engine: parsing, command, journal
 * encoding and write, reply encoding. It excludes the kernel's TCP cost, which
 * `npm run bench:db` includes.
 *
 * Prints the best and the median of 5 rounds (other work on the machine
 * inflates single rounds).
 */
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BSON, UUID, type Document } from 'bson';
import { Catalog } from '../src/db/embedded/catalog.js';
import { Connection } from '../src/db/embedded/connection.js';
import { CursorRegistry } from '../src/db/embedded/cursors.js';
import { Dispatcher } from '../src/db/embedded/dispatcher.js';
import type { EngineLogger } from '../src/db/embedded/logger.js';
import { openStorage } from '../src/db/embedded/storage/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLIENTS = 16;
const OPS = 20_000;
const ROUNDS = 5;

const quiet: EngineLogger = { info() {}, warn() {}, error: (msg, extra) => console.error(msg, extra ?? '') };

/** Stands in for a net.Socket: the engine writes replies to it, the benchmark emits requests as 'data'. */
class MemorySocket extends EventEmitter {
  onReply: (reply: Buffer) => void = () => undefined;
  setNoDelay(): void {}
  write(reply: Buffer): boolean {
    setImmediate(() => this.onReply(reply));
    return true;
  }
  destroy(): void {}
}

function opMsg(requestId: number, command: Document): Buffer {
  const body = BSON.serialize(command);
  const msg = Buffer.alloc(21 + body.length);
  msg.writeInt32LE(msg.length, 0);
  msg.writeInt32LE(requestId, 4);
  msg.writeInt32LE(2013, 12);
  msg.set(body, 21);
  return msg;
}

const lsid = { id: new UUID() };

async function round(sockets: MemorySocket[], commandFor: (i: number) => Document, check: (reply: Document, i: number) => void): Promise<number> {
  // Requests are built before the clock starts: only the engine's work is timed.
  const requests = Array.from({ length: OPS }, (_, i) => opMsg(i + 1, { ...commandFor(i), lsid, $db: 'bench' }));
  let next = 0;
  const cpu0 = process.cpuUsage();
  await Promise.all(
    sockets.map(
      (s) =>
        new Promise<void>((done, fail) => {
          let current = -1;
          const send = (): void => {
            if (next >= OPS) return done();
            current = next++;
            s.emit('data', requests[current]);
          };
          s.onReply = (reply) => {
            try {
              if (reply.readInt32LE(8) !== current + 1) throw new Error(`reply to ${reply.readInt32LE(8)}, expected ${current + 1}`);
              if (current % 64 === 0) check(BSON.deserialize(reply.subarray(21)), current);
            } catch (err) {
              fail(err as Error);
              return;
            }
            send();
          };
          send();
        }),
    ),
  );
  const cpu = process.cpuUsage(cpu0);
  return (cpu.user + cpu.system) / OPS;
}

async function main(): Promise<void> {
  const base = path.join(root, 'bench-data');
  fs.mkdirSync(base, { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(base, 'engine-cpu-'));
  const storage = await openStorage({ dataDir, logger: quiet });
  const catalog = new Catalog(storage, quiet);
  const dispatcher = new Dispatcher(catalog, new CursorRegistry(), { startedAt: Date.now(), connectionsCurrent: 0, connectionsTotal: 0, host: 'bench' }, quiet);
  try {
    const sockets = Array.from({ length: CLIENTS }, (_, k) => {
      const s = new MemorySocket();
      new Connection(s as never, k + 1, (request, state) => dispatcher.run(request, state), quiet);
      return s;
    });
    const insert = (offset: number) => (i: number) => ({ insert: 'small', documents: [{ _id: offset + i, title: `Azimio namba ${i}`, at: new Date() }], ordered: true });
    const checkInsert = (reply: Document, i: number): void => {
      if (reply.ok !== 1 || reply.n !== 1 || reply.writeErrors) throw new Error(`insert ${i}: ${JSON.stringify(reply)}`);
    };
    const find = (i: number) => ({ find: 'small', filter: { _id: (i * 7919) % OPS }, limit: 1, singleBatch: true, batchSize: 1 });
    const checkFind = (reply: Document, i: number): void => {
      const doc = (reply.cursor as { firstBatch: Document[] }).firstBatch[0];
      if (reply.ok !== 1 || doc?._id !== (i * 7919) % OPS) throw new Error(`find ${i}: ${JSON.stringify(reply)}`);
    };
    // Warm-up (JIT), then the measured rounds.
    await round(sockets, insert(-1_000_000), checkInsert);
    const inserts: number[] = [];
    const finds: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      inserts.push(await round(sockets, insert(r * OPS), checkInsert));
      finds.push(await round(sockets, find, checkFind));
    }
    const best = (xs: number[]): string => Math.min(...xs).toFixed(1);
    const median = (xs: number[]): string => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)].toFixed(1);
    const { syncs, records } = (storage as unknown as { stats(): { syncs: number; records: number } }).stats();
    console.log(
      [
        '',
        `| engine CPU per request, in-process, ${CLIENTS} clients, ${OPS} ops x ${ROUNDS} rounds | best (us) | median (us) |`,
        '|---|---:|---:|',
        `| insert, acknowledged after the journal write | ${best(inserts)} | ${median(inserts)} |`,
        `| find by _id | ${best(finds)} | ${median(finds)} |`,
        `group commit: ${records} records in ${syncs} durable writes (${(records / syncs).toFixed(1)} per write)`,
        `load average at the end: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; node ${process.version}, ${os.cpus().length} CPUs`,
      ].join('\n'),
    );
  } finally {
    await catalog.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
