import { expect } from 'chai';
import fc from 'fast-check';
import type { Collection, Document } from 'mongodb';
import mongoose, { Schema, type Connection } from 'mongoose';
import { Collection as EngineCollection } from '../../src/db/embedded/collection.js';
import { sortDocs } from '../../src/db/embedded/sort.js';
import { rejection, startTestServer, usingRealServer, type TestServer } from './engine-helper.js';

/** The IXSCAN stage of a winning plan (under FETCH / LIMIT / SKIP / SORT), or undefined for a collection scan. */
function ixscan(plan: Document): Document | undefined {
  let stage: Document | undefined = plan;
  while (stage) {
    if (stage.stage === 'IXSCAN') return stage;
    stage = stage.inputStage as Document | undefined;
  }
  return undefined;
}

function stages(plan: Document): string[] {
  const out: string[] = [];
  for (let s: Document | undefined = plan; s; s = s.inputStage as Document | undefined) out.push(s.stage as string);
  return out;
}

describe('embedded engine: ordered indexes, explain and collation through the driver', () => {
  let server: TestServer;
  let coll: Collection<Document>;

  before(async () => {
    server = await startTestServer('ordered');
    coll = server.db.collection('progress');
    const docs: Document[] = [];
    for (let i = 0; i < 2000; i++) {
      docs.push({ _id: i as never, institution: `inst${i % 20}`, resolution: i % 50, state: ['open', 'done', 'late'][i % 3], at: new Date(Date.UTC(2026, 0, 1) + i * 3600_000), score: (i * 7) % 101 });
    }
    await coll.insertMany(docs);
    await coll.createIndex({ institution: 1, resolution: 1 });
    await coll.createIndex({ state: 1, at: -1 });
    await coll.createIndex({ score: 1 });
  });
  after(async () => {
    await server.stop();
  });

  it('when a query has equality on an index prefix and $in on the next field, then explain names that index, the bounds, and only matching documents are examined', async () => {
    const filter = { institution: 'inst3', resolution: { $in: [3, 23, 43] } };
    const explained = await coll.find(filter).explain('executionStats');
    const ix = ixscan(explained.queryPlanner.winningPlan);
    expect(ix?.indexName).to.equal('institution_1_resolution_1');
    expect(ix?.indexBounds).to.deep.equal({ institution: ['["inst3", "inst3"]'], resolution: ['[3, 3]', '[23, 23]', '[43, 43]'] });
    const found = await coll.find(filter).toArray();
    expect(found).to.have.length(60);
    expect(found.every((d) => d.institution === 'inst3' && [3, 23, 43].includes(d.resolution as number))).to.equal(true);
    expect(explained.executionStats.totalDocsExamined).to.equal(60);
    expect(explained.executionStats.nReturned).to.equal(60);
  });

  it('when a query has a range on an indexed field, then the index bounds are the range and only documents in it are examined', async () => {
    const explained = await coll.find({ score: { $gt: 90, $lte: 95 } }).explain('executionStats');
    expect(ixscan(explained.queryPlanner.winningPlan)?.indexBounds).to.deep.equal({ score: ['(90, 95]'] });
    const expected = await coll.countDocuments({ score: { $gt: 90, $lte: 95 } }, { hint: { $natural: 1 } });
    expect(explained.executionStats.nReturned).to.equal(expected);
    expect(explained.executionStats.totalDocsExamined).to.equal(expected);
  });

  it('when a query sorts by the index order after an equality prefix with a limit, then no SORT stage runs and only the limit is examined', async () => {
    const cursor = () => coll.find({ state: 'late' }).sort({ at: -1 }).skip(5).limit(20);
    const explained = await cursor().explain('executionStats');
    expect(stages(explained.queryPlanner.winningPlan)).to.deep.equal(['LIMIT', 'SKIP', 'FETCH', 'IXSCAN']);
    expect(ixscan(explained.queryPlanner.winningPlan)?.indexName).to.equal('state_1_at_-1');
    expect(explained.executionStats.totalDocsExamined).to.equal(25);
    const got = await cursor().toArray();
    const all = (await coll.find({ state: 'late' }, { hint: { $natural: 1 } }).toArray()).sort((a, b) => (b.at as Date).getTime() - (a.at as Date).getTime());
    expect(got.map((d) => d._id)).to.deep.equal(all.slice(5, 25).map((d) => d._id));
  });

  it('when the sort is the index order reversed, then the index is scanned backwards', async () => {
    const explained = await coll.find({ state: 'open' }).sort({ at: 1 }).limit(3).explain('executionStats');
    expect(ixscan(explained.queryPlanner.winningPlan)?.direction).to.equal('backward');
    const got = await coll.find({ state: 'open' }).sort({ at: 1 }).limit(3).toArray();
    expect(got.map((d) => d._id)).to.deep.equal([0, 3, 6]);
  });

  it('when a sort cannot use an index, then a SORT stage keeps only the top of a limit and the answer is the same as sorting everything', async () => {
    const explained = await coll.find({ institution: 'inst1' }).sort({ score: -1, _id: 1 }).limit(5).explain('executionStats');
    expect(stages(explained.queryPlanner.winningPlan)).to.deep.equal(['SORT', 'FETCH', 'IXSCAN']);
    expect(explained.queryPlanner.winningPlan.limitAmount).to.equal(5);
    const got = await coll.find({ institution: 'inst1' }).sort({ score: -1, _id: 1 }).limit(5).toArray();
    const all = (await coll.find({ institution: 'inst1' }).toArray()).sort((a, b) => (b.score as number) - (a.score as number) || (a._id as unknown as number) - (b._id as unknown as number));
    expect(got.map((d) => d._id)).to.deep.equal(all.slice(0, 5).map((d) => d._id));
  });

  it('when nothing indexed is in the filter, then explain shows a collection scan; a hint forces an index; an unknown hint is an error', async () => {
    const scan = await coll.find({ other: 1 }).explain('queryPlanner');
    expect(stages(scan.queryPlanner.winningPlan)).to.deep.equal(['COLLSCAN']);
    const hinted = await coll.find({ score: 5 }).hint({ state: 1, at: -1 }).explain('queryPlanner');
    expect(ixscan(hinted.queryPlanner.winningPlan)?.indexName).to.equal('state_1_at_-1');
    expect(await coll.countDocuments({ score: 5 }, { hint: 'state_1_at_-1' })).to.equal(await coll.countDocuments({ score: 5 }));
    expect((await rejection(coll.find({}).hint('nope_1').toArray())).code).to.equal(2);
  });

  it('when an aggregation starts with $match and $sort + $limit, then explain shows the index and the answer matches', async () => {
    const explained = await coll.aggregate([{ $match: { institution: 'inst2' } }, { $sort: { resolution: 1 } }, { $limit: 4 }, { $project: { resolution: 1 } }]).explain('queryPlanner');
    expect(ixscan((explained as Document).queryPlanner.winningPlan)?.indexName).to.equal('institution_1_resolution_1');
    const got = await coll.aggregate([{ $match: { institution: 'inst2' } }, { $sort: { resolution: 1 } }, { $limit: 4 }, { $project: { resolution: 1 } }]).toArray();
    expect(got.map((d) => d.resolution)).to.deep.equal([2, 2, 2, 2]);
  });

  describe('collation', () => {
    let names: Collection<Document>;
    before(async () => {
      names = server.db.collection('names');
      await names.insertMany([{ s: 'abc' }, { s: 'ABC' }, { s: 'Åbc' }, { s: 'abd' }, { s: 'b' }, { s: 'B' }]);
    });

    it('when a find uses a collation of strength 1, 2 or 3, then case and accents count as mongod says', async () => {
      const find = async (strength: number) => (await names.find({ s: 'abc' }, { collation: { locale: 'en', strength } }).toArray()).map((d) => d.s).sort();
      expect(await find(1)).to.deep.equal(['ABC', 'abc', 'Åbc']);
      expect(await find(2)).to.deep.equal(['ABC', 'abc']);
      expect(await find(3)).to.deep.equal(['abc']);
      expect((await names.find({ s: 'abc' }).toArray()).map((d) => d.s)).to.deep.equal(['abc']);
      expect(await names.countDocuments({ s: { $in: ['B'] } }, { collation: { locale: 'en', strength: 2 } })).to.equal(2);
    });

    it('when a sort uses a collation, then strings sort in the locale order instead of by code points', async () => {
      const binary = (await names.find({}).sort({ s: 1 }).toArray()).map((d) => d.s);
      expect(binary).to.deep.equal(['ABC', 'B', 'abc', 'abd', 'b', 'Åbc']);
      const en = (await names.find({}).sort({ s: 1 }).collation({ locale: 'en', strength: 3 }).toArray()).map((d) => d.s);
      expect(en).to.deep.equal(['abc', 'ABC', 'Åbc', 'abd', 'b', 'B']);
    });

    it('when a unique index has a collation of strength 2, then values differing only in case are duplicates and an equal-collation query uses the index', async () => {
      const users = server.db.collection('users');
      await users.createIndex({ email: 1 }, { unique: true, collation: { locale: 'en', strength: 2 } });
      await users.insertOne({ email: 'Asha@Example.go.tz' });
      const err = await rejection(users.insertOne({ email: 'asha@example.go.tz' }));
      expect(err.code).to.equal(11000);
      await users.insertOne({ email: 'juma@example.go.tz' });
      const explained = await users.find({ email: 'ASHA@EXAMPLE.GO.TZ' }).collation({ locale: 'en', strength: 2 }).explain('executionStats');
      expect(ixscan(explained.queryPlanner.winningPlan)?.indexName).to.equal('email_1');
      expect(explained.executionStats.nReturned).to.equal(1);
      // Without the collation the query compares binary: the index may serve it, the answer is exact.
      expect(await users.countDocuments({ email: 'ASHA@EXAMPLE.GO.TZ' })).to.equal(0);
    });
  });

  describe('Mongoose patterns the pages use', () => {
    let conn: Connection;
    before(async () => {
      conn = await mongoose.createConnection(server.uri, { dbName: server.dbName }).asPromise();
    });
    after(async () => {
      await conn.close();
    });

    it('when find + sort + skip + limit and countDocuments with a prefix run through Mongoose, then the answers equal a scan and explain shows the compound index', async () => {
      const Progress = conn.model('Progress', new Schema({ institution: String, resolution: Number, state: String, at: Date, score: Number }, { collection: 'progress', autoIndex: false }));
      const page = await Progress.find({ state: 'done' }).sort({ at: -1 }).skip(10).limit(10).lean();
      const all = (await Progress.find({ state: 'done' }).hint({ $natural: 1 }).lean()).sort((a, b) => b.at!.getTime() - a.at!.getTime());
      expect(page.map((d) => d._id)).to.deep.equal(all.slice(10, 20).map((d) => d._id));
      expect(await Progress.countDocuments({ institution: 'inst4' })).to.equal(100);
      // The app runs Mongoose with sanitizeFilter: operator objects it builds are marked trusted.
      const explained = (await Progress.find({ institution: 'inst4', resolution: mongoose.trusted({ $in: [4, 24] }) }).sort({ resolution: 1 }).explain('queryPlanner')) as unknown as Document;
      const plan = Array.isArray(explained) ? (explained[0] as Document) : explained;
      expect(ixscan(plan.queryPlanner.winningPlan)?.indexName).to.equal('institution_1_resolution_1');
    });
  });
});

