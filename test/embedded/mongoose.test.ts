import { expect } from 'chai';
import mongoose, { Schema, type Connection } from 'mongoose';
import { startTestServer, type TestServer } from './engine-helper.js';

interface Institution {
  code: string;
  name: string;
  region?: string;
  revision: number;
}
interface Resolution {
  meeting: mongoose.Types.ObjectId;
  number: number;
  title: string;
  institution?: mongoose.Types.ObjectId;
  status: string;
  tags: string[];
}

describe('embedded engine: Mongoose', () => {
  let server: TestServer;
  let conn: Connection;
  let Institution: mongoose.Model<Institution>;
  let Resolution: mongoose.Model<Resolution>;

  before(async () => {
    server = await startTestServer('mongoose');
    conn = await mongoose.createConnection(server.uri, { dbName: server.dbName, autoIndex: true }).asPromise();
    Institution = conn.model<Institution>(
      'Institution',
      new Schema<Institution>({ code: { type: String, required: true, unique: true }, name: String, region: String, revision: { type: Number, default: 0 } }),
    );
    const resolutionSchema = new Schema<Resolution>(
      {
        meeting: { type: Schema.Types.ObjectId, required: true },
        number: { type: Number, required: true },
        title: String,
        institution: { type: Schema.Types.ObjectId, ref: 'Institution' },
        status: { type: String, default: 'pending' },
        tags: [String],
      },
      { timestamps: true },
    );
    resolutionSchema.index({ meeting: 1, number: 1 }, { unique: true });
    resolutionSchema.index({ status: 1 });
    Resolution = conn.model<Resolution>('Resolution', resolutionSchema);
    await Promise.all([Institution.init(), Resolution.init()]);
  });
  after(async () => {
    await conn.close();
    await server.stop();
  });
  beforeEach(async () => {
    await Promise.all([Institution.deleteMany({}), Resolution.deleteMany({})]);
  });

  it('when models are initialised, then their schema indexes exist with the right options', async () => {
    const idx = await Resolution.listIndexes();
    const byName = new Map(idx.map((i) => [i.name as string, i]));
    expect(byName.get('meeting_1_number_1')).to.deep.include({ key: { meeting: 1, number: 1 }, unique: true });
    expect(byName.get('status_1')).to.deep.include({ key: { status: 1 } });
    expect((await Institution.listIndexes()).map((i) => i.name)).to.include('code_1');
  });

  it('when documents are created and queried, then Mongoose casts and returns them', async () => {
    const inst = await Institution.create({ code: 'EGA', name: 'e-Government Authority' });
    const found = await Institution.findById(inst._id).lean();
    expect(found).to.include({ code: 'EGA', name: 'e-Government Authority', revision: 0 });
    expect(await Institution.exists({ code: 'EGA' })).to.not.equal(null);
    const r = await Resolution.create({ meeting: new mongoose.Types.ObjectId(), number: 1, title: 'T' });
    expect(r.get('createdAt')).to.be.instanceOf(Date);
  });

  it('when a unique field is duplicated, then Mongoose rejects with code 11000, keyPattern and keyValue', async () => {
    await Institution.create({ code: 'TRA', name: 'A' });
    const err = (await Institution.create({ code: 'TRA', name: 'B' }).catch((e: unknown) => e)) as { code: number; keyPattern: object; keyValue: object; name: string };
    expect(err.name).to.equal('MongoServerError');
    expect(err.code).to.equal(11000);
    expect(err.keyPattern).to.deep.equal({ code: 1 });
    expect(err.keyValue).to.deep.equal({ code: 'TRA' });
    expect(await Institution.countDocuments()).to.equal(1);
  });

  it('when a compound unique key is duplicated, then Mongoose rejects with 11000 for that key', async () => {
    const meeting = new mongoose.Types.ObjectId();
    await Resolution.create({ meeting, number: 1, title: 'a' });
    const err = (await Resolution.create({ meeting, number: 1, title: 'b' }).catch((e: unknown) => e)) as { code: number; keyValue: Record<string, unknown> };
    expect(err.code).to.equal(11000);
    expect(String(err.keyValue.meeting)).to.equal(String(meeting));
    expect(err.keyValue.number).to.equal(1);
  });

  it('when findOneAndUpdate uses an optimistic revision, then only the matching revision wins', async () => {
    const inst = await Institution.create({ code: 'BOT', name: 'Bank' });
    const first = await Institution.findOneAndUpdate({ _id: inst._id, revision: 0 }, { $set: { name: 'Bank of Tanzania' }, $inc: { revision: 1 } }, { returnDocument: 'after' });
    expect(first!.revision).to.equal(1);
    const stale = await Institution.findOneAndUpdate({ _id: inst._id, revision: 0 }, { $set: { name: 'stale' }, $inc: { revision: 1 } }, { returnDocument: 'after' });
    expect(stale).to.equal(null);
    const raw = await Institution.findOneAndUpdate({ code: 'NEW' }, { $set: { name: 'New' } }, { upsert: true, returnDocument: 'after', includeResultMetadata: true });
    expect(raw.lastErrorObject?.updatedExisting).to.equal(false);
    expect(raw.value!.code).to.equal('NEW');
    expect((await Institution.findById(inst._id).lean())!.name).to.equal('Bank of Tanzania');
  });

  it('when populate is used, then referenced documents are loaded', async () => {
    const inst = await Institution.create({ code: 'NIDA', name: 'NIDA' });
    const meeting = new mongoose.Types.ObjectId();
    await Resolution.create([
      { meeting, number: 1, title: 'a', institution: inst._id },
      { meeting, number: 2, title: 'b', institution: inst._id },
    ]);
    const list = await Resolution.find({ meeting }).sort({ number: 1 }).populate<{ institution: Institution }>('institution').lean();
    expect(list.map((r) => r.institution.code)).to.deep.equal(['NIDA', 'NIDA']);
  });

  it('when counting, then countDocuments and estimatedDocumentCount agree', async () => {
    const meeting = new mongoose.Types.ObjectId();
    await Resolution.insertMany(Array.from({ length: 12 }, (_, i) => ({ meeting, number: i, status: i % 3 === 0 ? 'done' : 'pending' })));
    expect(await Resolution.countDocuments({ status: 'done' })).to.equal(4);
    expect(await Resolution.estimatedDocumentCount()).to.equal(12);
  });

  it('when aggregating with $lookup, $group, $facet, $unwind and $count, then the results are computed across collections', async () => {
    const [a, b] = await Institution.create([
      { code: 'A', name: 'Alpha' },
      { code: 'B', name: 'Beta' },
    ]);
    const meeting = new mongoose.Types.ObjectId();
    await Resolution.create([
      { meeting, number: 1, institution: a._id, status: 'done', tags: ['x', 'y'] },
      { meeting, number: 2, institution: a._id, status: 'pending', tags: ['y'] },
      { meeting, number: 3, institution: b._id, status: 'done', tags: [] },
    ]);
    const perInstitution = await Resolution.aggregate([
      { $match: { meeting } },
      { $group: { _id: '$institution', total: { $sum: 1 }, done: { $sum: { $cond: [{ $eq: ['$status', 'done'] }, 1, 0] } } } },
      { $lookup: { from: 'institutions', localField: '_id', foreignField: '_id', as: 'inst' } },
      { $unwind: '$inst' },
      { $project: { _id: 0, code: '$inst.code', total: 1, done: 1 } },
      { $sort: { code: 1 } },
    ]);
    expect(perInstitution).to.deep.equal([
      { total: 2, done: 1, code: 'A' },
      { total: 1, done: 1, code: 'B' },
    ]);
    const [facets] = await Resolution.aggregate([
      { $facet: { byStatus: [{ $group: { _id: '$status', n: { $sum: 1 } } }, { $sort: { _id: 1 } }], tags: [{ $unwind: '$tags' }, { $count: 'n' }] } },
    ]);
    expect(facets).to.deep.equal({ byStatus: [{ _id: 'done', n: 2 }, { _id: 'pending', n: 1 }], tags: [{ n: 3 }] });
    const withAdded = await Resolution.aggregate([{ $match: { number: 1 } }, { $addFields: { 'extra.flag': true } }]);
    expect(withAdded[0].extra).to.deep.equal({ flag: true });
    const stored = await Resolution.findOne({ number: 1 }).lean();
    expect(stored).to.not.have.property('extra');
  });

  it('when bulkWrite runs through Mongoose, then all operations apply', async () => {
    await Institution.bulkWrite([
      { insertOne: { document: { code: 'X1', name: 'x' } } },
      { updateOne: { filter: { code: 'X2' }, update: { $set: { name: 'y' } }, upsert: true } },
    ]);
    expect((await Institution.find().sort({ code: 1 }).lean()).map((i) => i.code)).to.deep.equal(['X1', 'X2']);
  });

  it('when syncIndexes runs after the schema changed, then extra indexes are dropped and new ones built', async () => {
    const coll = conn.collection('syncs');
    await coll.insertOne({ a: 1, b: 1 });
    await coll.createIndex({ old: 1 });
    const Sync = conn.model('Sync', new Schema({ a: { type: Number, index: true }, b: { type: Number, unique: true } }, { autoIndex: false }), 'syncs');
    const dropped = await Sync.syncIndexes();
    expect(dropped).to.deep.equal(['old_1']);
    const names = (await Sync.listIndexes()).map((i) => i.name).sort();
    expect(names).to.deep.equal(['_id_', 'a_1', 'b_1']);
    expect(await Sync.syncIndexes()).to.deep.equal([]);
  });

  it('when save() modifies a loaded document, then only the changes are written', async () => {
    const doc = await Resolution.create({ meeting: new mongoose.Types.ObjectId(), number: 9, title: 'before', tags: ['a'] });
    doc.title = 'after';
    doc.tags.push('b');
    await doc.save();
    const stored = await Resolution.findById(doc._id).lean();
    expect(stored!.title).to.equal('after');
    expect(stored!.tags).to.deep.equal(['a', 'b']);
    await Resolution.deleteOne({ _id: doc._id });
    expect(await Resolution.findById(doc._id)).to.equal(null);
  });
});
