import { expect } from 'chai';
import fc from 'fast-check';
import { categoryErrors, computeCategory, gradeAtLeast, type CategoryDefinition } from '../../../src/domain/award-categories.js';
import type { ProgressStatus } from '../../../src/domain/reference-data.js';
import { DEFAULT_GRADE_BANDS, type ScoringInput } from '../../../src/domain/scoring.js';
import { parseFraction, compare, fromNumber } from '../../../src/domain/scoring-rational.js';

const TYPES = ['ministry', 'lga'];
const REGIONS = ['Arusha', 'Mwanza'];
const STATUSES: ProgressStatus[] = ['not_started', 'in_progress', 'completed', 'not_applicable'];
const at = (m: number) => new Date(Date.UTC(2025, 0, 1) + m * 60_000);
const CUTOFF = at(30_000);

/** A random ranking input: institutions with a maturity level, resolutions that apply to every type, verified values. */
const inputs = fc
  .record({ nInst: fc.integer({ min: 1, max: 10 }), nRes: fc.integer({ min: 1, max: 5 }) })
  .chain(({ nInst, nRes }) =>
    fc.record({
      institutions: fc.tuple(
        ...Array.from({ length: nInst }, (_, i) =>
          fc.record({
            id: fc.constant(`i${i}`),
            code: fc.constant(`C${String(i).padStart(2, '0')}`),
            type: fc.constantFrom(...TYPES),
            region: fc.constantFrom(...REGIONS),
            active: fc.constant(true),
            maturityLevel: fc.constantFrom(null, 2, 3, 4),
          }),
        ),
      ),
      resolutions: fc.constant(Array.from({ length: nRes }, (_, i) => ({ id: `r${i}`, number: i + 1, weight: 1, appliesTo: TYPES, active: true }))),
      values: fc.array(
        fc.record({
          institutionId: fc.constantFrom(...Array.from({ length: nInst }, (_, i) => `i${i}`)),
          resolutionId: fc.constantFrom(...Array.from({ length: nRes }, (_, i) => `r${i}`)),
          status: fc.constantFrom(...STATUSES),
          percent: fc.integer({ min: 0, max: 100 }),
          verifiedAt: fc.integer({ min: 0, max: 20_000 }).map(at),
          kind: fc.constant('verification' as const),
        }),
        { maxLength: 40 },
      ),
    }),
  );

function scoring(x: { institutions: Array<{ id: string; code: string; type: string; region: string; active: boolean }>; resolutions: ScoringInput['resolutions']; values: ScoringInput['values'] }): ScoringInput {
  return { institutions: x.institutions, resolutions: x.resolutions, values: x.values, cutoff: CUTOFF };
}

function def(partial: Partial<CategoryDefinition>): CategoryDefinition {
  return {
    key: 'c',
    name: { sw: 'Tuzo', en: 'Award' },
    description: { sw: '' },
    grouping: 'none',
    criteria: [{ resolutionId: 'r0', weight: 1 }],
    winners: { top: 3, minScore: null, minGrade: null },
    ...partial,
  };
}

/** The latest verified value of one pair, as the ranking method takes it. */
function latestOf(values: ScoringInput['values'], inst: string, res: string) {
  return values
    .filter((v) => v.institutionId === inst && v.resolutionId === res)
    .sort((a, b) => b.verifiedAt.getTime() - a.verifiedAt.getTime() || b.percent - a.percent || (b.status > a.status ? 1 : -1))[0];
}

