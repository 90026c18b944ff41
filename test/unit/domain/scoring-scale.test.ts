import { expect } from 'chai';
import fc from 'fast-check';
import { computeRanking, defaultScoringParameters, type ScoringInput } from '../../../src/domain/scoring.js';
import type { ProgressStatus } from '../../../src/domain/reference-data.js';

/*
 * Scaling every weight by the same factor changes no score: the same ranking with small weights
 * and with weights of 10^15 (sums far beyond 2^53, exact only because scoring sums in BigInt)
 * must agree exactly.
 */
const T0 = Date.UTC(2024, 5, 1);
const statuses: ProgressStatus[] = ['not_started', 'in_progress', 'completed', 'not_applicable'];

function scaled(input: ScoringInput, factor: number): ScoringInput {
  return { ...input, resolutions: input.resolutions.map((r) => ({ ...r, weight: r.weight * factor })) };
}

/** Everything but the weights themselves (which differ by the factor). */
function comparable(r: ReturnType<typeof computeRanking>) {
  return {
    entries: r.entries.map(({ weightTotal: _w, breakdown, ...e }) => ({ ...e, breakdown: breakdown.map(({ weight: _x, ...l }) => l) })),
    unranked: r.unranked,
    awards: r.awards,
  };
}

describe('scoring: exact at any weight scale (unit)', () => {
  it('when every weight is scaled into BigInt range, then the ranking is exactly the same', () => {
    const arbInput = fc
      .record({ nInst: fc.integer({ min: 1, max: 6 }), nRes: fc.integer({ min: 1, max: 5 }) })
      .chain(({ nInst, nRes }) =>
        fc.record({
          weights: fc.array(fc.constantFrom(1, 2, 3, 5, 7), { minLength: nRes, maxLength: nRes }),
          types: fc.array(fc.constantFrom('ministry', 'lga'), { minLength: nInst, maxLength: nInst }),
          values: fc.array(
            fc.record({
              i: fc.integer({ min: 0, max: nInst - 1 }),
              r: fc.integer({ min: 0, max: nRes - 1 }),
              status: fc.constantFrom(...statuses),
              percent: fc.integer({ min: 0, max: 100 }),
              minutes: fc.integer({ min: 0, max: 50 }),
            }),
            { maxLength: 30 },
          ),
        }),
      );
    fc.assert(
      fc.property(arbInput, ({ weights, types, values }) => {
        const input: ScoringInput = {
          institutions: types.map((type, i) => ({ id: `i${i}`, code: `C${i}`, type, region: 'Dodoma', active: true })),
          resolutions: weights.map((weight, i) => ({ id: `r${i}`, number: i + 1, weight, appliesTo: ['ministry', 'lga'], active: true })),
          values: values.map((v) => ({
            institutionId: `i${v.i}`,
            resolutionId: `r${v.r}`,
            status: v.status,
            percent: v.status === 'completed' ? 100 : v.percent,
            verifiedAt: new Date(T0 + v.minutes * 60_000),
            kind: 'verification' as const,
          })),
          cutoff: new Date(T0 + 3_600_000),
        };
        const small = computeRanking(input, defaultScoringParameters());
        const big = computeRanking(scaled(input, 1e15), defaultScoringParameters());
        expect(comparable(big)).to.deep.equal(comparable(small));
      }),
    );
  });
});
