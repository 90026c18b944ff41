import { expect } from 'chai';
import type { Collection, Document } from 'mongodb';
import { eventually, startTestServer, usingRealServer, type TestServer } from './engine-helper.js';

interface DupError {
  code: number;
  codeName?: string;
  message: string;
  keyPattern: Document;
  keyValue: Document;
}

describe('embedded engine: indexes through the mongodb driver', () => {
  let server: TestServer;
  let coll: Collection<Document>;
  let n = 0;

  before(async () => {
    server = await startTestServer('indexes');
  });
  after(async () => {
    await server.stop();
  });
  beforeEach(() => {
    coll = server.db.collection(`i${++n}`);
  });

  it('when a unique index exists, then a duplicate insert fails with 11000, keyPattern, keyValue and a mongod-like message', async () => {
    await coll.createIndex({ email: 1 }, { unique: true });
    await coll.insertOne({ email: 'a@e.go.tz' });
    const err = (await coll.insertOne({ email: 'a@e.go.tz' }).catch((e: unknown) => e)) as DupError;
    expect(err.code).to.equal(11000);
    expect(err.keyPattern).to.deep.equal({ email: 1 });
    expect(err.keyValue).to.deep.equal({ email: 'a@e.go.tz' });
    expect(err.message).to.match(new RegExp(`^E11000 duplicate key error collection: ${server.dbName}\\.${coll.collectionName} index: email_1 dup key: \\{ email: "a@e.go.tz" \\}`));
    expect(await coll.countDocuments()).to.equal(1);
  });

  it('when an update or upsert would duplicate a unique key, then it fails with 11000 and the stored document is unchanged', async () => {
    await coll.createIndex({ email: 1 }, { unique: true });
    await coll.insertMany([{ email: 'a', v: 1 }, { email: 'b', v: 1 }]);
    const err = (await coll.updateOne({ email: 'b' }, { $set: { email: 'a', v: 2 } }).catch((e: unknown) => e)) as DupError;
    expect(err.code).to.equal(11000);
    expect(err.keyValue).to.deep.equal({ email: 'a' });
    expect(await coll.findOne({ email: 'b' }, { projection: { _id: 0 } })).to.deep.equal({ email: 'b', v: 1 });
    const upsertErr = (await coll.updateOne({ other: 1 }, { $set: { email: 'a' } }, { upsert: true }).catch((e: unknown) => e)) as DupError;
    expect(upsertErr.code).to.equal(11000);
    expect(await coll.countDocuments()).to.equal(2);
  });

  it('when findOneAndUpdate would duplicate a unique key, then it fails with 11000 and keyValue', async () => {
    await coll.createIndex({ code: 1 }, { unique: true });
    await coll.insertMany([{ code: 'x' }, { code: 'y' }]);
    const err = (await coll.findOneAndUpdate({ code: 'y' }, { $set: { code: 'x' } }).catch((e: unknown) => e)) as DupError;
    expect(err.code).to.equal(11000);
    expect(err.keyPattern).to.deep.equal({ code: 1 });
    expect(err.keyValue).to.deep.equal({ code: 'x' });
    expect(await coll.countDocuments({ code: 'y' })).to.equal(1);
  });

  it('when a compound unique index exists, then only the full key combination must be unique', async () => {
    await coll.createIndex({ meeting: 1, number: 1 }, { unique: true });
    await coll.insertMany([
      { meeting: 1, number: 1 },
      { meeting: 1, number: 2 },
      { meeting: 2, number: 1 },
    ]);
    const err = (await coll.insertOne({ meeting: 1, number: 2 }).catch((e: unknown) => e)) as DupError;
    expect(err.code).to.equal(11000);
    expect(err.keyPattern).to.deep.equal({ meeting: 1, number: 1 });
    expect(err.keyValue).to.deep.equal({ meeting: 1, number: 2 });
  });

  it('when a unique index is sparse, then many documents may lack the field but present values stay unique', async () => {
    await coll.createIndex({ nida: 1 }, { unique: true, sparse: true });
    await coll.insertMany([{ a: 1 }, { a: 2 }, { nida: 'N1' }]);
    const err = (await coll.insertOne({ nida: 'N1' }).catch((e: unknown) => e)) as DupError;
    expect(err.code).to.equal(11000);
    expect(await coll.countDocuments()).to.equal(3);
  });

  it('when a unique index is not sparse, then a second document without the field is a duplicate of null', async () => {
    await coll.createIndex({ nida: 1 }, { unique: true });
    await coll.insertOne({ a: 1 });
    const err = (await coll.insertOne({ a: 2 }).catch((e: unknown) => e)) as DupError;
    expect(err.code).to.equal(11000);
    expect(err.keyValue).to.deep.equal({ nida: null });
  });

  it('when a unique index has a partialFilterExpression, then only documents matching it are constrained', async () => {
    await coll.createIndex({ email: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await coll.insertMany([
      { email: 'a', active: false },
      { email: 'a', active: false },
      { email: 'a', active: true },
    ]);
    const err = (await coll.insertOne({ email: 'a', active: true }).catch((e: unknown) => e)) as DupError;
    expect(err.code).to.equal(11000);
    expect(await coll.countDocuments()).to.equal(3);
  });

  it('when a unique index is created over existing duplicates, then it fails with 11000 and is not listed', async () => {
    await coll.insertMany([{ k: 1 }, { k: 1 }]);
    const err = (await coll.createIndex({ k: 1 }, { unique: true }).catch((e: unknown) => e)) as DupError;
    expect(err.code).to.equal(11000);
    const names = (await coll.listIndexes().toArray()).map((i) => i.name);
    expect(names).to.deep.equal(['_id_']);
  });

  it('when indexes are listed, then each entry has v 2, key, name and its options', async () => {
    await coll.createIndex({ a: 1, b: -1 }, { name: 'ab', unique: true });
    await coll.createIndex({ expires: 1 }, { expireAfterSeconds: 0 });
    const list = await coll.listIndexes().toArray();
    expect(list).to.have.length(3);
    expect(list[0]).to.deep.equal({ v: 2, key: { _id: 1 }, name: '_id_' });
    expect(list[1]).to.deep.include({ v: 2, key: { a: 1, b: -1 }, name: 'ab', unique: true });
    expect(list[2]).to.deep.include({ v: 2, key: { expires: 1 }, name: 'expires_1', expireAfterSeconds: 0 });
  });

  it('when the same index is created twice, then the second call is a no-op; a conflicting one fails', async () => {
    await coll.createIndex({ a: 1 }, { unique: true });
    await coll.createIndex({ a: 1 }, { unique: true });
    const err = (await coll.createIndex({ a: 1 }, { unique: false, name: 'other' }).catch((e: unknown) => e)) as DupError;
    expect(err.code).to.equal(85);
    expect((await coll.listIndexes().toArray()).length).to.equal(2);
  });

  it('when indexes are dropped by name, by key and with *, then only _id_ remains and unknown names fail with 27', async () => {
    await coll.createIndexes([{ key: { a: 1 } }, { key: { b: 1 } }, { key: { c: 1 } }]);
    await coll.dropIndex('a_1');
    await coll.dropIndex({ b: 1 } as never);
    expect((await coll.listIndexes().toArray()).map((i) => i.name)).to.deep.equal(['_id_', 'c_1']);
    const err = (await coll.dropIndex('nope').catch((e: unknown) => e)) as DupError;
    expect(err.code).to.equal(27);
    await coll.dropIndexes();
    expect((await coll.listIndexes().toArray()).map((i) => i.name)).to.deep.equal(['_id_']);
  });

  it('when an index is dropped, then its uniqueness is no longer enforced', async () => {
    await coll.createIndex({ a: 1 }, { unique: true });
    await coll.dropIndex('a_1');
    await coll.insertMany([{ a: 1 }, { a: 1 }]);
    expect(await coll.countDocuments({ a: 1 })).to.equal(2);
  });

  it('when equality queries go through a unique index, then results are the same as a scan', async () => {
    await coll.insertMany(Array.from({ length: 300 }, (_, i) => ({ i, g: i % 10, tags: [`t${i % 3}`] })));
    await coll.createIndex({ i: 1 }, { unique: true });
    await coll.createIndex({ g: 1 });
    await coll.createIndex({ tags: 1 });
    expect((await coll.findOne({ i: 123 }))!.g).to.equal(3);
    expect(await coll.countDocuments({ g: 4 })).to.equal(30);
    expect(await coll.countDocuments({ g: { $in: [1, 2] } })).to.equal(60);
    expect(await coll.countDocuments({ tags: 't1' })).to.equal(100);
    expect(await coll.countDocuments({ g: 4, i: { $gt: 100 } })).to.equal(20);
    const agg = await coll.aggregate([{ $match: { g: 7 } }, { $group: { _id: '$g', n: { $sum: 1 } } }]).toArray();
    expect(agg).to.deep.equal([{ _id: 7, n: 30 }]);
    await coll.updateOne({ i: 5 }, { $set: { g: 4 } });
    expect(await coll.countDocuments({ g: 4 })).to.equal(31);
    expect(await coll.countDocuments({ g: 5 })).to.equal(29);
    await coll.deleteMany({ g: 4 });
    expect(await coll.countDocuments({ g: 4 })).to.equal(0);
  });

  it('when an indexed equality query runs after updates, then documents come back in insertion order', async () => {
    await coll.createIndex({ g: 1 });
    await coll.insertMany(Array.from({ length: 50 }, (_, i) => ({ i, g: i % 5 })));
    await coll.updateOne({ i: 0 }, { $set: { touched: true } });
    await coll.updateOne({ i: 5 }, { $set: { touched: true } });
    const order = (await coll.find({ g: 0 }).toArray()).map((d) => d.i);
    expect(order).to.deep.equal([0, 5, 10, 15, 20, 25, 30, 35, 40, 45]);
  });

  it('when collMod changes expireAfterSeconds, then listIndexes reports the new value', async () => {
    await coll.createIndex({ at: 1 }, { expireAfterSeconds: 3600 });
    const res = await server.db.command({ collMod: coll.collectionName, index: { keyPattern: { at: 1 }, expireAfterSeconds: 60 } });
    expect(res.ok).to.equal(1);
    const idx = (await coll.listIndexes().toArray()).find((i) => i.name === 'at_1')!;
    expect(idx.expireAfterSeconds).to.equal(60);
  });

  it('when listIndexes targets a missing collection, then it fails with NamespaceNotFound (26)', async () => {
    const err = (await server.db.command({ listIndexes: 'does_not_exist' }).catch((e: unknown) => e)) as DupError;
    expect(err.code).to.equal(26);
  });

  if (!usingRealServer) {
    // mongod's TTL monitor runs once a minute; the engine's interval is configurable.
    describe('engine-internal: TTL sweep', () => {
      it('when a TTL index exists, then expired documents are deleted by the periodic sweep and fresh ones stay', async () => {
        await coll.createIndex({ expires: 1 }, { expireAfterSeconds: 0 });
        await coll.insertMany([
          { k: 'old', expires: new Date(Date.now() - 1000) },
          { k: 'new', expires: new Date(Date.now() + 3_600_000) },
          { k: 'none' },
        ]);
        await eventually(async () => (await coll.countDocuments({ k: 'old' })) === 0);
        expect((await coll.find({}).sort({ k: 1 }).toArray()).map((d) => d.k)).to.deep.equal(['new', 'none']);
      });

      it('when expireAfterSeconds is positive, then documents expire that long after their date', async () => {
        await coll.createIndex({ createdAt: 1 }, { expireAfterSeconds: 60 });
        await coll.insertMany([
          { k: 'old', createdAt: new Date(Date.now() - 61_000) },
          { k: 'recent', createdAt: new Date(Date.now() - 30_000) },
        ]);
        await eventually(async () => (await coll.countDocuments({ k: 'old' })) === 0);
        expect(await coll.countDocuments({ k: 'recent' })).to.equal(1);
      });
    });
  }
});
