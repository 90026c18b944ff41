import { expect } from 'chai';
import fc from 'fast-check';
import { BSON, Decimal128, Double, Int32, Long, ObjectId } from 'mongodb';
import { HexCache, emptyItemFields, readItemFields, type ItemFields } from '../../../src/db/progress-item-rows.js';

const statuses = ['not_started', 'in_progress', 'completed', 'not_applicable'];

/** What the fields are, read from the plain object (the meaning both paths must agree with). */
function expected(doc: Record<string, unknown>): ItemFields {
  const num = (v: unknown) => (v == null ? null : Number(v instanceof Decimal128 ? v.toString() : (v as { valueOf(): number }).valueOf()));
  const c = doc.claimed as Record<string, unknown> | null | undefined;
  const v = doc.verified as Record<string, unknown> | null | undefined;
  return {
    institution: (doc.institution as ObjectId).toHexString(),
    resolution: (doc.resolution as ObjectId).toHexString(),
    claimedStatus: (c?.status as string | undefined) ?? null,
    claimedPercent: num(c?.percent),
    verifiedStatus: (v?.status as string | undefined) ?? null,
    verifiedPercent: num(v?.percent),
    verifiedAt: v?.at instanceof Date ? v.at.getTime() : null,
  };
}

const read = (doc: Record<string, unknown>) => readItemFields(BSON.serialize(doc), emptyItemFields());

describe('ranking item rows from raw BSON (unit)', () => {
  it('when an item has a claim and a verdict, then every field is read', () => {
    const institution = new ObjectId();
    const resolution = new ObjectId();
    const at = new Date(Date.UTC(2024, 1, 10, 8, 30));
    const doc = {
      institution,
      resolution,
      claimed: { status: 'completed', percent: 100 },
      verified: { status: 'in_progress', percent: 42.5, at },
    };
    expect(read(doc)).to.deep.equal({
      institution: institution.toHexString(),
      resolution: resolution.toHexString(),
      claimedStatus: 'completed',
      claimedPercent: 100,
      verifiedStatus: 'in_progress',
      verifiedPercent: 42.5,
      verifiedAt: at.getTime(),
    });
  });

  it('when an item has no claim and no verdict, then those fields are null', () => {
    const doc = { institution: new ObjectId(), resolution: new ObjectId(), claimed: null, verified: null };
    expect(read(doc)).to.deep.equal(expected(doc));
    const bare = { resolution: new ObjectId(), institution: new ObjectId() };
    expect(read(bare)).to.include({ claimedStatus: null, verifiedStatus: null, verifiedAt: null });
  });

  it('when a percent is stored as a Decimal128, then the document is decoded in full and gives the same value', () => {
    const doc = { institution: new ObjectId(), resolution: new ObjectId(), verified: { status: 'in_progress', percent: Decimal128.fromString('12.5'), at: new Date(0) } };
    expect(read(doc)).to.include({ verifiedPercent: 12.5, verifiedAt: 0 });
  });

  it('when the same scratch record is reused, then nothing of the previous row leaks into the next', () => {
    const out = emptyItemFields();
    readItemFields(BSON.serialize({ institution: new ObjectId(), resolution: new ObjectId(), claimed: { status: 'completed', percent: 100 } }), out);
    const next = { institution: new ObjectId(), resolution: new ObjectId() };
    expect(readItemFields(BSON.serialize(next), out)).to.deep.equal(expected(next));
  });

  it('when ids share their last six bytes, then the id cache still gives each its own hex', () => {
    const a = new ObjectId('0123456789ab000000000001');
    const b = new ObjectId('ffffffffffff000000000001');
    const ids = new HexCache();
    const out = emptyItemFields();
    const r = new ObjectId();
    expect(readItemFields(BSON.serialize({ institution: a, resolution: r }), out, ids).institution).to.equal(a.toHexString());
    expect(readItemFields(BSON.serialize({ institution: b, resolution: r }), out, ids).institution).to.equal(b.toHexString());
    expect(readItemFields(BSON.serialize({ institution: a, resolution: r }), out, ids).institution).to.equal(a.toHexString());
    expect(out.resolution).to.equal(r.toHexString());
  });

  it('when many rows repeat ids and statuses, then one shared cache reads every row right', () => {
    const pool = Array.from({ length: 6 }, () => new ObjectId());
    const row = fc.record({
      institution: fc.constantFrom(...pool),
      resolution: fc.constantFrom(...pool),
      claimed: fc.option(fc.record({ status: fc.constantFrom(...statuses, 'returned', 'kamili'), percent: fc.integer({ min: 0, max: 100 }) })),
    });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 40 }), (rows) => {
        const ids = new HexCache();
        const out = emptyItemFields();
        for (const doc of rows) expect({ ...readItemFields(BSON.serialize(doc), out, ids) }).to.deep.equal(expected(doc));
      }),
    );
  });

  it('when any item document is read, then the fields equal those of the decoded document', () => {
    const percent = fc.oneof(
      fc.integer({ min: 0, max: 100 }),
      fc.double({ min: 0, max: 100, noNaN: true }).map((x) => new Double(x)),
      fc.integer({ min: 0, max: 100 }).map((x) => new Int32(x)),
      fc.integer({ min: 0, max: 100 }).map((x) => Long.fromNumber(x)),
      fc.constant(null),
    );
    const verdict = fc.option(
      fc.record(
        {
          status: fc.constantFrom(...statuses),
          percent,
          at: fc.oneof(fc.integer({ min: -1e13, max: 1e13 }).map((t) => new Date(t)), fc.constant(null)),
          by: fc.constant(new ObjectId()),
          version: fc.nat(),
          note: fc.string(),
        },
        { requiredKeys: ['status'] },
      ),
    );
    const item = fc.record(
      {
        _id: fc.constant(null).map(() => new ObjectId()),
        institution: fc.constant(null).map(() => new ObjectId()),
        resolution: fc.constant(null).map(() => new ObjectId()),
        state: fc.constantFrom('verified', 'submitted', 'no_report'),
        claimed: verdict,
        verified: verdict,
        lastVersion: fc.nat(),
        tags: fc.array(fc.string(), { maxLength: 3 }),
        flag: fc.boolean(),
      },
      { requiredKeys: ['institution', 'resolution'] },
    );
    fc.assert(
      fc.property(item, (doc) => {
        expect(read(doc)).to.deep.equal(expected(doc));
      }),
    );
  });
});
