/**
 * Child process for lock-race.test.ts: `node --import tsx lock-contender.ts <dataDir>`.
 * Prints `loaded`, then for every `go` line on stdin tries to start the engine on
 * dataDir: `serving` once it took the directory and stored one document through the
 * driver (it then serves until killed), `locked` when another process holds it.
 */
import { createInterface } from 'node:readline';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../../../src/db/embedded/index.js';

const dataDir = process.argv[2];

async function attempt(): Promise<string> {
  try {
    const engine = await startEmbeddedMongo({ dataDir, port: 0 });
    const client = await MongoClient.connect(engine.uri);
    await client.db('race').collection('owners').insertOne({ pid: process.pid });
    return 'serving';
  } catch (err) {
    return (err as Error).name === 'DataDirLockedError' ? 'locked' : `error ${(err as Error).message}`;
  }
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line === 'go') void attempt().then((outcome) => process.stdout.write(`${outcome}\n`));
});
process.stdout.write('loaded\n');
