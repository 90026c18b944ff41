import { expect } from 'chai';
import { Long, ObjectId, type Collection, type Document } from 'mongodb';
import { rejection, startTestServer, type TestServer } from './engine-helper.js';

describe('embedded engine: CRUD through the mongodb driver', () => {
  let server: TestServer;
  let coll: Collection<Document>;
  let n = 0;

  before(async () => {
    server = await startTestServer('crud');
  });
  after(async () => {
    await server.stop();
  });
  beforeEach(() => {
    coll = server.db.collection(`c${++n}`);
  });

  it('when documents are inserted, then find returns them with their _id and types intact', async () => {
    const when = new Date('2024-05-01T10:00:00Z');
    const res = await coll.insertMany([
      { name: 'Wizara ya Fedha', n: 1, when, nested: { a: [1, 2] }, big: Long.fromString('9007199254740993') },
      { name: 'TAMISEMI', n: 2 },
    ]);
    expect(res.insertedCount).to.equal(2);
    const doc = await coll.findOne({ name: 'Wizara ya Fedha' });
    expect(doc!._id).to.be.instanceOf(ObjectId);
    expect(doc!.when).to.be.instanceOf(Date);
    expect(doc!.when.getTime()).to.equal(when.getTime());
    expect(doc!.nested).to.deep.equal({ a: [1, 2] });
    expect(String(doc!.big)).to.equal('9007199254740993');
    expect(Object.keys(doc!)[0]).to.equal('_id');
  });

  it('when a document is inserted with a custom _id, then it can be found by that _id and a second insert fails with 11000', async () => {
    await coll.insertOne({ _id: 'abc' as unknown as ObjectId, v: 1 });
    expect(await coll.findOne({ _id: 'abc' as unknown as ObjectId })).to.deep.equal({ _id: 'abc', v: 1 });
    const err = await rejection(coll.insertOne({ _id: 'abc' as unknown as ObjectId, v: 2 }));
    expect(err.code).to.equal(11000);
    expect(err.keyPattern).to.deep.equal({ _id: 1 });
    expect(err.keyValue).to.deep.equal({ _id: 'abc' });
    expect(await coll.countDocuments()).to.equal(1);
  });

  it('when an ordered insertMany hits a duplicate, then the documents before it are kept and the rest are not', async () => {
    const err = await rejection(coll.insertMany([{ _id: 1 }, { _id: 2 }, { _id: 1 }, { _id: 3 }] as unknown as Document[]));
    expect(err.code).to.equal(11000);
    expect(await coll.countDocuments()).to.equal(2);
  });

  it('when an unordered insertMany hits a duplicate, then every other document is inserted', async () => {
    await coll.insertMany([{ _id: 1 }, { _id: 1 }, { _id: 2 }] as unknown as Document[], { ordered: false }).catch(() => undefined);
    expect(await coll.countDocuments()).to.equal(2);
  });

  it('when 250 documents are read with the default batch size and with batchSize 7, then every document arrives once', async () => {
    await coll.insertMany(Array.from({ length: 250 }, (_, i) => ({ i })));
    const all = await coll.find({}).toArray();
    expect(all.map((d) => d.i)).to.deep.equal(Array.from({ length: 250 }, (_, i) => i));
    const cursor = coll.find({}, { batchSize: 7 });
    const seen: number[] = [];
    for await (const d of cursor) seen.push(d.i as number);
    expect(seen).to.have.length(250);
    expect(new Set(seen).size).to.equal(250);
  });

  it('when a cursor is closed early, then killCursors succeeds and other queries keep working', async () => {
    await coll.insertMany(Array.from({ length: 150 }, (_, i) => ({ i })));
    const cursor = coll.find({}, { batchSize: 10 });
    await cursor.next();
    await cursor.close();
    expect(await coll.countDocuments({ i: { $gte: 100 } })).to.equal(50);
  });

  it('when find uses sort, skip, limit and projection, then the documents come back in that shape and order', async () => {
    await coll.insertMany([
      { name: 'b', score: 2, extra: 'x' },
      { name: 'a', score: 3, extra: 'y' },
      { name: 'c', score: 1, extra: 'z' },
      { name: 'd', score: 3, extra: 'w' },
    ]);
    const docs = await coll.find({}, { projection: { _id: 0, name: 1, score: 1 } }).sort({ score: -1, name: 1 }).skip(1).limit(2).toArray();
    expect(docs).to.deep.equal([
      { name: 'd', score: 3 },
      { name: 'b', score: 2 },
    ]);
    const excl = await coll.find({ name: 'a' }, { projection: { extra: 0, _id: 0 } }).toArray();
    expect(excl).to.deep.equal([{ name: 'a', score: 3 }]);
  });

  it('when sorting mixed types, then null and missing come first, then numbers, strings, ObjectIds, booleans and dates', async () => {
    const oid = new ObjectId();
    const date = new Date(0);
    await coll.insertMany([{ k: 'x', v: date }, { k: 'y', v: true }, { k: 'z', v: oid }, { k: 'w', v: 'str' }, { k: 'u', v: 5 }, { k: 't', v: null }, { k: 's' }]);
    const order = (await coll.find({}).sort({ v: 1, k: 1 }).toArray()).map((d) => d.k);
    expect(order).to.deep.equal(['s', 't', 'u', 'w', 'z', 'y', 'x']);
  });

  it('when filtering with comparison, $in, $regex, $exists and $elemMatch, then the matching documents are returned', async () => {
    await coll.insertMany([
      { name: 'Arusha', pop: 10, tags: ['north'], items: [{ k: 1 }, { k: 5 }] },
      { name: 'Dodoma', pop: 20, tags: ['central', 'capital'] },
      { name: 'Mwanza', pop: 30, items: [{ k: 2 }] },
    ]);
    const names = async (q: Document) => (await coll.find(q).sort({ name: 1 }).toArray()).map((d) => d.name);
    expect(await names({ pop: { $gte: 20 } })).to.deep.equal(['Dodoma', 'Mwanza']);
    expect(await names({ name: { $in: ['Arusha', 'Mwanza'] } })).to.deep.equal(['Arusha', 'Mwanza']);
    expect(await names({ name: { $regex: '^d', $options: 'i' } })).to.deep.equal(['Dodoma']);
    expect(await names({ tags: { $exists: false } })).to.deep.equal(['Mwanza']);
    expect(await names({ tags: 'capital' })).to.deep.equal(['Dodoma']);
    expect(await names({ items: { $elemMatch: { k: { $gt: 3 } } } })).to.deep.equal(['Arusha']);
    expect(await names({ $or: [{ pop: 10 }, { pop: 30 }] })).to.deep.equal(['Arusha', 'Mwanza']);
  });

  it('when update operators are applied, then the stored document reflects each of them', async () => {
    const { insertedId } = await coll.insertOne({ a: 1, b: 'x', n: 5, list: [1, 2, 3], set: ['a'], lo: 10, hi: 10, gone: true, nested: { x: 1 } });
    const res = await coll.updateOne(
      { _id: insertedId },
      {
        $set: { b: 'y', 'nested.y': 2 },
        $unset: { gone: '' },
        $inc: { n: 2 },
        $push: { list: { $each: [4, 5] } } as Document,
        $addToSet: { set: { $each: ['a', 'b'] } },
        $min: { lo: 3 },
        $max: { hi: 30 },
        $currentDate: { touched: true },
      },
    );
    expect(res.matchedCount).to.equal(1);
    expect(res.modifiedCount).to.equal(1);
    const doc = (await coll.findOne({ _id: insertedId }))!;
    expect(doc).to.include({ a: 1, b: 'y', n: 7, lo: 3, hi: 30 });
    expect(doc.gone).to.equal(undefined);
    expect(doc.nested).to.deep.equal({ x: 1, y: 2 });
    expect(doc.list).to.deep.equal([1, 2, 3, 4, 5]);
    expect(doc.set).to.deep.equal(['a', 'b']);
    expect(doc.touched).to.be.instanceOf(Date);
    await coll.updateOne({ _id: insertedId }, { $pull: { list: { $gte: 4 } } as Document });
    expect((await coll.findOne({ _id: insertedId }))!.list).to.deep.equal([1, 2, 3]);
  });

  it('when an update sets a value it already has, then it matches but modifies nothing', async () => {
    await coll.insertOne({ _id: 7, a: 1 } as unknown as Document);
    const res = await coll.updateOne({ _id: 7 } as Document, { $set: { a: 1 } });
    expect(res.matchedCount).to.equal(1);
    expect(res.modifiedCount).to.equal(0);
  });

  it('when the positional operator and arrayFilters are used, then only the selected array elements change', async () => {
    const { insertedId } = await coll.insertOne({ items: [{ k: 'a', v: 1 }, { k: 'b', v: 2 }, { k: 'c', v: 3 }] });
    await coll.updateOne({ _id: insertedId, 'items.k': 'b' }, { $set: { 'items.$.v': 20 } });
    await coll.updateOne({ _id: insertedId }, { $inc: { 'items.$[el].v': 100 } }, { arrayFilters: [{ 'el.v': { $gte: 3 } }] });
    const doc = (await coll.findOne({ _id: insertedId }))!;
    expect(doc.items).to.deep.equal([
      { k: 'a', v: 1 },
      { k: 'b', v: 120 },
      { k: 'c', v: 103 },
    ]);
  });

  it('when updateMany runs, then every match is modified', async () => {
    await coll.insertMany([{ g: 1 }, { g: 1 }, { g: 2 }]);
    const res = await coll.updateMany({ g: 1 }, { $set: { done: true } });
    expect(res.modifiedCount).to.equal(2);
    expect(await coll.countDocuments({ done: true })).to.equal(2);
  });

  it('when a pipeline update runs, then computed fields are stored', async () => {
    const { insertedId } = await coll.insertOne({ a: 2, b: 3 });
    await coll.updateOne({ _id: insertedId }, [{ $set: { sum: { $add: ['$a', '$b'] } } }, { $unset: 'b' }]);
    expect(await coll.findOne({ _id: insertedId }, { projection: { _id: 0 } })).to.deep.equal({ a: 2, sum: 5 });
  });

  it('when an upsert matches nothing, then the new document is seeded from the query equality fields and $setOnInsert', async () => {
    const res = await coll.updateOne(
      { code: 'TZ-01', 'meta.kind': 'x', n: { $gt: 5 } },
      { $set: { name: 'Dar' }, $setOnInsert: { createdBy: 'seed' }, $inc: { hits: 1 } },
      { upsert: true },
    );
    expect(res.upsertedCount).to.equal(1);
    const doc = (await coll.findOne({ _id: res.upsertedId! }, { projection: { _id: 0 } }))!;
    expect(doc).to.deep.equal({ code: 'TZ-01', meta: { kind: 'x' }, name: 'Dar', createdBy: 'seed', hits: 1 });
    const again = await coll.updateOne({ code: 'TZ-01' }, { $set: { name: 'Dodoma' }, $setOnInsert: { createdBy: 'other' } }, { upsert: true });
    expect(again.upsertedCount).to.equal(0);
    expect(again.modifiedCount).to.equal(1);
    expect((await coll.findOne({ code: 'TZ-01' }))!.createdBy).to.equal('seed');
  });

  it('when a replacement upsert carries the query _id, then that _id is used', async () => {
    await coll.replaceOne({ _id: 'sess-1' } as unknown as Document, { data: 1 }, { upsert: true });
    expect(await coll.findOne({ _id: 'sess-1' } as unknown as Document)).to.deep.equal({ _id: 'sess-1', data: 1 });
  });

  it('when an update changes _id, then it fails with code 66 and setting _id to the same value succeeds', async () => {
    const { insertedId } = await coll.insertOne({ a: 1 });
    const err = await rejection(coll.updateOne({ _id: insertedId }, { $set: { _id: new ObjectId() } }));
    expect(err.code).to.equal(66);
    const ok = await coll.updateOne({ _id: insertedId }, { $set: { _id: insertedId, a: 2 } });
    expect(ok.modifiedCount).to.equal(1);
    const errReplace = await rejection(coll.replaceOne({ _id: insertedId }, { _id: new ObjectId(), a: 3 }));
    expect(errReplace.code).to.equal(66);
    expect((await coll.findOne({ _id: insertedId }))!.a).to.equal(2);
  });

  it('when findOneAndUpdate runs with returnDocument before/after and upsert, then it returns the right image', async () => {
    await coll.insertOne({ k: 1, v: 1 });
    const before = await coll.findOneAndUpdate({ k: 1 }, { $inc: { v: 1 } }, { returnDocument: 'before' });
    expect(before!.v).to.equal(1);
    const after = await coll.findOneAndUpdate({ k: 1 }, { $inc: { v: 1 } }, { returnDocument: 'after', projection: { _id: 0 } });
    expect(after).to.deep.equal({ k: 1, v: 3 });
    const meta = await coll.findOneAndUpdate({ k: 2 }, { $set: { v: 9 } }, { upsert: true, returnDocument: 'after', includeResultMetadata: true });
    expect(meta.ok).to.equal(1);
    expect(meta.value).to.include({ k: 2, v: 9 });
    expect(meta.lastErrorObject).to.include({ n: 1, updatedExisting: false });
    expect(await coll.findOneAndUpdate({ k: 99 }, { $set: { v: 1 } })).to.equal(null);
  });

  it('when findOneAndUpdate has a sort, then the first document in that order is updated', async () => {
    await coll.insertMany([{ q: 1, r: 3 }, { q: 1, r: 1 }, { q: 1, r: 2 }]);
    const doc = await coll.findOneAndUpdate({ q: 1 }, { $set: { picked: true } }, { sort: { r: 1 }, returnDocument: 'after' });
    expect(doc!.r).to.equal(1);
  });

  it('when findOneAndDelete and findOneAndReplace run, then they return the previous document and change the store', async () => {
    await coll.insertMany([{ k: 'a' }, { k: 'b' }]);
    const deleted = await coll.findOneAndDelete({ k: 'a' });
    expect(deleted!.k).to.equal('a');
    const replaced = await coll.findOneAndReplace({ k: 'b' }, { k: 'B' }, { returnDocument: 'after' });
    expect(replaced!.k).to.equal('B');
    expect((await coll.find({}).toArray()).map((d) => d.k)).to.deep.equal(['B']);
  });

  it('when deleteOne and deleteMany run, then exactly the matching documents disappear', async () => {
    await coll.insertMany([{ g: 1 }, { g: 1 }, { g: 2 }, { g: 3 }]);
    expect((await coll.deleteOne({ g: 1 })).deletedCount).to.equal(1);
    expect((await coll.deleteMany({ g: { $in: [1, 2] } })).deletedCount).to.equal(2);
    expect((await coll.find({}).toArray()).map((d) => d.g)).to.deep.equal([3]);
  });

  it('when bulkWrite mixes operations, then every one is applied and counted', async () => {
    await coll.insertOne({ _id: 1, v: 0 } as unknown as Document);
    const res = await coll.bulkWrite([
      { insertOne: { document: { _id: 2, v: 0 } } },
      { updateOne: { filter: { _id: 1 }, update: { $inc: { v: 1 } } } },
      { updateOne: { filter: { _id: 3 }, update: { $set: { v: 3 } }, upsert: true } },
      { deleteOne: { filter: { _id: 2 } } },
    ] as never);
    expect(res.insertedCount).to.equal(1);
    expect(res.modifiedCount).to.equal(1);
    expect(res.upsertedCount).to.equal(1);
    expect(res.deletedCount).to.equal(1);
    expect(await coll.find({}).sort({ _id: 1 }).toArray()).to.deep.equal([
      { _id: 1, v: 1 },
      { _id: 3, v: 3 },
    ]);
  });

  it('when count, estimatedDocumentCount and distinct run, then they agree with the data', async () => {
    await coll.insertMany([{ t: ['a', 'b'] }, { t: ['b'] }, { t: 'c' }, {}]);
    expect(await coll.estimatedDocumentCount()).to.equal(4);
    expect(await coll.countDocuments({ t: 'b' })).to.equal(2);
    expect(await coll.countDocuments({}, { skip: 1, limit: 2 })).to.equal(2);
    expect((await coll.distinct('t')).sort()).to.deep.equal(['a', 'b', 'c']);
  });

  it('when a query result is modified by the client, then the stored document is unchanged', async () => {
    await coll.insertOne({ _id: 1, list: [1] } as unknown as Document);
    const doc = (await coll.findOne({ _id: 1 } as Document))!;
    doc.list.push(2);
    expect((await coll.findOne({ _id: 1 } as Document))!.list).to.deep.equal([1]);
  });

  it('when matching documents exceed 16 MiB, then the first batch is capped and getMore returns the rest', async () => {
    const big = 'x'.repeat(1024 * 1024);
    await coll.insertMany(Array.from({ length: 20 }, (_, i) => ({ i, big })));
    const first = await server.db.command({ find: coll.collectionName, filter: {} });
    const firstBatch = first.cursor.firstBatch as Document[];
    expect(firstBatch.length).to.be.greaterThan(0).and.lessThan(20);
    expect(first.cursor.id).to.be.instanceOf(Long);
    const more = await server.db.command({ getMore: first.cursor.id, collection: coll.collectionName });
    expect(firstBatch.length + (more.cursor.nextBatch as Document[]).length).to.equal(20);
    expect(Number(more.cursor.id)).to.equal(0);
    expect(await coll.find({}).toArray()).to.have.length(20);
  });

  it('when an aggregation starts with $match, $sort, $skip and $limit, then they apply in BSON order before later stages', async () => {
    const oid = new ObjectId();
    await coll.insertMany([
      { g: 1, k: 'a', v: true },
      { g: 1, k: 'b', v: oid },
      { g: 1, k: 'c', v: 'text' },
      { g: 1, k: 'd', v: 2 },
      { g: 2, k: 'e', v: 1 },
    ]);
    const out = await coll
      .aggregate([{ $match: { g: 1 } }, { $sort: { v: -1 } }, { $skip: 1 }, { $limit: 2 }, { $project: { _id: 0, k: 1 } }])
      .toArray();
    expect(out).to.deep.equal([{ k: 'b' }, { k: 'c' }]);
  });

  it('when an update uses an unknown operator or a multi replacement, then it fails with FailedToParse (9)', async () => {
    await coll.insertOne({ a: 1 });
    const unknown = await rejection(server.db.command({ update: coll.collectionName, updates: [{ q: {}, u: { $frobnicate: { a: 2 } } }] }).then((r) => {
      if (r.writeErrors) throw Object.assign(new Error(r.writeErrors[0].errmsg), r.writeErrors[0]);
    }));
    expect(unknown.code).to.equal(9);
    const multi = await rejection(server.db.command({ update: coll.collectionName, updates: [{ q: {}, u: { a: 2 }, multi: true }] }).then((r) => {
      if (r.writeErrors) throw Object.assign(new Error(r.writeErrors[0].errmsg), r.writeErrors[0]);
    }));
    expect(multi.code).to.equal(9);
    expect((await coll.findOne({}))!.a).to.equal(1);
  });

  it('when aggregation stages reshape nested fields, then the stored documents are unchanged', async () => {
    await coll.insertOne({ _id: 1, sub: { b: 2, c: { d: 1 } }, arr: [{ x: 1, y: 2 }] } as unknown as Document);
    const pipelines: Document[][] = [
      [{ $project: { 'sub.c': 0 } }],
      [{ $project: { arr: { y: 0 } } }],
      [{ $addFields: { 'sub.e': 5 } }],
      [{ $unset: 'arr.y' }],
      [{ $set: { z: '$sub' } }, { $set: { 'z.k': 1 } }],
      [{ $facet: { a: [{ $unset: 'sub.b' }] } }],
    ];
    for (const p of pipelines) await coll.aggregate(p).toArray();
    const projected = await coll.find({ _id: 1 } as Document, { projection: { 'sub.c': 0, arr: { y: 0 } } }).toArray();
    expect(projected).to.deep.equal([{ _id: 1, sub: { b: 2 }, arr: [{ x: 1 }] }]);
    await coll.findOneAndUpdate({ _id: 1 } as Document, { $set: { n: 1 } }, { projection: { 'sub.b': 0 } });
    await coll.updateOne({ _id: 1 } as Document, { $unset: { n: '' } });
    expect(await coll.findOne({ _id: 1 } as Document)).to.deep.equal({ _id: 1, sub: { b: 2, c: { d: 1 } }, arr: [{ x: 1, y: 2 }] });
  });
});
