import { expect } from 'chai';
import fc from 'fast-check';
import { update as mingoUpdate } from 'mingo';
import type { Document } from 'bson';
import { tryFastUpdate } from '../../src/db/embedded/fast-update.js';
import { cloneValue, canonicalKey } from '../../src/db/embedded/values.js';
import { usingRealServer } from './engine-helper.js';

if (!usingRealServer) {
  describe('engine-internal: fast update path agrees with mingo', () => {
    const key = fc.constantFrom('a', 'b', 'c');
    const path = fc.array(key, { minLength: 1, maxLength: 3 }).map((p) => p.join('.'));
    const scalar = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.string({ maxLength: 3 }), fc.constant(null), fc.boolean());
    const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, scalar, fc.dictionary(key, tie('v'), { maxKeys: 3 }), fc.array(scalar, { maxLength: 2 })),
    })).v;
    const doc = fc.dictionary(key, value, { maxKeys: 3 });
    const modifier = fc.record(
      {
        $set: fc.dictionary(path, value, { minKeys: 1, maxKeys: 2 }),
        $unset: fc.dictionary(path, fc.constant(''), { minKeys: 1, maxKeys: 2 }),
        $inc: fc.dictionary(path, fc.integer({ min: -3, max: 3 }), { minKeys: 1, maxKeys: 2 }),
      },
      { requiredKeys: [] },
    );

    it('when the fast path accepts an update, then the result equals mingo’s and the input is untouched', () => {
      fc.assert(
        fc.property(doc, modifier, (d, m) => {
          const before = canonicalKey(d);
          const fast = tryFastUpdate(d as Document, m as Document);
          expect(canonicalKey(d)).to.equal(before);
          if (!fast) return;
          const slow = cloneValue(d) as Document;
          let failed = false;
          try {
            mingoUpdate(slow, m as Document, [], {}, { cloneMode: 'deep' });
          } catch {
            failed = true;
          }
          expect(failed, 'mingo rejects an update the fast path accepted').to.equal(false);
          expect(canonicalKey(fast)).to.equal(canonicalKey(slow));
        }),
        { numRuns: 500 },
      );
    });
  });
}
