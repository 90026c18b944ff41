import { expect } from 'chai';
import fc from 'fast-check';
import { Types } from 'mongoose';
import {
  decodeLines,
  encodeLines,
  expandEntries,
  pointsOf,
  type CodecResolution,
  type StoredBreakdownLine,
} from '../../../src/db/ranking-lines.codec.js';

const resolutions: CodecResolution[] = [
  { resolution: new Types.ObjectId(), number: 1, weight: 2 },
  { resolution: new Types.ObjectId(), number: 2, weight: 1.5 },
  { resolution: new Types.ObjectId(), number: 7, weight: 0.1 },
];
const byNumber = new Map(resolutions.map((r) => [r.number, r]));

const STATUSES = ['not_started', 'in_progress', 'completed', 'not_applicable', 'not_reported'] as const;

/** A line as computeSnapshot builds it: resolution/weight from the parameters, points/counted by the rule. */
function line(r: CodecResolution, status: string, percent: number | null, extra: Partial<StoredBreakdownLine> = {}): StoredBreakdownLine {
  const counted = status !== 'not_applicable';
  return {
    resolution: r.resolution,
    number: r.number,
    weight: r.weight,
    status,
    percent,
    points: pointsOf(status, percent),
    verifiedAt: status === 'not_reported' ? null : new Date(Date.UTC(2024, 5, 1, 12, 30, 15, 123)),
    counted,
    gainIfCompletedExact: counted ? '40/3' : null,
    gainIfCompleted: counted ? 13.33 : null,
    claimedStatus: null,
    claimedPercent: null,
    corrected: false,
    ...extra,
  };
}

describe('ranking breakdown storage codec (unit)', () => {
  it('when lines are encoded, then each is a short string and they decode to the same lines', () => {
    const lines = [
      line(resolutions[0], 'in_progress', 42.5, { claimedStatus: 'completed', claimedPercent: 100 }),
      line(resolutions[1], 'not_reported', null, { claimedStatus: 'in_progress', claimedPercent: 10 }),
      line(resolutions[2], 'not_applicable', 0, { corrected: true }),
    ];
    const text = encodeLines(lines);
    expect(text).to.equal('1,p,42.5,1717245015123,40/3,13.33,c,100,;2,r,,,40/3,13.33,p,10,;7,n,0,1717245015123,,,,,1');
    expect(decodeLines(text, byNumber)).to.deep.equal(lines);
  });

  it('when the points follow the scoring rule, then completed counts 100, not reported 0 and not applicable nothing', () => {
    expect(pointsOf('completed', 80)).to.equal(100);
    expect(pointsOf('in_progress', 35)).to.equal(35);
    expect(pointsOf('not_started', 0)).to.equal(0);
    expect(pointsOf('not_reported', null)).to.equal(0);
    expect(pointsOf('not_applicable', 50)).to.equal(null);
  });

  it('when a status has no letter, then it is stored in full and read back', () => {
    const lines = [line(resolutions[0], 'returned', 5)];
    expect(encodeLines(lines)).to.match(/^1,returned,5,/);
    expect(decodeLines(encodeLines(lines), byNumber)).to.deep.equal(lines);
  });

  it('when an entry has no lines, then it encodes to an empty string and decodes to none', () => {
    expect(encodeLines([])).to.equal('');
    expect(decodeLines('', byNumber)).to.deep.equal([]);
  });

  it('when a line names a resolution the parameters do not list, then decoding fails loudly', () => {
    expect(() => decodeLines('9,c,100,0,0/1,0,,,', byNumber)).to.throw(/resolution 9/);
  });

  it('when a ranking mixes compact and old entries, then both come back with breakdown lines', () => {
    const old = [line(resolutions[0], 'completed', 100)];
    const compact = [line(resolutions[1], 'in_progress', 20)];
    const doc = {
      parameters: { resolutions },
      entries: [
        { code: 'OLD', breakdown: old },
        { code: 'NEW', breakdown: [] as StoredBreakdownLine[], lines: encodeLines(compact) },
      ],
    };
    expandEntries(doc);
    expect(doc.entries[0].breakdown).to.equal(old);
    expect(doc.entries[1].breakdown).to.deep.equal(compact);
    expect(doc.entries[1]).to.not.have.property('lines');
  });

  it('when any lines are encoded, then decoding gives exactly the same lines', () => {
    const arbLine = fc
      .record({
        r: fc.constantFrom(...resolutions),
        status: fc.constantFrom(...STATUSES),
        percent: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 100, noNaN: true })),
        at: fc.integer({ min: -8_640_000_000_000, max: 8_640_000_000_000 }),
        gain: fc.option(fc.tuple(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.bigInt({ min: 1n, max: 10n ** 30n }), fc.double({ min: 0, max: 100, noNaN: true }))),
        claimedStatus: fc.option(fc.constantFrom(...STATUSES.slice(0, 4))),
        claimedPercent: fc.option(fc.double({ min: 0, max: 100, noNaN: true })),
        corrected: fc.boolean(),
      })
      .map((x) =>
        line(x.r, x.status, x.status === 'not_reported' ? null : x.percent, {
          verifiedAt: x.status === 'not_reported' ? null : new Date(x.at),
          gainIfCompletedExact: x.gain ? `${x.gain[0]}/${x.gain[1]}` : null,
          gainIfCompleted: x.gain ? x.gain[2] : null,
          claimedStatus: x.claimedStatus,
          claimedPercent: x.claimedPercent,
          corrected: x.corrected,
        }),
      );
    fc.assert(
      fc.property(fc.array(arbLine, { maxLength: 25 }), (lines) => {
        expect(decodeLines(encodeLines(lines), byNumber)).to.deep.equal(lines);
      }),
    );
  });
});
