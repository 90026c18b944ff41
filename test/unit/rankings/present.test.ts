import { expect } from 'chai';
import { Types } from 'mongoose';
import { PUBLIC_GROUP_TOP, PUBLIC_LIST_CAP, PUBLIC_PAGE_SIZE, publicTables, shownPercent } from '../../../src/features/rankings/public.present.js';
import type { Ranking } from '../../../src/features/rankings/ranking.model.js';

function ranking(n: number, extra: Record<string, unknown> = {}): Ranking {
  const entries = Array.from({ length: n }, (_, i) => ({
    institution: new Types.ObjectId(),
    code: `C-${String(i).padStart(3, '0')}`,
    type: i % 2 === 0 ? 'ministry' : 'lga',
    region: 'Dodoma',
    rank: i + 1,
    rankInType: Math.floor(i / 2) + 1,
    score: 100 - i / 10,
  }));
  return { _id: new Types.ObjectId(), entries, awards: { winners: [], mostImproved: [], needsImprovement: [] }, diff: [], ...extra } as unknown as Ranking;
}

describe('rankings public page view model (unit)', () => {
  it('when a percent is shown beside a status in the difference, then only a partial one is printed', () => {
    expect(shownPercent('in_progress', 40)).to.equal('40%');
    expect(shownPercent('in_progress', 0)).to.equal('0%');
    expect(shownPercent('not_applicable', 0)).to.equal('');
    expect(shownPercent('not_started', 0)).to.equal('');
    expect(shownPercent('completed', 100)).to.equal('');
    expect(shownPercent('', null)).to.equal('');
  });

  it('when the overall table is paged, then each page holds its slice and out-of-range pages are clamped', () => {
    const r = ranking(120);
    const p1 = publicTables(r, {});
    expect(p1).to.include({ total: 120, page: 1, pages: 3, first: 1, last: PUBLIC_PAGE_SIZE });
    expect(p1.rows.map((e: { rank: number }) => e.rank)).to.deep.equal(Array.from({ length: 50 }, (_, i) => i + 1));
    const p3 = publicTables(r, { page: 3 });
    expect(p3).to.include({ page: 3, first: 101, last: 120 });
    expect(publicTables(r, { page: 99 }).page).to.equal(3);
    const none = publicTables(ranking(0), { page: 2 });
    expect(none).to.include({ total: 0, page: 1, pages: 1, first: 0, last: 0 });
  });

  it('when peer groups are listed, then each shows its top rows and links to the whole group unless it is the filter', () => {
    const r = ranking(20);
    const all = publicTables(r, {});
    expect(all.groups.map((g) => [g.type, g.total, g.entries.length])).to.deep.equal([
      ['ministry', 10, PUBLIC_GROUP_TOP],
      ['lga', 10, PUBLIC_GROUP_TOP],
    ]);
    expect(all.groups[1].more).to.equal(`/rankings/${String(r._id)}?type=lga`);
    const lga = publicTables(r, { type: 'lga', region: 'Dodoma' });
    expect(lga.groups.map((g) => g.type)).to.deep.equal(['lga']);
    expect(lga.groups[0].more).to.equal(null);
  });

  it('when the difference is long, then the first lines are shown with the count of the rest', () => {
    const diff = Array.from({ length: PUBLIC_LIST_CAP + 7 }, (_, i) => ({
      code: `C-${i}`,
      reasons: [{ number: 1, fromStatus: 'in_progress', fromPercent: 30, toStatus: 'not_applicable', toPercent: 0 }],
    }));
    const t = publicTables(ranking(3, { diff }), {});
    expect(t.diff).to.include({ total: PUBLIC_LIST_CAP + 7, more: 7 });
    expect(t.diff.shown).to.have.length(PUBLIC_LIST_CAP);
    expect(t.diff.shown[0].reasons[0]).to.include({ fromPercent: '30%', toPercent: '' });
  });
});
