import { expect } from 'chai';
import { Double, Int32, Long, MongoClient, type Collection, type Document } from 'mongodb';
import mongoose from 'mongoose';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedMongo } from '../../src/db/embedded/index.js';
import { openStorage } from '../../src/db/embedded/storage/index.js';
import { startTestServer, usingRealServer, type TestServer } from './engine-helper.js';

/** Reads documents back without the driver's promotion, so the stored BSON types show. */
const RAW = { promoteValues: false, promoteLongs: false } as const;

function bsonTypeOf(v: unknown): string {
  return (v as { _bsontype?: string })._bsontype ?? typeof v;
}

describe('embedded engine: numbers keep their BSON types', () => {
  let server: TestServer;
  let coll: Collection<Document>;
  let n = 0;

  before(async () => {
    server = await startTestServer('numtypes');
  });
  after(async () => {
    await server.stop();
  });
  beforeEach(() => {
    coll = server.db.collection(`t${++n}`);
  });

  it('when Double(1.0), Long(5), Long(3e9) and Int32 are inserted, then find returns a double, two longs and an int', async () => {
    await coll.insertOne({ _id: 1 as never, d: new Double(1), l: Long.fromNumber(5), big: Long.fromNumber(3e9), i: new Int32(7), f: 2.5, nested: [{ d: new Double(4) }] });
    const doc = await coll.findOne({ _id: 1 as never }, RAW);
    expect(bsonTypeOf(doc!.d)).to.equal('Double');
    expect(bsonTypeOf(doc!.l)).to.equal('Long');
    expect(String(doc!.l)).to.equal('5');
    expect(bsonTypeOf(doc!.big)).to.equal('Long');
    expect(String(doc!.big)).to.equal('3000000000');
    expect(bsonTypeOf(doc!.i)).to.equal('Int32');
    expect(bsonTypeOf(doc!.f)).to.equal('Double');
    expect(bsonTypeOf((doc!.nested as Document[])[0].d)).to.equal('Double');
  });

  it('when documents hold Double and Long, then numeric filters, sorts and $sum treat them as numbers', async () => {
    await coll.insertMany([
      { _id: 1 as never, v: new Double(3) },
      { _id: 2 as never, v: Long.fromNumber(5) },
      { _id: 3 as never, v: 4 },
    ]);
    expect((await coll.find({ v: { $gt: 3 } }).sort({ v: 1 }).toArray()).map((d) => d._id)).to.deep.equal([3, 2]);
    expect((await coll.find({ v: 5 }).toArray()).map((d) => d._id)).to.deep.equal([2]);
    expect((await coll.find({ v: Long.fromNumber(3) }).toArray()).map((d) => d._id)).to.deep.equal([1]);
    expect((await coll.find({ v: { $in: [new Double(4), 5] } }).toArray()).map((d) => d._id)).to.deep.equal([2, 3]);
    const sum = await coll.aggregate([{ $group: { _id: null, total: { $sum: '$v' } } }]).toArray();
    expect(Number(sum[0].total)).to.equal(12);
  });

  it('when another field is updated or a Long is incremented, then the stored types stay', async () => {
    await coll.insertOne({ _id: 1 as never, d: new Double(2), l: Long.fromNumber(10), other: 1 });
    await coll.updateOne({ _id: 1 as never }, { $set: { other: 2 } });
    await coll.updateOne({ _id: 1 as never }, { $inc: { l: 1, d: 1 } });
    const doc = await coll.findOne({ _id: 1 as never }, RAW);
    expect(bsonTypeOf(doc!.d)).to.equal('Double');
    expect(Number((doc!.d as Double).value)).to.equal(3);
    expect(bsonTypeOf(doc!.l)).to.equal('Long');
    expect(String(doc!.l)).to.equal('11');
    expect(bsonTypeOf(doc!.other)).to.equal('Int32');
  });

  it('when a Mongoose schema uses Double and BigInt, then the values come back with those types', async () => {
    const conn = await mongoose.createConnection(server.uri, { dbName: server.dbName }).asPromise();
    try {
      const Model = conn.model('NumberTypes', new mongoose.Schema({ score: mongoose.Schema.Types.Double, count: BigInt }));
      const created = await Model.create({ score: 7, count: 12345678901234n });
      const raw = await conn.db!.collection('numbertypes').findOne({ _id: created._id }, RAW);
      expect(bsonTypeOf(raw!.score)).to.equal('Double');
      expect(bsonTypeOf(raw!.count)).to.equal('Long');
      const back = await Model.findById(created._id);
      expect(back!.get('count')).to.equal(12345678901234n);
    } finally {
      await conn.close();
    }
  });
});

if (!usingRealServer) {
  describe('embedded engine: number types after a restart', () => {
    let dataDir: string;
    beforeEach(async () => {
      dataDir = await mkdtemp(path.join(tmpdir(), 'maazimio-numtypes-'));
    });
    afterEach(async () => {
      await rm(dataDir, { recursive: true, force: true });
    });

    it('when a journal holding Double and Long is replayed, then the recovered documents keep those types', async () => {
      const storage = await openStorage({ dataDir });
      await storage.commit([{ op: 'put', ns: 't.c', doc: { _id: 1, d: new Double(1), l: Long.fromNumber(5), big: Long.fromNumber(3e9) } }]);
      await storage.close();
      const reopened = await openStorage({ dataDir });
      try {
        const doc = reopened.initialState.collections[0].documents[0];
        expect([bsonTypeOf(doc.d), bsonTypeOf(doc.l), bsonTypeOf(doc.big)]).to.deep.equal(['Double', 'Long', 'Long']);
      } finally {
        await reopened.close();
      }
    });

    it('when the engine restarts from its snapshot, then Double and Long are read back with their types', async () => {
      const first = await startEmbeddedMongo({ dataDir });
      const writer = await MongoClient.connect(first.uri);
      await writer.db('t').collection('c').insertOne({ d: new Double(1), l: Long.fromNumber(5), big: Long.fromNumber(3e9) });
      await writer.close();
      await first.stop(); // a clean stop writes a snapshot
      const second = await startEmbeddedMongo({ dataDir });
      const reader = await MongoClient.connect(second.uri);
      try {
        const doc = await reader.db('t').collection('c').findOne({}, RAW);
        expect([bsonTypeOf(doc!.d), bsonTypeOf(doc!.l), bsonTypeOf(doc!.big)]).to.deep.equal(['Double', 'Long', 'Long']);
      } finally {
        await reader.close();
        await second.stop();
      }
    });
  });
}
