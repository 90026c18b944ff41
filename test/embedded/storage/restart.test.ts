import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { Binary, Decimal128, Long, MongoClient, ObjectId, MongoServerError } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../../src/db/embedded/index.js';
import { openStorage } from '../../../src/db/embedded/storage/index.js';
import { captureLogger, removeTempDirs, tempDir } from './helpers.js';

interface Running {
  engine: EmbeddedMongo;
  client: MongoClient;
}

async function start(dataDir: string, extra: { compactThresholdBytes?: number; logger?: ReturnType<typeof captureLogger> } = {}): Promise<Running> {
  const engine = await startEmbeddedMongo({ dataDir, logger: extra.logger, compactThresholdBytes: extra.compactThresholdBytes });
  const client = await MongoClient.connect(engine.uri, { serverSelectionTimeoutMS: 5000 });
  return { engine, client };
}

async function stop({ engine, client }: Running): Promise<void> {
  await client.close();
  await engine.stop();
}

function journals(dir: string): string[] {
  return fs.readdirSync(dir).filter((f) => f.startsWith('journal-'));
}

describe('embedded storage through the driver: restart', () => {
  afterEach(removeTempDirs);

  it('when data is written and the engine restarts on the same directory, then documents, collections and indexes are there', async () => {
    const dir = tempDir();
    const id = new ObjectId();
    let running = await start(dir);
    const db = running.client.db('maazimio');
    await db.createCollection('meetings');
    await db.collection('institutions').createIndex({ code: 1 }, { unique: true, name: 'code_unique' });
    await db.collection('institutions').createIndex({ region: 1, name: 1 });
    await db.collection('institutions').insertMany([
      { _id: id, code: 'EGA', name: 'e-Government Authority', region: 'Dodoma', budget: Decimal128.fromString('1000.50'), big: Long.fromString('9007199254740993'), logo: new Binary(Buffer.from('png')), createdAt: new Date('2026-01-02T03:04:05Z') },
      { code: 'TRA', name: 'Tanzania Revenue Authority', region: 'Dar es Salaam' },
    ]);
    await db.collection('institutions').updateOne({ code: 'TRA' }, { $set: { name: 'TRA' }, $inc: { visits: 2 } });
    await db.collection('scratch').insertOne({ a: 1 });
    await db.collection('scratch').drop();
    await db.collection('resolutions').insertMany(Array.from({ length: 150 }, (_, i) => ({ n: i })));
    await db.collection('resolutions').deleteMany({ n: { $gte: 100 } });
    await stop(running);

    running = await start(dir);
    const again = running.client.db('maazimio');
    try {
      const names = (await again.listCollections().toArray()).map((c) => c.name).sort();
      expect(names).to.deep.equal(['institutions', 'meetings', 'resolutions']);
      const ega = await again.collection('institutions').findOne({ _id: id }, { promoteLongs: false });
      expect(ega?.code).to.equal('EGA');
      expect(ega?.budget).to.be.instanceOf(Decimal128);
      expect(ega?.budget.toString()).to.equal('1000.50');
      expect(ega?.logo).to.be.instanceOf(Binary);
      expect(ega?.createdAt).to.deep.equal(new Date('2026-01-02T03:04:05Z'));
      expect(await again.collection('institutions').findOne({ code: 'TRA' }, { projection: { _id: 0, name: 1, visits: 1 } })).to.deep.equal({ name: 'TRA', visits: 2 });
      expect(await again.collection('resolutions').countDocuments()).to.equal(100);

      const indexes = await again.collection('institutions').listIndexes().toArray();
      expect(indexes.map((i) => i.name).sort()).to.deep.equal(['_id_', 'code_unique', 'region_1_name_1']);
      expect(indexes.find((i) => i.name === 'code_unique')?.unique).to.equal(true);
      // The unique index is enforced again after the restart.
      let error: unknown;
      await again.collection('institutions').insertOne({ code: 'EGA' }).catch((err: unknown) => (error = err));
      expect(error).to.be.instanceOf(MongoServerError);
      expect((error as MongoServerError).code).to.equal(11000);
    } finally {
      await stop(running);
    }
  });

  it('when the journal crosses the compaction threshold, then the engine compacts and a restart still finds everything', async () => {
    const dir = tempDir();
    let running = await start(dir, { compactThresholdBytes: 64 * 1024 });
    const items = running.client.db('app').collection<{ _id: number; text: string; v: number }>('items');
    for (let round = 0; round < 4; round++) {
      await items.bulkWrite(Array.from({ length: 200 }, (_, i) => ({ replaceOne: { filter: { _id: i }, replacement: { _id: i, text: 'x'.repeat(200), v: round }, upsert: true } })), { ordered: false });
    }
    // Single writes after the bulk ones may trigger more compactions.
    for (let i = 0; i < 50; i++) await items.updateOne({ _id: i }, { $set: { v: 99 } });
    // Compaction runs in the background while the engine serves writes.
    for (let i = 0; i < 100 && !fs.readdirSync(dir).some((f) => f.startsWith('snapshot-')); i++) await new Promise((r) => setTimeout(r, 20));
    expect(fs.readdirSync(dir).some((f) => f.startsWith('snapshot-'))).to.equal(true);
    await stop(running);
    expect(journals(dir)).to.have.length(1);

    running = await start(dir);
    try {
      const back = running.client.db('app').collection('items');
      expect(await back.countDocuments()).to.equal(200);
      expect(await back.countDocuments({ v: 99 })).to.equal(50);
      expect(await back.countDocuments({ v: 3 })).to.equal(150);
    } finally {
      await stop(running);
    }
  });

  it('when the journal ends in a torn record, then the engine starts with a warning and keeps the acknowledged writes', async () => {
    const dir = tempDir();
    let running = await start(dir);
    await running.client.db('app').collection('notes').insertMany([{ n: 1 }, { n: 2 }, { n: 3 }]);
    await stop(running);
    const [journal] = journals(dir);
    fs.appendFileSync(path.join(dir, journal), Buffer.from([200, 0, 0, 0, 9, 9, 9, 9, 1, 2, 3]));

    const logger = captureLogger();
    running = await start(dir, { logger });
    try {
      expect(await running.client.db('app').collection('notes').countDocuments()).to.equal(3);
      expect(logger.entries.some((e) => e.level === 'warn' && e.msg.includes(journal))).to.equal(true);
    } finally {
      await stop(running);
    }
  });

  it('when a journal record in the middle is corrupt, then the engine refuses to start and names the file and offset', async () => {
    const dir = tempDir();
    const running = await start(dir);
    await running.client.db('app').collection('notes').insertOne({ n: 0 });
    await stop(running); // a clean stop compacts, leaving an empty journal
    // Journal records as a crashed engine would have left them.
    const storage = await openStorage({ dataDir: dir, logger: captureLogger() });
    for (let i = 1; i <= 5; i++) await storage.commit([{ op: 'put', ns: 'app.notes', doc: { _id: i, n: i, text: 'habari '.repeat(10) } }]);
    await storage.close();
    const file = path.join(dir, journals(dir)[0]);
    const bytes = fs.readFileSync(file);
    bytes[Math.floor(bytes.length / 3)] ^= 0xff;
    fs.writeFileSync(file, bytes);

    const error = await startEmbeddedMongo({ dataDir: dir }).then(
      async (engine) => {
        await engine.stop();
        return undefined;
      },
      (err: unknown) => err,
    );
    expect(error).to.be.instanceOf(Error);
    expect((error as Error).message).to.include(file).and.to.match(/byte offset \d+/);
  });

  it('when the snapshot is corrupt, then the engine refuses to start and names the file', async () => {
    const dir = tempDir();
    const running = await start(dir);
    await running.client.db('app').collection('notes').insertMany(Array.from({ length: 50 }, (_, n) => ({ n })));
    await stop(running);
    const snapshot = fs.readdirSync(dir).find((f) => f.startsWith('snapshot-'));
    expect(snapshot).to.be.a('string');
    const file = path.join(dir, snapshot!);
    const bytes = fs.readFileSync(file);
    bytes[Math.floor(bytes.length / 2)] ^= 0x10;
    fs.writeFileSync(file, bytes);

    const error = await startEmbeddedMongo({ dataDir: dir }).then(
      async (engine) => {
        await engine.stop();
        return undefined;
      },
      (err: unknown) => err,
    );
    expect((error as Error).message).to.include(file).and.to.match(/byte offset \d+/);
  });
});
