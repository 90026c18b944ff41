import { expect } from 'chai';
import { ObjectId, type Document } from 'bson';
import { Collection } from '../../src/db/embedded/collection.js';
import { usingRealServer } from './engine-helper.js';

if (!usingRealServer) {
  describe('engine-internal: collection lookups', () => {
    function build(): Collection {
      const coll = new Collection('db.things');
      for (let i = 0; i < 1000; i++) coll.insert({ _id: i, g: i % 100, tags: [`t${i % 7}`], nested: { k: i % 10 }, opt: i % 2 ? i : undefined });
      coll.addIndex({ name: 'g_1', key: { g: 1 } });
      coll.addIndex({ name: 'tags_1', key: { tags: 1 } });
      coll.addIndex({ name: 'nested.k_1', key: { 'nested.k': 1 } });
      coll.addIndex({ name: 'opt_1', key: { opt: 1 }, sparse: true });
      return coll;
    }

    /** Documents the query fetched (index candidates), and whether the answer equals a plain scan's. */
    function examined(coll: Collection, filter: Document): number {
      const r = coll.query({ filter });
      const scan = coll.query({ filter, hint: { $natural: 1 } });
      expect(r.docs.map((d) => d._id)).to.deep.equal(scan.docs.map((d) => d._id));
      return r.docsExamined;
    }

    it('when filtering by _id or by equality on an indexed field, then only the matching documents are fetched', () => {
      const coll = build();
      expect(examined(coll, { _id: 5 })).to.equal(1);
      expect(examined(coll, { _id: { $in: [1, 2, 3000] } })).to.equal(2);
      expect(examined(coll, { g: 7 })).to.equal(10);
      expect(examined(coll, { g: { $in: [1, 2] }, other: 'x' })).to.equal(20);
      expect(examined(coll, { $and: [{ g: 3 }, { _id: { $gt: 10 } }] })).to.equal(10);
      expect(examined(coll, { tags: 't3' })).to.be.within(142, 143);
      expect(examined(coll, { 'nested.k': 4 })).to.equal(100);
    });

    it('when a filter has a range on an indexed field, then only the documents in range are fetched; a sparse index is not used where it misses documents', () => {
      const coll = build();
      expect(examined(coll, { g: { $gt: 97 } })).to.equal(20);
      expect(examined(coll, { g: { $gte: 10, $lt: 12 } })).to.equal(20);
      expect(examined(coll, { _id: { $lt: 10 } })).to.equal(10);
      // Sparse indexes miss documents without the field: used for a non-null equality, never for null.
      expect(examined(coll, { opt: 3 })).to.equal(1);
      expect(examined(coll, { opt: null })).to.equal(1000);
      expect(coll.find({ opt: null })).to.have.length(500);
      expect(examined(coll, { other: 1 })).to.equal(1000);
    });

    it('when documents are updated and removed, then the indexes follow', () => {
      const coll = build();
      const doc = coll.find({ _id: 7 })[0];
      coll.replace(doc, { ...doc, g: 1000 });
      expect(coll.find({ g: 1000 }).map((d) => d._id)).to.deep.equal([7]);
      expect(coll.find({ g: 7 })).to.have.length(9);
      coll.remove(coll.find({ _id: 7 })[0]);
      expect(coll.find({ g: 1000 })).to.have.length(0);
      expect(coll.query({ filter: { g: 1000 } }).docsExamined).to.equal(0);
    });

    it('when ObjectIds and Dates are used as keys, then equal values share one key', () => {
      const coll = new Collection('db.keys');
      const id = new ObjectId();
      coll.addIndex({ name: 'ref_1', key: { ref: 1 } });
      coll.insert({ _id: 1, ref: id, at: new Date(0) });
      expect(coll.find({ ref: new ObjectId(id.toHexString()) })).to.have.length(1);
      expect(coll.find({ _id: 1, at: new Date(0) })).to.have.length(1);
    });
  });
}
