import { expect } from 'chai';
import { diffEntries, type DiffEntry } from '../../../src/domain/ranking-diff.js';

const entry = (code: string, rank: number, score: number, lines: [number, string, number | null][], corrected = false): DiffEntry<string> => ({
  institution: `id-${code}`,
  code,
  name: { sw: `Taasisi ${code}`, en: null },
  rank,
  score,
  breakdown: lines.map(([number, status, percent]) => ({ number, status, percent, corrected })),
});

describe('ranking version difference (unit)', () => {
  it('when nothing changed for an institution, then it is not listed', () => {
    const a = entry('A', 1, 80, [[1, 'completed', 100]]);
    expect(diffEntries([a], [a])).to.deep.equal([]);
  });

  it('when counted values changed, then the line names each resolution with its old and new value', () => {
    const before = [entry('A', 2, 40, [[1, 'in_progress', 40], [2, 'not_started', 0]])];
    const after = [entry('A', 1, 70, [[1, 'completed', 100], [2, 'not_started', 0]], true)];
    const [line] = diffEntries(before, after);
    expect(line).to.deep.include({ code: 'A', fromRank: 2, toRank: 1, fromScore: 40, toScore: 70, name: { sw: 'Taasisi A' } });
    expect(line.reasons).to.deep.equal([{ number: 1, fromStatus: 'in_progress', fromPercent: 40, toStatus: 'completed', toPercent: 100, corrected: true }]);
  });

  it('when institutions enter or leave, then they come first with a missing rank, then the biggest movers', () => {
    const before = [entry('A', 1, 90, []), entry('B', 2, 80, []), entry('C', 3, 70, [])];
    const after = [entry('C', 1, 95, []), entry('A', 2, 90, []), entry('D', 3, 60, [])];
    expect(diffEntries(before, after).map((l) => [l.code, l.fromRank, l.toRank])).to.deep.equal([
      ['B', 2, null],
      ['D', null, 3],
      ['C', 3, 1],
      ['A', 1, 2],
    ]);
  });
});
