/**
 * Child process for crash.test.ts: `node --import tsx crash-writer.ts <dataDir> <run>`.
 * Starts the engine on dataDir and streams writes through the driver until it
 * is killed. Prints `ready` once connected, then one line per acknowledged write:
 *   I <id>          an insert of { _id: id }
 *   U <k> <v>       an update that set both a and b of pair-k to v (v grows)
 * A small compaction threshold makes compactions frequent, so kills land
 * inside them too.
 */
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../../../src/db/embedded/index.js';

const [dataDir, runArg] = process.argv.slice(2);
const run = Number(runArg);
const WORKERS = 8;

const engine = await startEmbeddedMongo({ dataDir, compactThresholdBytes: 16 * 1024 });
const client = await MongoClient.connect(engine.uri, { maxPoolSize: WORKERS });
const coll = client.db('crash').collection<{ _id: number | string; [k: string]: unknown }>('writes');
process.stdout.write('ready\n');

let seq = 0;
async function worker(k: number): Promise<never> {
  for (;;) {
    const n = ++seq;
    const value = run * 1_000_000 + n;
    if (n % 3 === 0) {
      await coll.updateOne({ _id: `pair-${k}` }, { $set: { a: value, b: value, pad: 'p'.repeat(n % 200) } }, { upsert: true });
      process.stdout.write(`U ${k} ${value}\n`);
    } else {
      await coll.insertOne({ _id: value, run, text: 'maazimio '.repeat(1 + (n % 20)) });
      process.stdout.write(`I ${value}\n`);
    }
  }
}

await Promise.all(Array.from({ length: WORKERS }, (_, k) => worker(k)));
