import { expect } from 'chai';
import { Decimal128, Double, Int32, Long, type Collection, type Document } from 'mongodb';
import mongoose, { Schema, type Connection } from 'mongoose';
import { rejection, startTestServer, type TestServer } from './engine-helper.js';

describe('embedded engine: query and update semantics through the driver and Mongoose', () => {
  let server: TestServer;
  let coll: Collection<Document>;
  let n = 0;

  before(async () => {
    server = await startTestServer('semantics');
  });
  after(async () => {
    await server.stop();
  });
  beforeEach(() => {
    coll = server.db.collection(`s${++n}`);
  });

  describe('index keys', () => {
    it('when two Long _ids above 2^53 differ by one, then both are stored and each is found by its own value', async () => {
      const a = Long.fromString('9007199254740993');
      const b = Long.fromString('9007199254740992');
      await coll.insertMany([{ _id: a as never, v: 'a' }, { _id: b as never, v: 'b' }]);
      expect(await coll.countDocuments()).to.equal(2);
      expect((await coll.findOne({ _id: a as never }))?.v).to.equal('a');
      expect((await coll.findOne({ _id: b as never }))?.v).to.equal('b');
      const sorted = await coll.find({}, { sort: { _id: -1 } }).toArray();
      expect(sorted.map((d) => d.v)).to.deep.equal(['a', 'b']);
    });

    it('when Long and Decimal128 values are equal to numbers of other types, then a unique index treats them as one key, and distinct decimals as distinct keys', async () => {
      await coll.createIndex({ k: 1 }, { unique: true });
      await coll.insertOne({ k: 5 });
      for (const same of [new Int32(5), Long.fromNumber(5), new Double(5), Decimal128.fromString('5.000')]) {
        expect((await rejection(coll.insertOne({ k: same }))).code).to.equal(11000);
      }
      await coll.insertOne({ k: Long.fromString('9007199254740993') });
      await coll.insertOne({ k: Long.fromString('9007199254740992') });
      await coll.insertOne({ k: Decimal128.fromString('0.1') });
      // The double 0.1 is not exactly one tenth: a different key in mongod.
      await coll.insertOne({ k: 0.1 });
      await coll.insertOne({ k: Decimal128.fromString('0.50') });
      expect((await rejection(coll.insertOne({ k: 0.5 }))).code).to.equal(11000);
      expect(await coll.countDocuments()).to.equal(6);
      expect(await coll.countDocuments({ k: Long.fromString('9007199254740993') })).to.equal(1);
      expect(await coll.countDocuments({ k: { $gt: Long.fromString('9007199254740993') } })).to.equal(0);
    });

    it('when one document holds an empty array and another null, then a unique index accepts both, and {k: null} finds only null and missing', async () => {
      await coll.createIndex({ k: 1 }, { unique: true });
      await coll.insertOne({ _id: 'empty' as never, k: [] });
      await coll.insertOne({ _id: 'null' as never, k: null });
      expect((await rejection(coll.insertOne({ k: [] }))).code).to.equal(11000);
      expect((await rejection(coll.insertOne({ other: 1 }))).code).to.equal(11000);
      expect((await coll.find({ k: null }).toArray()).map((d) => d._id)).to.deep.equal(['null']);
      expect((await coll.find({ k: { $size: 0 } }).toArray()).map((d) => d._id)).to.deep.equal(['empty']);
    });
  });

  describe('updates', () => {
    it('when $set and $setOnInsert name the same path or a prefix of it, then the update fails with code 40 and nothing is written', async () => {
      const err = await rejection(coll.updateOne({ x: 1 }, { $set: { y: 1 }, $setOnInsert: { y: 2 } }, { upsert: true }));
      expect(err.code).to.equal(40);
      expect(err.message).to.equal("Updating the path 'y' would create a conflict at 'y'");
      await coll.insertOne({ x: 2, a: { b: 1 } });
      expect((await rejection(coll.updateOne({ x: 2 }, { $set: { 'a.b': 3 }, $setOnInsert: { a: {} } }))).code).to.equal(40);
      expect(await coll.countDocuments()).to.equal(1);
      expect((await coll.findOne({ x: 2 }, { projection: { _id: 0 } }))).to.deep.equal({ x: 2, a: { b: 1 } });
    });

    it('when a positional $ update sets several fields of the matched element, then all are applied to that element only', async () => {
      await coll.insertOne({ _id: 1 as never, children: [{ _id: 1, name: 'a', n: 0 }, { _id: 2, name: 'b', n: 0 }] });
      const res = await coll.updateOne({ 'children._id': 2 }, { $set: { 'children.$.name': 'B', 'children.$.at': 5 }, $inc: { 'children.$.n': 2 } });
      expect(res.modifiedCount).to.equal(1);
      expect(await coll.findOne({ _id: 1 as never })).to.deep.equal({ _id: 1, children: [{ _id: 1, name: 'a', n: 0 }, { _id: 2, name: 'B', n: 2, at: 5 }] });
      const err = await rejection(coll.updateOne({ _id: 1 as never }, { $set: { 'children.$.name': 'x' } }));
      expect(err.code).to.equal(2);
    });

    it('when $pull names sub-documents without _id (exactly, by condition or with $or), then the matching elements go', async () => {
      await coll.insertOne({ _id: 1 as never, s: [{ v: 1, t: 'a' }, { v: 5, t: 'b' }, { v: 9, t: 'c' }, { v: 12, t: 'd' }] });
      await coll.updateOne({ _id: 1 as never }, { $pull: { s: { v: 5, t: 'b' } } as never });
      await coll.updateOne({ _id: 1 as never }, { $pull: { s: { v: { $gte: 10 } } } as never });
      await coll.updateOne({ _id: 1 as never }, { $pull: { s: { $or: [{ t: 'a' }] } } as never });
      expect((await coll.findOne({ _id: 1 as never }))?.s).to.deep.equal([{ v: 9, t: 'c' }]);
    });

    it('when an update writes a top-level $-prefixed field, then an inserting upsert stores it and an update of an existing document is refused (code 52)', async () => {
      await coll.updateOne({ day: 'mon' }, { $set: { phone: 1, $hotel: 320 } } as never, { upsert: true });
      const stored = await coll.findOne({ day: 'mon' }, { projection: { _id: 0 } });
      expect(stored).to.deep.equal({ day: 'mon', phone: 1, $hotel: 320 });
      const err = await rejection(coll.updateOne({ day: 'mon' }, { $set: { $hotel: 1 } } as never));
      expect(err.code).to.equal(52);
      expect((await coll.findOne({ day: 'mon' }))?.$hotel).to.equal(320);
    });
  });

  describe('queries and projections', () => {
    beforeEach(async () => {
      await coll.insertMany([
        { _id: 1 as never, s: [{ v: 1, t: 'a' }, { v: 5, t: 'b' }, { v: 9, t: 'c' }], tags: ['x', 'y', 'z'], o: 'rest', n: { arr: [1, 2, 3] } },
        { _id: 2 as never, s: [{ v: 2, t: 'b' }], tags: ['x'], o: 'other', n: { arr: [] } },
      ]);
    });

    it('when $elemMatch holds operators ($in, $gte) in a query or a projection, then one element must satisfy all of them', async () => {
      const q = await coll.find({ s: { $elemMatch: { v: { $gte: 4, $lt: 6 }, t: { $in: ['b'] } } } }).toArray();
      expect(q.map((d) => d._id)).to.deep.equal([1]);
      const p = await coll.find({}, { projection: { s: { $elemMatch: { v: { $gte: 4 }, t: { $in: ['b', 'c'] } } } } }).toArray();
      expect(p).to.deep.equal([{ _id: 1, s: [{ v: 5, t: 'b' }] }, { _id: 2 }]);
    });

    it('when $all lists values or $elemMatch conditions, then documents holding all of them match', async () => {
      expect((await coll.find({ tags: { $all: ['x', 'z'] } }).toArray()).map((d) => d._id)).to.deep.equal([1]);
      expect((await coll.find({ tags: { $all: ['x'] } }).toArray()).map((d) => d._id)).to.deep.equal([1, 2]);
      expect((await coll.find({ s: { $all: [{ $elemMatch: { v: 1 } }, { $elemMatch: { t: 'c' } }] } }).toArray()).map((d) => d._id)).to.deep.equal([1]);
      expect((await coll.find({ 's.v': { $all: [1, 9] } }).toArray()).map((d) => d._id)).to.deep.equal([1]);
    });

    it('when a projection has $slice alone or with exclusions, then the rest of the document comes back; with inclusions only those fields', async () => {
      expect(await coll.findOne({ _id: 1 as never }, { projection: { tags: { $slice: 1 } } })).to.deep.equal({
        _id: 1,
        s: [{ v: 1, t: 'a' }, { v: 5, t: 'b' }, { v: 9, t: 'c' }],
        tags: ['x'],
        o: 'rest',
        n: { arr: [1, 2, 3] },
      });
      expect(await coll.findOne({ _id: 1 as never }, { projection: { tags: { $slice: -1 }, s: 0, n: 0 } })).to.deep.equal({ _id: 1, tags: ['z'], o: 'rest' });
      expect(await coll.findOne({ _id: 1 as never }, { projection: { 'n.arr': { $slice: [1, 1] }, s: 0, tags: 0 } })).to.deep.equal({ _id: 1, o: 'rest', n: { arr: [2] } });
      expect(await coll.findOne({ _id: 1 as never }, { projection: { tags: { $slice: 2 }, o: 1 } })).to.deep.equal({ _id: 1, tags: ['x', 'y'], o: 'rest' });
    });

    it('when a projection uses the positional $, then the array holds only the element the filter matched', async () => {
      expect(await coll.find({ 's.v': { $gte: 5 } }, { projection: { 's.$': 1 } }).toArray()).to.deep.equal([{ _id: 1, s: [{ v: 5, t: 'b' }] }]);
    });

    it('when $where or server-side JavaScript is used, then the query is refused and the connection keeps working', async () => {
      const err = await rejection(coll.find({ $where: 'true' }).toArray());
      expect(err.code).to.equal(2);
      expect(await coll.countDocuments()).to.equal(2);
    });
  });

  describe('commands', () => {
    it('when a command is named after an Object.prototype member, then it answers CommandNotFound and the connection stays usable', async () => {
      for (const name of ['toString', 'constructor', 'hasOwnProperty', '__proto__']) {
        const err = await rejection(server.db.command({ [name]: 1 }));
        expect(err.code, name).to.equal(59);
      }
      expect((await server.db.command({ ping: 1 })).ok).to.equal(1);
    });
  });

  describe('Mongoose', () => {
    let conn: Connection;
    interface Part {
      label: string;
      qty: number;
    }
    interface Kid {
      _id: mongoose.Types.ObjectId;
      name: string;
      updatedAt?: Date;
    }
    interface Item {
      name: string;
      parts: mongoose.Types.DocumentArray<Part>;
      kids: Kid[];
    }
    let Item: mongoose.Model<Item>;

    before(async () => {
      conn = await mongoose.createConnection(server.uri, { dbName: server.dbName }).asPromise();
      Item = conn.model<Item>(
        'SemItem',
        new Schema<Item>(
          {
            name: String,
            parts: [new Schema<Part>({ label: String, qty: Number }, { _id: false })],
            kids: [new Schema<Kid>({ name: String }, { timestamps: true })],
          },
          { timestamps: true },
        ),
      );
    });
    after(async () => {
      await conn.close();
    });

    it('when a sub-document without _id is pulled and saved, then it is gone from the stored document', async () => {
      const doc = await Item.create({ name: 'a', parts: [{ label: 'p1', qty: 1 }, { label: 'p2', qty: 2 }], kids: [] });
      doc.parts.pull(doc.parts[0]);
      await doc.save();
      const stored = await Item.findById(doc._id).lean();
      expect(stored?.parts).to.deep.equal([{ label: 'p2', qty: 2 }]);
    });

    it('when a child is updated through the positional operator with timestamps on children, then its name and updatedAt change and its sibling stays', async () => {
      const doc = await Item.create({ name: 'b', parts: [], kids: [{ name: 'k1' }, { name: 'k2' }] });
      const before = await Item.findById(doc._id).lean();
      await new Promise((r) => setTimeout(r, 5));
      await Item.updateOne({ 'kids._id': doc.kids[1]._id }, { $set: { 'kids.$.name': 'K2' } });
      const after = await Item.findById(doc._id).lean();
      expect(after?.kids.map((k) => k.name)).to.deep.equal(['k1', 'K2']);
      expect(after!.kids[1].updatedAt!.getTime()).to.be.greaterThan(before!.kids[1].updatedAt!.getTime());
      expect(after!.kids[0].updatedAt!.getTime()).to.equal(before!.kids[0].updatedAt!.getTime());
    });
  });
});
