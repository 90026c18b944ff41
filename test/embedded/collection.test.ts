import { expect } from 'chai';
import { ObjectId } from 'bson';
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

    it('when filtering by _id or by equality on an indexed field, then only the matching documents are candidates', () => {
      const coll = build();
      expect([...coll.candidates({ _id: 5 })]).to.have.length(1);
      expect([...coll.candidates({ _id: { $in: [1, 2, 3000] } })]).to.have.length(2);
      expect([...coll.candidates({ g: 7 })]).to.have.length(10);
      expect([...coll.candidates({ g: { $in: [1, 2] }, other: 'x' })]).to.have.length(20);
      expect([...coll.candidates({ $and: [{ g: 3 }, { _id: { $gt: 10 } }] })]).to.have.length(10);
      expect([...coll.candidates({ tags: 't3' })].length).to.be.within(142, 143);
      expect([...coll.candidates({ 'nested.k': 4 })]).to.have.length(100);
    });

    it('when a filter cannot use an index, then every document is a candidate and find still matches correctly', () => {
      const coll = build();
      expect([...coll.candidates({ g: { $gt: 5 } })]).to.have.length(1000);
      // Sparse indexes miss documents without the field, so they are not used for equality.
      expect([...coll.candidates({ opt: 3 })]).to.have.length(1000);
      expect(coll.find({ opt: 3 })).to.have.length(1);
      expect(coll.find({ g: { $gt: 97 } })).to.have.length(20);
    });

    it('when documents are updated and removed, then the indexes follow', () => {
      const coll = build();
      const doc = coll.find({ _id: 7 })[0];
      coll.replace(doc, { ...doc, g: 1000 });
      expect(coll.find({ g: 1000 }).map((d) => d._id)).to.deep.equal([7]);
      expect(coll.find({ g: 7 })).to.have.length(9);
      coll.remove(coll.find({ _id: 7 })[0]);
      expect(coll.find({ g: 1000 })).to.have.length(0);
      expect([...coll.candidates({ g: 1000 })]).to.have.length(0);
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
