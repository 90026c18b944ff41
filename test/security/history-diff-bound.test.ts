import { expect } from 'chai';
import { ProgressItemModel, ProgressReportModel } from '../../src/features/progress/progress.model.js';
import { getHistory, HISTORY_PAGE_SIZE } from '../../src/features/progress/progress.service.js';
import { MAX_DIFF_CELLS } from '../../src/domain/progress-diff.js';
import { buildScenario, itemOf, signIn } from '../integration/progress/scenario.js';

/** A 1,500-word narrative; `seed` changes every word, so consecutive versions differ throughout. */
function narrative(seed: number): string {
  const words = Array.from({ length: 1500 }, (_, i) => `neno${seed}x${i}`);
  // Paragraphs of 100 words.
  return Array.from({ length: 15 }, (_, p) => words.slice(p * 100, p * 100 + 100).join(' ')).join('\n\n');
}

describe('security: history and review pages bound their diff work', () => {
  it('when a row has 200 versions of 1,500-word narratives, then a history or review page diffs only the versions it shows, each within the cell cap', async () => {
    const s = await buildScenario();
    const a = await signIn(s.app, s.userA);
    const item = await itemOf(a, s.instA, s.r1);
    const by = s.userA.user._id;
    const versions = 200;
    await ProgressReportModel.insertMany(
      Array.from({ length: versions }, (_, k) => ({
        item: item._id,
        institution: s.instA._id,
        resolution: s.r1._id,
        meeting: s.meeting._id,
        version: k + 1,
        kind: 'claim',
        status: 'in_progress',
        percent: 10 + (k % 80),
        narrative: narrative(k),
        evidence: [{ kind: 'link', url: `https://example.go.tz/${k}`, label: '' }],
        by,
        at: new Date(Date.UTC(2025, 0, 1) + k * 3_600_000),
      })),
    );
    const last = { status: 'in_progress', percent: 10 + ((versions - 1) % 80), at: new Date(), by, version: versions };
    await ProgressItemModel.updateOne({ _id: item._id }, { $set: { state: 'submitted', claimed: last, lastVersion: versions, revision: versions } });

    const actor = { id: String(by), role: 'institution' as const, institutionId: String(s.instA._id) };
    const history = await getHistory(actor, String(item._id), s.deps.now());
    expect(history.entries).to.have.length(HISTORY_PAGE_SIZE);
    expect(history.pages).to.equal(Math.ceil(versions / HISTORY_PAGE_SIZE));
    expect(history.work.diffs).to.equal(HISTORY_PAGE_SIZE);
    // Every pair differs in every word: each diff is one replacement, no quadratic table at all.
    expect(history.work.cells).to.be.at.most(HISTORY_PAGE_SIZE * MAX_DIFF_CELLS);
    expect(history.work.cells).to.equal(0);
    // Evidence changes are named per version.
    expect(history.entries[0].evidenceAdded).to.deep.equal([`https://example.go.tz/${versions - 1}`]);
    expect(history.entries[0].evidenceRemoved).to.deep.equal([`https://example.go.tz/${versions - 2}`]);

    // The oldest page diffs its own versions (the first against nothing).
    const oldest = await getHistory(actor, String(item._id), s.deps.now(), { page: history.pages });
    expect(oldest.entries.at(-1)!.report.version).to.equal(1);
    expect(oldest.work.diffs).to.equal(HISTORY_PAGE_SIZE);

    const page = await a.get(`/progress/items/${String(item._id)}/history`);
    expect(page.status).to.equal(200);
    expect(page.text.match(/class="history-entry /g)).to.have.length(HISTORY_PAGE_SIZE);
    // 20 versions of two 1,500-word texts, not 200: the page stays small.
    expect(page.text.length).to.be.below(HISTORY_PAGE_SIZE * 2 * 30_000);

    const reviewer = await signIn(s.app, s.reviewer);
    const review = await reviewer.get(`/review/items/${String(item._id)}`);
    expect(review.status).to.equal(200);
  });
});
