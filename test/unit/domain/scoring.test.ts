import { expect } from 'chai';
import fc from 'fast-check';
import {
  computeRanking,
  defaultScoringParameters,
  type ScoringInput,
  type ScoringInstitution,
  type ScoringResolution,
  type ScoringValue,
} from '../../../src/domain/scoring.js';
import { parseFraction, roundHalfUp, fromNumber, toFractionString } from '../../../src/domain/scoring-rational.js';
import type { ProgressStatus } from '../../../src/domain/reference-data.js';

const T0 = Date.UTC(2024, 5, 1);
const at = (minutes: number): Date => new Date(T0 + minutes * 60_000);
const CUTOFF = at(10_000);

function inst(id: string, type = 'ministry', region = 'Dodoma', active = true): ScoringInstitution {
  return { id, code: id.toUpperCase(), type, region, active };
}
function res(id: string, number: number, weight = 1, appliesTo: string[] = ['ministry', 'lga'], active = true): ScoringResolution {
  return { id, number, weight, appliesTo, active };
}
function val(
  institutionId: string,
  resolutionId: string,
  percent: number,
  minutes = 1,
  status?: ProgressStatus,
  kind: ScoringValue['kind'] = 'verification',
): ScoringValue {
  const s: ProgressStatus = status ?? (percent === 100 ? 'completed' : percent === 0 ? 'not_started' : 'in_progress');
  return { institutionId, resolutionId, status: s, percent, verifiedAt: at(minutes), kind };
}
function run(partial: Partial<ScoringInput>, params = defaultScoringParameters()) {
  return computeRanking(
    { institutions: [], resolutions: [], values: [], cutoff: CUTOFF, previous: null, ...partial },
    params,
  );
}
function entry(result: ReturnType<typeof run>, id: string) {
  const e = result.entries.find((x) => x.institutionId === id);
  if (!e) throw new Error(`no entry ${id}`);
  return e;
}