if (!usingRealServer) {
  describe('engine-internal: ordered index answers equal a collection scan (property)', () => {
    const value = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('a', 'b', 'B', 'c'), fc.constant(null), fc.constant(undefined), fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 3 }));
    const scalar = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('a', 'b', 'c'), fc.constant(null));
    const field = fc.constantFrom('a', 'b', 'c.d');
    const cond = fc.oneof(
      scalar,
      scalar.map((v) => ({ $eq: v })),
      fc.array(scalar, { minLength: 1, maxLength: 3 }).map((v) => ({ $in: v })),
      fc.tuple(fc.constantFrom('$gt', '$gte', '$lt', '$lte'), fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('a', 'b'))).map(([op, v]) => ({ [op]: v })),
      fc.tuple(fc.integer({ min: -3, max: 0 }), fc.integer({ min: 0, max: 3 })).map(([lo, hi]) => ({ $gte: lo, $lt: hi })),
    );
    const filter = fc.dictionary(field, cond, { maxKeys: 2 });
    const sort = fc.option(fc.tuple(field, fc.constantFrom(1, -1), fc.option(fc.tuple(field, fc.constantFrom(1, -1)), { nil: undefined })), { nil: undefined });

    it('when random documents, indexes, filters, sorts and limits are combined, then the indexed answer equals the scan', () => {
      fc.assert(
        fc.property(fc.array(fc.record({ a: value, b: value, d: value }), { maxLength: 40 }), filter, sort, fc.nat({ max: 5 }), (rows, f, s, limit) => {
          const coll = new EngineCollection('db.prop');
          coll.addIndex({ name: 'a_1_b_-1', key: { a: 1, b: -1 } });
          coll.addIndex({ name: 'b_1', key: { b: 1 } });
          coll.addIndex({ name: 'c.d_1', key: { 'c.d': 1 } });
          // Never used unhinted: they miss documents.
          coll.addIndex({ name: 'a_1_p', key: { a: 1 }, partialFilterExpression: { b: { $gt: 0 } } });
          coll.addIndex({ name: 'b_1_a_1_s', key: { b: 1, a: 1 }, sparse: true });
          rows.forEach((r, i) => {
            const doc: Document = { _id: i };
            if (r.a !== undefined) doc.a = r.a;
            if (r.b !== undefined) doc.b = r.b;
            if (r.d !== undefined) doc.c = i % 2 ? { d: r.d } : [{ d: r.d }, { e: 1 }];
            coll.insert(doc);
          });
          const sortSpec: Document | undefined = s ? { [s[0]]: s[1], ...(s[2] && s[2][0] !== s[0] ? { [s[2][0]]: s[2][1] } : {}) } : undefined;
          const indexed = coll.query({ filter: f, sort: sortSpec, limit }).docs;
          const all = coll.query({ filter: f, sort: sortSpec, hint: { $natural: 1 } }).docs;
          const ids = (docs: Document[]) => docs.map((d) => d._id as number);
          if (!sortSpec) {
            if (limit === 0) expect(ids(indexed)).to.deep.equal(ids(all));
            else expect(ids(indexed).every((id) => ids(all).includes(id)) && indexed.length === Math.min(limit, all.length)).to.equal(true);
            return;
          }
          // Sorted (a stable re-sort changes nothing), the right length, and nothing better left out.
          expect(ids(sortDocs(indexed, sortSpec))).to.deep.equal(ids(indexed));
          expect(indexed.length).to.equal(limit === 0 ? all.length : Math.min(limit, all.length));
          if (limit === 0) expect([...ids(indexed)].sort()).to.deep.equal([...ids(all)].sort());
          const last = indexed[indexed.length - 1];
          for (const other of all) {
            if (!indexed.includes(other)) expect(sortDocs([last, other], sortSpec)[0]).to.equal(last);
          }
        }),
        { numRuns: 300 },
      );
    });
  });
}