describe('award categories', () => {
  it('when all the weight is on one resolution, then the category ranks by that resolution alone', () => {
    fc.assert(
      fc.property(inputs, fc.integer({ min: 0, max: 4 }), fc.constantFrom(0.5, 1, 7), (x, pick, weight) => {
        const resolutionId = `r${pick % x.resolutions.length}`;
        const result = computeCategory(def({ criteria: [{ resolutionId, weight }] }), scoring(x), x.institutions, DEFAULT_GRADE_BANDS);
        for (const e of result.entries) {
          const v = latestOf(x.values, e.institutionId, resolutionId);
          const points = !v ? 0 : v.status === 'completed' ? 100 : v.percent;
          expect(v?.status).not.to.equal('not_applicable');
          expect(compare(parseFraction(e.scoreExact), fromNumber(points))).to.equal(0);
        }
        // Ordered by that resolution's points, best first; ranks never go down the list.
        for (let i = 1; i < result.entries.length; i++) {
          expect(result.entries[i - 1].score).to.be.at.least(result.entries[i].score);
          expect(result.entries[i - 1].rank).to.be.at.most(result.entries[i].rank);
        }
        // Institutions whose only criterion is verified not applicable are not ranked.
        const ranked = new Set(result.entries.map((e) => e.institutionId));
        for (const i of x.institutions) {
          const v = latestOf(x.values, i.id, resolutionId);
          expect(ranked.has(i.id)).to.equal(v?.status !== 'not_applicable');
        }
      }),
      { numRuns: 150 },
    );
  });

  it('when no institution of a peer group reaches the minimum, then that group has no winner; every winner meets the rule', () => {
    fc.assert(
      fc.property(
        inputs,
        fc.constantFrom('none', 'type', 'region', 'maturity') as fc.Arbitrary<CategoryDefinition['grouping']>,
        fc.integer({ min: 1, max: 4 }),
        fc.constantFrom(null, 0, 40, 75, 100),
        fc.constantFrom(null, 'A', 'B', 'D') as fc.Arbitrary<CategoryDefinition['winners']['minGrade']>,
        (x, grouping, top, minScore, minGrade) => {
          const criteria = x.resolutions.map((r, i) => ({ resolutionId: r.id, weight: i + 1 }));
          const result = computeCategory(def({ grouping, criteria, winners: { top, minScore, minGrade } }), scoring(x), x.institutions, DEFAULT_GRADE_BANDS);
          for (const g of result.groups) {
            const members = result.entries.filter((e) => e.group === g.group);
            const qualifying = members.filter(
              (e) => (minScore === null || e.score >= minScore) && gradeAtLeast(e.grade, minGrade) && e.place <= top,
            );
            expect(g.winners).to.equal(qualifying.length);
            if (members.every((e) => (minScore !== null && compare(parseFraction(e.scoreExact), fromNumber(minScore)) < 0) || !gradeAtLeast(e.grade, minGrade))) {
              expect(g.winners).to.equal(0);
            }
          }
          for (const w of result.winners) {
            expect(w.place).to.be.within(1, top);
            if (minScore !== null) expect(compare(parseFraction(w.scoreExact), fromNumber(minScore))).to.be.at.least(0);
            expect(gradeAtLeast(w.grade, minGrade)).to.equal(true);
          }
          // Institutions without a maturity level are in no group and never win under maturity grouping.
          if (grouping === 'maturity') {
            const noLevel = new Set<string>(x.institutions.filter((i) => i.maturityLevel === null).map((i) => i.id));
            expect(result.winners.some((w) => noLevel.has(w.institutionId))).to.equal(false);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('when two institutions of a group share the same score, completions and latest verification, then they share the place and both win', () => {
    const x = {
      institutions: [
        { id: 'i0', code: 'A', type: 'ministry', region: 'Arusha', active: true, maturityLevel: 4 },
        { id: 'i1', code: 'B', type: 'ministry', region: 'Arusha', active: true, maturityLevel: 4 },
        { id: 'i2', code: 'C', type: 'ministry', region: 'Arusha', active: true, maturityLevel: 4 },
        { id: 'i3', code: 'D', type: 'ministry', region: 'Arusha', active: true, maturityLevel: 3 },
      ],
      resolutions: [{ id: 'r0', number: 1, weight: 1, appliesTo: TYPES, active: true }],
      values: [
        { institutionId: 'i0', resolutionId: 'r0', status: 'in_progress' as const, percent: 80, verifiedAt: at(5), kind: 'verification' as const },
        { institutionId: 'i1', resolutionId: 'r0', status: 'in_progress' as const, percent: 80, verifiedAt: at(5), kind: 'verification' as const },
        { institutionId: 'i2', resolutionId: 'r0', status: 'in_progress' as const, percent: 60, verifiedAt: at(5), kind: 'verification' as const },
        { institutionId: 'i3', resolutionId: 'r0', status: 'in_progress' as const, percent: 40, verifiedAt: at(5), kind: 'verification' as const },
      ],
    };
    const result = computeCategory(def({ grouping: 'maturity', winners: { top: 1, minScore: 50, minGrade: null } }), scoring(x), x.institutions, DEFAULT_GRADE_BANDS);
    expect(result.winners.map((w) => [w.code, w.group, w.place])).to.deep.equal([
      ['A', 'level-4', 1],
      ['B', 'level-4', 1],
    ]);
    expect(result.groups).to.deep.equal([
      { group: 'level-4', ranked: 3, winners: 2 },
      { group: 'level-3', ranked: 1, winners: 0 },
    ]);
  });

  it('when a definition has no criteria, an unknown resolution or a bad rule, then each problem is named', () => {
    const known = new Set(['r0']);
    expect(categoryErrors(def({}), known)).to.deep.equal({});
    expect(categoryErrors(def({ key: 'Bad Key', criteria: [], winners: { top: 0, minScore: 101, minGrade: null } }), known)).to.deep.equal({
      key: 'awards:errors.key',
      criteria: 'awards:errors.noCriteria',
      top: 'awards:errors.top',
      minScore: 'awards:errors.minScore',
    });
    expect(categoryErrors(def({ criteria: [{ resolutionId: 'r9', weight: 1 }] }), known)).to.deep.equal({ criteria: 'awards:errors.unknownResolution' });
  });
});
