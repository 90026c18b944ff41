import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '../../../src/db/embedded/index.js';
import { startApp, stopApp } from '../../helpers/app-process.js';

/** Opens the stopped app's database directly (the app holds the data directory while it runs). */
async function withDatabase<T>(dataDir: string, work: (db: ReturnType<MongoClient['db']>) => Promise<T>): Promise<T> {
  const engine = await startEmbeddedMongo({ dataDir: join(dataDir, 'db'), port: 0 });
  const client = await MongoClient.connect(engine.uri);
  try {
    return await work(client.db('maazimio'));
  } finally {
    await client.close();
    await engine.stop();
  }
}

describe('server start-up (child process)', function () {
  this.timeout(180_000);
  let dataDir: string;
  before(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'maazimio-server-'));
  });
  after(() => rmSync(dataDir, { recursive: true, force: true }));

  it('when started on a fresh data dir, then it seeds, prints the URL and accounts, answers, and stops cleanly on SIGTERM; a second start does not reseed and finishes a progress write cut off by a kill', async () => {
    const first = await startApp(dataDir, 0);
    expect(first.output()).to.contain('Demo accounts');
    expect(first.output()).to.match(/admin\s+admin@maazimio\.go\.tz\s+\S+/);
    const health = await fetch(`${first.url}/healthz`);
    expect(health.status).to.equal(200);
    const home = await fetch(`${first.url}/login`);
    expect(home.status).to.equal(200);
    expect(await stopApp(first)).to.equal(0);

    // A progress write killed between claiming its version and inserting its report.
    const cut = await withDatabase(dataDir, async (db) => {
      const report = await db.collection('progressreports').findOne({});
      await db.collection('progressreports').deleteOne({ _id: report!._id });
      await db.collection('progressitems').updateOne({ _id: report!.item }, { $set: { pending: report } });
      return report!;
    });

    const second = await startApp(dataDir, 0);
    expect(second.output()).to.not.contain('Demo accounts');
    expect(second.output()).to.contain('npm run create-admin');
    expect((await fetch(`${second.url}/healthz`)).status).to.equal(200);
    expect(await stopApp(second)).to.equal(0);
    await withDatabase(dataDir, async (db) => {
      expect(await db.collection('progressreports').countDocuments({ _id: cut._id })).to.equal(1);
      expect((await db.collection('progressitems').findOne({ _id: cut.item }))!.pending).to.equal(null);
    });
  });
});