describe('scoring: computeRanking', () => {
  describe('score', () => {
    it('when resolutions have weights, then the score is the weighted mean of the points', () => {
      // (2×100 + 1×40 + 1×0) / 4 = 60
      const r = run({
        institutions: [inst('a')],
        resolutions: [res('r1', 1, 2), res('r2', 2, 1), res('r3', 3, 1)],
        values: [val('a', 'r1', 100), val('a', 'r2', 40)],
      });
      const e = entry(r, 'a');
      expect(e.scoreExact).to.equal('60/1');
      expect(e.score).to.equal(60);
      expect(e.completed).to.equal(1);
      expect(e.reported).to.equal(2);
      expect(e.notReported).to.equal(1);
      expect(e.breakdown.map((b) => b.status)).to.deep.equal(['completed', 'in_progress', 'not_reported']);
      expect(e.breakdown.map((b) => b.points)).to.deep.equal([100, 40, 0]);
      // completing r3 gains 1×100/4 = 25; completing r2 gains 1×60/4 = 15
      expect(e.breakdown.map((b) => b.gainIfCompleted)).to.deep.equal([0, 15, 25]);
    });

    it('when the exact score is a repeating fraction, then it is kept exact and rounded half-up to 2 decimals', () => {
      // (1×100 + 1×100 + 1×0) / 3 = 200/3 = 66.666… → 66.67
      const r = run({
        institutions: [inst('a')],
        resolutions: [res('r1', 1), res('r2', 2), res('r3', 3)],
        values: [val('a', 'r1', 100), val('a', 'r2', 100)],
      });
      expect(entry(r, 'a').scoreExact).to.equal('200/3');
      expect(entry(r, 'a').score).to.equal(66.67);
    });

    it('when weights are decimals, then they are read as the decimals written (1.5 = 3/2)', () => {
      // (1.5×10 + 0.1×100)/(1.6) = 25/1.6 = 15.625 → 15.63
      const r = run({
        institutions: [inst('a')],
        resolutions: [res('r1', 1, 1.5), res('r2', 2, 0.1)],
        values: [val('a', 'r1', 10), val('a', 'r2', 100)],
      });
      expect(entry(r, 'a').scoreExact).to.equal('125/8');
      expect(entry(r, 'a').score).to.equal(15.63);
    });

    it('when a pair is verified not applicable, then it leaves the denominator', () => {
      // r1 NA; (1×50)/(1) on r2 → 50
      const r = run({
        institutions: [inst('a')],
        resolutions: [res('r1', 1, 3), res('r2', 2, 1)],
        values: [val('a', 'r1', 0, 1, 'not_applicable'), val('a', 'r2', 50)],
      });
      const e = entry(r, 'a');
      expect(e.score).to.equal(50);
      expect(e.notApplicable).to.equal(1);
      expect(e.weightTotal).to.equal(1);
      expect(e.breakdown[0]).to.include({ status: 'not_applicable', counted: false, points: null, gainIfCompleted: null });
    });

    it('when only a claim exists (not verified), then it is ignored and counted as not reported', () => {
      const r = run({
        institutions: [inst('a')],
        resolutions: [res('r1', 1)],
        values: [val('a', 'r1', 100, 1, 'completed', 'claim'), val('a', 'r1', 100, 2, 'completed', 'return')],
      });
      const e = entry(r, 'a');
      expect(e.score).to.equal(0);
      expect(e.nothingReported).to.equal(true);
      expect(e.breakdown[0].status).to.equal('not_reported');
    });

    it('when verifications exist before and after the cutoff, then the latest one at or before the cutoff counts', () => {
      const r = run({
        institutions: [inst('a')],
        resolutions: [res('r1', 1)],
        values: [val('a', 'r1', 20, 1), val('a', 'r1', 60, 10_000), val('a', 'r1', 100, 10_001)],
      });
      expect(entry(r, 'a').score).to.equal(60);
      expect(entry(r, 'a').latestVerifiedAt?.toISOString()).to.equal(CUTOFF.toISOString());
    });

    it('when an assessment follows a verification, then the assessment counts', () => {
      const r = run({
        institutions: [inst('a')],
        resolutions: [res('r1', 1)],
        values: [val('a', 'r1', 80, 1), { ...val('a', 'r1', 30, 5), kind: 'assessment' }],
      });
      expect(entry(r, 'a').score).to.equal(30);
    });

    it('when a resolution does not apply to a type or is inactive, then it is left out; with none left the institution is not ranked', () => {
      const r = run({
        institutions: [inst('a'), inst('b', 'other'), inst('c', 'ministry', 'Dodoma', false)],
        resolutions: [res('r1', 1, 1, ['ministry']), res('r2', 2, 1, ['ministry'], false)],
        values: [val('a', 'r1', 70)],
      });
      expect(r.entries.map((e) => e.institutionId)).to.deep.equal(['a']);
      expect(entry(r, 'a').breakdown).to.have.length(1);
      expect(r.unranked).to.deep.equal([
        { institutionId: 'b', code: 'B', type: 'other', region: 'Dodoma', reason: 'no_applicable_resolution' },
      ]);
    });

    it('when every applicable pair is verified not applicable, then the institution is not ranked', () => {
      const r = run({
        institutions: [inst('a')],
        resolutions: [res('r1', 1)],
        values: [val('a', 'r1', 0, 1, 'not_applicable')],
      });
      expect(r.entries).to.have.length(0);
      expect(r.unranked[0].reason).to.equal('all_not_applicable');
    });

    it('when parameters override weights and applicability, then those are used', () => {
      const params = defaultScoringParameters();
      params.weights = { r1: 3 };
      params.appliesTo = { r2: ['lga'] };
      const r = run(
        {
          institutions: [inst('a')],
          resolutions: [res('r1', 1, 1), res('r2', 2, 1), res('r3', 3, 1)],
          values: [val('a', 'r1', 100)],
        },
        params,
      );
      // (3×100 + 1×0)/4 = 75; r2 not applicable to ministry
      expect(entry(r, 'a').score).to.equal(75);
      expect(entry(r, 'a').breakdown.map((b) => b.resolutionId)).to.deep.equal(['r1', 'r3']);
    });
  });

  describe('order and ties', () => {
    const resolutions = [res('r1', 1), res('r2', 2)];

    it('when scores differ, then the higher score ranks first', () => {
      const r = run({
        institutions: [inst('a'), inst('b')],
        resolutions,
        values: [val('a', 'r1', 40), val('b', 'r1', 60)],
      });
      expect(r.entries.map((e) => [e.institutionId, e.rank])).to.deep.equal([['b', 1], ['a', 2]]);
    });

    it('when scores are equal, then more completed resolutions rank first', () => {
      // a: 100 + 0 = 50; b: 50 + 50 = 50
      const r = run({
        institutions: [inst('a'), inst('b')],
        resolutions,
        values: [val('b', 'r1', 50), val('b', 'r2', 50), val('a', 'r1', 100)],
      });
      expect(r.entries.map((e) => [e.institutionId, e.rank])).to.deep.equal([['a', 1], ['b', 2]]);
    });

    it('when score and completed are equal, then the earlier latest verification ranks first', () => {
      const r = run({
        institutions: [inst('a'), inst('b')],
        resolutions,
        values: [val('a', 'r1', 50, 9), val('b', 'r1', 50, 3)],
      });
      expect(r.entries.map((e) => [e.institutionId, e.rank])).to.deep.equal([['b', 1], ['a', 2]]);
    });

    it('when one institution has no counted verification, then it comes after those with one', () => {
      // both score 0: a has a verified not_started (0%), b nothing
      const r = run({
        institutions: [inst('a'), inst('b')],
        resolutions,
        values: [val('a', 'r1', 0, 9000)],
      });
      expect(r.entries.map((e) => [e.institutionId, e.rank])).to.deep.equal([['a', 1], ['b', 2]]);
    });

    it('when equal on the first three keys, then they share a rank (1, 2, 2, 4) and are listed by code', () => {
      const r = run({
        institutions: [inst('d'), inst('c'), inst('b'), inst('a')],
        resolutions,
        values: [val('a', 'r1', 90, 1), val('c', 'r1', 50, 2), val('b', 'r1', 50, 2), val('d', 'r1', 10, 1)],
      });
      expect(r.entries.map((e) => [e.code, e.rank])).to.deep.equal([
        ['A', 1],
        ['B', 2],
        ['C', 2],
        ['D', 4],
      ]);
    });

    it('when two institutions have no verification at all and equal scores, then they share a rank', () => {
      const r = run({ institutions: [inst('b'), inst('a')], resolutions });
      expect(r.entries.map((e) => [e.code, e.rank])).to.deep.equal([['A', 1], ['B', 1]]);
    });

    it('when institutions are of several types, then ranks are given overall and within each peer group', () => {
      const r = run({
        institutions: [inst('m1'), inst('m2'), inst('l1', 'lga'), inst('l2', 'lga')],
        resolutions,
        values: [val('m1', 'r1', 100), val('l1', 'r1', 80), val('m2', 'r1', 60), val('l2', 'r1', 40)],
      });
      expect(r.entries.map((e) => [e.institutionId, e.rank, e.rankInType])).to.deep.equal([
        ['m1', 1, 1],
        ['l1', 2, 1],
        ['m2', 3, 2],
        ['l2', 4, 2],
      ]);
    });
  });

  describe('grades', () => {
    it('when the score is exactly on a band edge, then it gets the higher grade', () => {
      const resolutions = [res('r1', 1)];
      const r = run({
        institutions: [inst('a'), inst('b'), inst('c'), inst('d'), inst('e')],
        resolutions,
        values: [val('a', 'r1', 75), val('b', 'r1', 50), val('c', 'r1', 25), val('d', 'r1', 24), val('e', 'r1', 74)],
      });
      expect(['a', 'e', 'b', 'c', 'd'].map((id) => entry(r, id).grade)).to.deep.equal(['A', 'B', 'B', 'C', 'D']);
    });

    it('when the exact score is just below 75 but rounds to 75.00, then the grade is B (grades use the exact score)', () => {
      const r = run({
        institutions: [inst('a')],
        resolutions: [res('r1', 1, 999), res('r2', 2, 1)],
        values: [val('a', 'r1', 75), val('a', 'r2', 70)],
      });
      // (999×75 + 70)/1000 = 74.995 → 75.00 displayed, grade B
      expect(entry(r, 'a').scoreExact).to.equal('14999/200');
      expect(entry(r, 'a').score).to.equal(75);
      expect(entry(r, 'a').grade).to.equal('B');
    });

    it('when grade bands are configured, then they are used', () => {
      const params = defaultScoringParameters();
      params.gradeBands = { A: 90, B: 60, C: 30 };
      const r = run({ institutions: [inst('a')], resolutions: [res('r1', 1)], values: [val('a', 'r1', 80)] }, params);
      expect(entry(r, 'a').grade).to.equal('B');
    });

    it('when grade bands are not ordered, then the parameters are refused', () => {
      const params = defaultScoringParameters();
      params.gradeBands = { A: 50, B: 60, C: 30 };
      expect(() => run({}, params)).to.throw(RangeError);
    });
  });

  describe('awards', () => {
    it('when a peer group has grade A leaders, then its top 3 with grade A win; shared third place all win', () => {
      const r = run({
        institutions: [inst('a'), inst('b'), inst('c'), inst('d'), inst('e'), inst('l1', 'lga')],
        resolutions: [res('r1', 1)],
        values: [
          val('a', 'r1', 100, 1),
          val('b', 'r1', 90, 1),
          val('c', 'r1', 80, 2),
          val('d', 'r1', 80, 2),
          val('e', 'r1', 80, 3),
          val('l1', 'r1', 70, 1),
        ],
      });
      expect(r.awards.winners.map((w) => [w.code, w.rankInType])).to.deep.equal([
        ['A', 1],
        ['B', 2],
        ['C', 3],
        ['D', 3],
      ]);
    });

    it('when a peer group leader is below grade A, then the group has no winner', () => {
      const r = run({ institutions: [inst('l1', 'lga')], resolutions: [res('r1', 1)], values: [val('l1', 'r1', 74)] });
      expect(r.awards.winners).to.deep.equal([]);
    });

    it('when institutions have grade D or nothing reported, then they need improvement', () => {
      const params = defaultScoringParameters();
      params.gradeBands = { A: 75, B: 50, C: 0 };
      const r = run(
        {
          institutions: [inst('a'), inst('b'), inst('c')],
          resolutions: [res('r1', 1)],
          values: [val('a', 'r1', 20), val('b', 'r1', 0)],
        },
        params,
      );
      // a: 20 → C (C band is 0 here); b: verified 0 → C but reported; c: nothing reported → C, named
      expect(r.awards.needsImprovement.map((n) => [n.code, n.nothingReported])).to.deep.equal([['C', true]]);
      const r2 = run({
        institutions: [inst('a'), inst('b')],
        resolutions: [res('r1', 1)],
        values: [val('a', 'r1', 20), val('b', 'r1', 30)],
      });
      expect(r2.awards.needsImprovement.map((n) => [n.code, n.grade])).to.deep.equal([['A', 'D']]);
    });

    it('when a previous ranking exists, then the largest positive gain per peer group is most improved', () => {
      const r = run({
        institutions: [inst('a'), inst('b'), inst('c'), inst('l1', 'lga'), inst('l2', 'lga'), inst('n')],
        resolutions: [res('r1', 1), res('r2', 2)],
        values: [
          val('a', 'r1', 100), // 50, was 40 → +10
          val('b', 'r1', 60), // 30, was 10 → +20 (best ministry)
          val('c', 'r1', 80), // 40, was 20 → +20 (tie, both named)
          val('l1', 'r1', 20), // 10, was 30 → -20 (not improved)
          val('n', 'r1', 100), // not in previous → not eligible
        ],
        previous: {
          id: 'prev',
          entries: [
            { institutionId: 'a', scoreExact: '40/1' },
            { institutionId: 'b', scoreExact: '10/1' },
            { institutionId: 'c', scoreExact: '20/1' },
            { institutionId: 'l1', scoreExact: '30/1' },
            { institutionId: 'l2', scoreExact: '0/1' },
          ],
        },
      });
      expect(r.awards.mostImproved.map((m) => [m.code, m.gain, m.previousScore])).to.deep.equal([
        ['B', 20, 10],
        ['C', 20, 20],
      ]);
    });

    it('when there is no previous ranking, then nobody is most improved', () => {
      const r = run({ institutions: [inst('a')], resolutions: [res('r1', 1)], values: [val('a', 'r1', 100)] });
      expect(r.awards.mostImproved).to.deep.equal([]);
    });
  });

  describe('rounding helpers', () => {
    it('when a value is exactly half a cent, then it rounds up', () => {
      expect(roundHalfUp(parseFraction('1/8'))).to.equal(0.13);
      expect(roundHalfUp(parseFraction('1/3'))).to.equal(0.33);
      expect(roundHalfUp(parseFraction('200/3'))).to.equal(66.67);
      expect(toFractionString(fromNumber(0.1))).to.equal('1/10');
      expect(toFractionString(fromNumber(1e21))).to.equal('1000000000000000000000/1');
    });
  });

  describe('properties', () => {
    const types = ['ministry', 'lga', 'other'];
    const statuses: ProgressStatus[] = ['not_started', 'in_progress', 'completed', 'not_applicable'];
    const arbInput = fc
      .record({
        nInst: fc.integer({ min: 1, max: 8 }),
        nRes: fc.integer({ min: 1, max: 5 }),
      })
      .chain(({ nInst, nRes }) =>
        fc.record({
          institutions: fc.tuple(
            ...Array.from({ length: nInst }, (_, i) =>
              fc.record({
                id: fc.constant(`i${i}`),
                code: fc.constant(`C${String(i).padStart(2, '0')}`),
                type: fc.constantFrom(...types),
                region: fc.constantFrom('Arusha', 'Mwanza'),
                active: fc.boolean(),
              }),
            ),
          ),
          resolutions: fc.tuple(
            ...Array.from({ length: nRes }, (_, i) =>
              fc.record({
                id: fc.constant(`r${i}`),
                number: fc.constant(i + 1),
                weight: fc.constantFrom(0.5, 1, 1.5, 2, 3, 0.25),
                appliesTo: fc.subarray(types),
                active: fc.boolean(),
              }),
            ),
          ),
          values: fc.array(
            fc.record({
              institutionId: fc.constantFrom(...Array.from({ length: nInst }, (_, i) => `i${i}`)),
              resolutionId: fc.constantFrom(...Array.from({ length: nRes }, (_, i) => `r${i}`)),
              status: fc.constantFrom(...statuses),
              percent: fc.integer({ min: 0, max: 100 }),
              verifiedAt: fc.integer({ min: 0, max: 20_000 }).map((m) => at(m)),
              kind: fc.constantFrom('verification' as const, 'assessment' as const, 'claim' as const),
              version: fc.nat(),
            }),
            { maxLength: 40 },
          ),
        }),
      );

    it('when any input is scored, then every score is within 0..100', () => {
      fc.assert(
        fc.property(arbInput, (inp) => {
          const r = run({ ...inp, institutions: [...inp.institutions], resolutions: [...inp.resolutions] });
          for (const e of r.entries) {
            const s = parseFraction(e.scoreExact);
            expect(s.n >= 0n && s.n <= 100n * s.d).to.equal(true);
            expect(e.score).to.be.within(0, 100);
          }
        }),
      );
    });

    it('when one verified percent is raised, then that institution score never goes down', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 6 }),
          fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 6, maxLength: 6 }),
          fc.array(fc.constantFrom(0.5, 1, 2, 3), { minLength: 6, maxLength: 6 }),
          fc.nat(5),
          fc.integer({ min: 0, max: 100 }),
          (nRes, percents, weights, idx, raise) => {
            const i = idx % nRes;
            const resolutions = Array.from({ length: nRes }, (_, k) => res(`r${k}`, k + 1, weights[k]));
            const values = Array.from({ length: nRes }, (_, k) => val('a', `r${k}`, percents[k], 1, 'in_progress'));
            const before = entry(run({ institutions: [inst('a')], resolutions, values }), 'a');
            const raised = values.map((v, k) => (k === i ? { ...v, percent: Math.min(100, v.percent + raise) } : v));
            const after = entry(run({ institutions: [inst('a')], resolutions, values: raised }), 'a');
            const b = parseFraction(before.scoreExact);
            const a = parseFraction(after.scoreExact);
            expect(a.n * b.d >= b.n * a.d).to.equal(true);
          },
        ),
      );
    });

    it('when the input lists are shuffled, then the result is the same', () => {
      fc.assert(
        fc.property(arbInput, fc.integer(), (inp, seed) => {
          const shuffle = <T>(xs: readonly T[], s: number): T[] => {
            const out = [...xs];
            let x = s | 0 || 1;
            for (let k = out.length - 1; k > 0; k--) {
              x ^= x << 13;
              x ^= x >>> 17;
              x ^= x << 5;
              const j = Math.abs(x) % (k + 1);
              [out[k], out[j]] = [out[j], out[k]];
            }
            return out;
          };
          const a = run({ ...inp, institutions: [...inp.institutions], resolutions: [...inp.resolutions] });
          const b = run({
            institutions: shuffle(inp.institutions, seed),
            resolutions: shuffle(inp.resolutions, seed + 1),
            values: shuffle(inp.values, seed + 2),
          });
          expect(b).to.deep.equal(a);
        }),
      );
    });
  });
});
