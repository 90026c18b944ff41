import { expect } from 'chai';
import fc from 'fast-check';
import { Query } from 'mingo';
import { ObjectId, type Document } from 'bson';
import { compileFastFilter, compileFastProjection } from '../../src/db/embedded/fast-query.js';
import { compileFilter, project } from '../../src/db/embedded/mingo-adapter.js';
import { canonicalKey } from '../../src/db/embedded/values.js';
import { usingRealServer } from './engine-helper.js';

const OPTIONS = { useStrictMode: true, scriptEnabled: false } as const;

/** Key order matters: the reply is serialized in this order. */
function ordered(v: unknown): string {
  if (Array.isArray(v)) return '[' + v.map(ordered).join(',') + ']';
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return '{' + Object.entries(v).map(([k, x]) => JSON.stringify(k) + ':' + ordered(x)).join(',') + '}';
  }
  return canonicalKey(v) + (Object.is(v, -0) ? '-0' : '');
}

if (!usingRealServer) {
  describe('engine-internal: fast filters and projections agree with mingo', () => {
    const ids = [new ObjectId('6b0000000000000000000001'), new ObjectId('6b0000000000000000000002')];
    const dates = [new Date(0), new Date(1000), new Date(NaN)];
    const key = fc.constantFrom('a', 'b', 'c');
    const path = fc.array(key, { minLength: 1, maxLength: 3 }).map((p) => p.join('.'));
    const scalar = fc.oneof(
      fc.integer({ min: -2, max: 2 }),
      fc.constantFrom(0.5, -0, NaN, '1', 'a', 'b', '', true, false, null),
      fc.constantFrom(...ids),
      fc.constantFrom(...dates),
    );
    const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, scalar, scalar, fc.dictionary(key, tie('v'), { maxKeys: 3, noNullPrototype: true }), fc.array(tie('v'), { maxLength: 2 })),
    })).v;
    const doc = fc.dictionary(key, value, { maxKeys: 3, noNullPrototype: true }).map((d) => ({ _id: 1, ...d }) as Document);
    const queryScalar = fc.oneof(fc.integer({ min: -2, max: 2 }), fc.constantFrom('1', 'a', 'b', true, false, null), fc.constantFrom(...ids), fc.constantFrom(...dates.slice(0, 2)));
    const operator = fc.oneof(
      queryScalar.map((v) => ({ $eq: v })),
      queryScalar.map((v) => ({ $ne: v })),
      fc.array(queryScalar, { maxLength: 3 }).map((v) => ({ $in: v })),
      fc.array(queryScalar, { maxLength: 3 }).map((v) => ({ $nin: v })),
      fc.tuple(fc.constantFrom('$gt', '$gte', '$lt', '$lte'), queryScalar).map(([op, v]) => ({ [op]: v })),
      fc.boolean().map((v) => ({ $exists: v })),
    );
    const condition = fc.oneof(queryScalar, operator, fc.tuple(operator, operator).map(([x, y]) => ({ ...x, ...y })));
    const fieldFilter = fc.dictionary(path, condition, { minKeys: 1, maxKeys: 2 });
    const filter = fc.oneof(
      fieldFilter,
      fc.array(fieldFilter, { minLength: 1, maxLength: 2 }).map((f) => ({ $or: f })),
      fc.tuple(fieldFilter, fc.array(fieldFilter, { minLength: 1, maxLength: 2 })).map(([f, and]) => ({ ...f, $and: and })),
    );

    it('when a filter is compiled, then it matches exactly the documents mingo matches', () => {
      let fastUsed = 0;
      fc.assert(
        fc.property(filter, fc.array(doc, { maxLength: 6 }), (f, docs) => {
          let q: Query;
          try {
            q = new Query(f, OPTIONS);
          } catch {
            return;
          }
          if (compileFastFilter(f)) fastUsed++;
          const match = compileFilter(f);
          for (const d of docs) expect(match(d), JSON.stringify(f)).to.equal(q.test(d));
        }),
        { numRuns: 3000 },
      );
      expect(fastUsed).to.be.greaterThan(1000);
    });

    const projection = fc.oneof(
      fc.dictionary(path, fc.constantFrom(1, true), { minKeys: 1, maxKeys: 4 }),
      fc.dictionary(path, fc.constantFrom(1, true), { minKeys: 1, maxKeys: 3 }).map((p) => ({ ...p, _id: 0 })),
      fc.dictionary(path, fc.constantFrom(1, true), { minKeys: 1, maxKeys: 3 }).map((p) => ({ _id: 1, ...p })),
    );

    it('when a projection is applied, then the documents equal mingo’s, key order included, and the input is untouched', () => {
      let fastUsed = 0;
      fc.assert(
        fc.property(projection, fc.array(doc, { minLength: 1, maxLength: 4 }), (p, docs) => {
          let expected: Document[];
          try {
            expected = new Query({}, OPTIONS).find(docs, p).all() as Document[];
          } catch {
            return;
          }
          if (compileFastProjection(p)) fastUsed++;
          const before = docs.map(ordered);
          const got = project(docs, p);
          expect(got.map(ordered), JSON.stringify(p)).to.deep.equal(expected.map(ordered));
          expect(docs.map(ordered)).to.deep.equal(before);
        }),
        { numRuns: 3000 },
      );
      expect(fastUsed).to.be.greaterThan(1000);
    });

    it('when a filter or projection uses anything else, then the fast path declines', () => {
      expect(compileFastFilter({ a: /x/ })).to.equal(undefined);
      expect(compileFastFilter({ a: { $elemMatch: { b: 1 } } })).to.equal(undefined);
      expect(compileFastFilter({ 'a.0': 1 })).to.equal(undefined);
      expect(compileFastFilter({ a: { b: 1 } })).to.equal(undefined);
      expect(compileFastFilter({ $nor: [{ a: 1 }] })).to.equal(undefined);
      expect(compileFastProjection({ a: 0 })).to.equal(undefined);
      expect(compileFastProjection({ a: 1, 'a.b': 1 })).to.equal(undefined);
      expect(compileFastProjection({ a: { $slice: 1 } })).to.equal(undefined);
    });
  });
}
