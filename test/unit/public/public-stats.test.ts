import { expect } from 'chai';
import { summarizeMeeting, type InstitutionLite, type ResolutionLite, type VerifiedMap } from '../../../src/features/public/public.stats.js';
import { pairKey } from '../../../src/domain/pair-key.js';

const inst = (id: string, type: InstitutionLite['type'], region: string): InstitutionLite => ({ id, code: id.toUpperCase(), name: { sw: id }, acronym: '', type, region });
const res = (id: string, appliesTo: ResolutionLite['appliesTo'], due = new Date('2030-01-01')): ResolutionLite => ({
  id, meetingId: 'm', number: Number(id.slice(1)), title: { sw: id }, text: { sw: id }, category: 'other', dueDate: due, weight: 1, appliesTo, carriedOverFrom: null, sampleWording: false,
});
const at = (d: string) => new Date(d);

describe('public stats: summarizeMeeting', () => {
  const institutions = [inst('a', 'ministry', 'Dodoma'), inst('b', 'ministry', 'Arusha'), inst('c', 'lga', 'Arusha')];
  const resolutions = [res('r1', ['ministry', 'lga'], new Date('2020-01-01')), res('r2', ['ministry'])];
  const verified: VerifiedMap = new Map([
    [pairKey('a', 'r1'), { status: 'completed', percent: 100, at: at('2024-03-01') }],
    [pairKey('b', 'r1'), { status: 'completed', percent: 100, at: at('2024-02-01') }],
    [pairKey('c', 'r1'), { status: 'in_progress', percent: 40, at: at('2024-02-01') }],
    [pairKey('a', 'r2'), { status: 'not_applicable', percent: 0, at: at('2024-02-01') }],
    // a verified value for a pair that does not apply is ignored
    [pairKey('c', 'r2'), { status: 'completed', percent: 100, at: at('2024-02-01') }],
  ]);
  const now = new Date('2025-01-01');
  const s = summarizeMeeting(resolutions, institutions, verified, now);

  it('when counting, then only applicable pairs count and missing verified values are "not reported"', () => {
    expect(s.resolutions[0].counts).to.deep.equal({ completed: 2, in_progress: 1, not_started: 0, not_applicable: 0, not_reported: 0 });
    expect(s.resolutions[1].counts).to.deep.equal({ completed: 0, in_progress: 0, not_started: 0, not_applicable: 1, not_reported: 1 });
    expect(s.totals.applicable).to.equal(5);
    expect(s.institutions).to.equal(3);
  });

  it('when computing completion, then not applicable is left out and not reported counts as 0', () => {
    expect(s.resolutions[0].completion).to.equal(80); // (100 + 100 + 40) / 3
    expect(s.resolutions[1].completion).to.equal(0); // b not reported; a not applicable
    expect(s.totals.completion).to.equal(60); // 240 / 4
  });

  it('when the due date has passed and not every institution completed, then it is overdue', () => {
    expect(s.resolutions[0].overdue).to.equal(true);
    expect(s.resolutions[1].overdue).to.equal(false);
    const done = summarizeMeeting([res('r9', ['ministry'], new Date('2020-01-01'))], institutions.slice(0, 1), new Map([[pairKey('a', 'r9'), { status: 'completed', percent: 100, at: at('2021-01-01') }]]), now);
    expect(done.resolutions[0].overdue).to.equal(false);
  });

  it('when listing first completers, then the earliest verification comes first', () => {
    expect(s.resolutions[0].firstCompleted.map((n) => n.code)).to.deep.equal(['B', 'A']);
  });

  it('when grouping, then peer groups and regions add up to the totals', () => {
    const sum = (groups: typeof s.byType) => groups.reduce((n, g) => n + g.applicable, 0);
    expect(sum(s.byType)).to.equal(5);
    expect(sum(s.byRegion)).to.equal(5);
    expect(s.byType.find((g) => g.key === 'lga')?.counts.in_progress).to.equal(1);
    expect(s.byRegion.map((g) => g.key)).to.deep.equal(['Arusha', 'Dodoma']);
  });
});
