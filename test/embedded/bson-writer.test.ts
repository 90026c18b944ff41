import { expect } from 'chai';
import fc from 'fast-check';
import { BSON, Binary, Code, Decimal128, Double, Int32, Long, MaxKey, ObjectId, Timestamp, UUID, type Document } from 'bson';
import { encodeBsonAfter } from '../../src/db/embedded/bson-writer.js';

/** What the engine used before: the library's serializer. */
function reference(doc: Document, ignoreUndefined: boolean): Buffer {
  return Buffer.from(BSON.serialize(doc, { checkKeys: false, ignoreUndefined, serializeFunctions: false }));
}

function encoded(doc: Document, ignoreUndefined: boolean, reserved = 0): Buffer | undefined {
  const out = encodeBsonAfter(reserved, doc, { ignoreUndefined });
  return out?.subarray(reserved);
}

const key = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('_id', 'a', 'a.b', '$set', '0', '10', '__proto__', 'ключ', 'ñ', '😀'));
const scalar = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(0, -0, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, 2 ** 53, -(2 ** 53) - 2, NaN, Infinity, -Infinity, 1.5),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.date({ noInvalidDate: false }),
  fc.integer({ min: -8.64e15, max: 8.64e15 }).map((t) => new Date(t)),
  fc.uint8Array({ minLength: 12, maxLength: 12 }).map((b) => new ObjectId(b)),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((b) => Long.fromBigInt(b)),
  fc.tuple(fc.nat(), fc.nat()).map(([t, i]) => new Timestamp({ t, i })),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((n) => new Int32(n)),
  fc.double().map((n) => new Double(n)),
  fc.constantFrom('0', '-1.5E+10', 'NaN', '123456789012345678901234567890').map((s) => Decimal128.fromString(s)),
  fc.tuple(fc.uint8Array({ maxLength: 40 }), fc.constantFrom(0, 1, 3, 4, 5, 128)).map(([b, t]) => new Binary(b, t)),
  fc.constant(new UUID()),
);
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, scalar, tie('arr'), tie('obj')),
  arr: fc.array(tie('v'), { maxLength: 5 }),
  obj: fc.dictionary(key, tie('v'), { maxKeys: 6 }),
})).obj as fc.Arbitrary<Document>;

describe('embedded engine: BSON writer (bson-writer.ts)', () => {
  it('when random documents are encoded, then the bytes equal BSON.serialize with the same undefined handling', () => {
    fc.assert(
      fc.property(value, fc.boolean(), (doc, ignoreUndefined) => {
        const out = encoded(doc, ignoreUndefined);
        // Keys with NUL bytes are left to BSON.serialize (which refuses them).
        if (out === undefined) {
          expect(JSON.stringify(Object.keys(doc)) + JSON.stringify(doc)).to.match(/\\u0000/);
          return;
        }
        expect(out.equals(reference(doc, ignoreUndefined))).to.equal(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('when reserved bytes are asked for, then the document starts after them', () => {
    const out = encodeBsonAfter(21, { n: 1, ok: 1 }, { ignoreUndefined: true })!;
    expect(out.length).to.equal(21 + reference({ n: 1, ok: 1 }, true).length);
    expect(out.subarray(21).equals(reference({ n: 1, ok: 1 }, true))).to.equal(true);
  });

  it('when a document holds values the writer leaves to the library, then it answers undefined', () => {
    const unsupported: Document[] = [
      { r: /a/i },
      { c: new Code('x') },
      { m: new MaxKey() },
      { b: new Binary(Buffer.from('abc'), 2) },
      { 'a\0b': 1 },
      { nested: { 'x\0': 1 } },
      { inst: new (class Thing {})() },
      { map: new Map([['a', 1]]) },
      { custom: { toBSON: () => ({ a: 1 }) } },
      { bad: new Date(NaN) },
      { big: 10n },
      { u8: new Uint8Array([1, 2]) },
    ];
    for (const doc of unsupported) expect(encodeBsonAfter(0, doc, { ignoreUndefined: true }), JSON.stringify(Object.keys(doc))).to.equal(undefined);
    let deep: Document = { leaf: 1 };
    for (let i = 0; i < 150; i++) deep = { d: deep };
    expect(encodeBsonAfter(0, deep, { ignoreUndefined: true })).to.equal(undefined);
  });

  it('when a document is larger than the scratch buffer, then it is encoded whole and equal to BSON.serialize', () => {
    const doc = { items: Array.from({ length: 20_000 }, (_, i) => ({ i, s: `item ${i} `.repeat(3), at: new Date(i) })) };
    const out = encoded(doc, true)!;
    expect(out.length).to.be.greaterThan(1024 * 1024);
    expect(out.equals(reference(doc, true))).to.equal(true);
    // The next small document still encodes correctly after the scratch buffer was replaced.
    expect(encoded({ a: 'b' }, true)!.equals(reference({ a: 'b' }, true))).to.equal(true);
  });
});
