import { expect } from 'chai';
import { getVerifiedValues } from '../../../src/features/progress/verified-values.js';
import { ensureItems, submitClaim } from '../../../src/features/progress/progress.service.js';
import { assessDirectly, returnClaim, verifyClaim } from '../../../src/features/review/review.service.js';
import type { Institution } from '../../../src/features/institutions/institution.model.js';
import type { Resolution } from '../../../src/features/resolutions/resolution.model.js';
import { buildScenario, DAY } from './scenario.js';

describe('getVerifiedValues', () => {
  it('when a row is verified, re-claimed, returned and assessed over time, then each cutoff sees the verdict valid at that time', async () => {
    const s = await buildScenario();
    const t0 = Date.now() - 8 * DAY;
    const at = (d: number) => new Date(t0 + d * DAY);
    const [item] = await ensureItems(s.instA.toObject() as Institution, [s.r1.toObject() as Resolution]);
    const inst = { id: String(s.userA.user._id), role: 'institution' as const, institutionId: String(s.instA._id) };
    const reviewer = { id: String(s.reviewer.user._id), role: 'reviewer' as const, institutionId: null };
    const claim = (rev: number, percent: number, d: number) =>
      submitClaim(inst, String(item._id), { expectedRevision: rev, status: 'in_progress', percent, narrative: 'x', links: [], keep: [], files: [] }, at(d));

    await claim(0, 50, 1);
    await verifyClaim({ now: at(2) }, reviewer, String(item._id), { expectedRevision: 1, reason: '' });
    await claim(2, 80, 3);
    await returnClaim({ now: at(4) }, reviewer, String(item._id), { expectedRevision: 3, comment: 'Ushahidi?' });
    await assessDirectly(reviewer, { institutionId: String(s.instA._id), resolutionId: String(s.r1._id), status: 'in_progress', percent: 65, reason: 'Ziara' }, { now: at(5) });

    const percentAt = async (cutoff?: Date) => (await getVerifiedValues({ meetingId: String(s.meeting._id), cutoff })).map((v) => v.percent);
    expect(await percentAt(at(1.5))).to.deep.equal([]);
    expect(await percentAt(at(2))).to.deep.equal([50]);
    expect(await percentAt(at(4.5))).to.deep.equal([50]);
    expect(await percentAt(at(6))).to.deep.equal([65]);
    expect(await percentAt()).to.deep.equal([65]);
    expect(await percentAt(new Date(Date.now() + DAY))).to.deep.equal([65]);

    const [current] = await getVerifiedValues({ institutionIds: [String(s.instA._id)], resolutionIds: [String(s.r1._id)] });
    expect(current).to.deep.equal({
      institutionId: String(s.instA._id),
      resolutionId: String(s.r1._id),
      status: 'in_progress',
      percent: 65,
      verifiedAt: at(5),
      by: String(s.reviewer.user._id),
    });
    // Filters that match nothing, or invalid ids, give nothing.
    expect(await getVerifiedValues({ institutionIds: [String(s.instB._id)] })).to.deep.equal([]);
    expect(await getVerifiedValues({ institutionIds: ['nope'] })).to.deep.equal([]);
    expect(await getVerifiedValues({ meetingId: 'nope' })).to.deep.equal([]);
    expect(await getVerifiedValues({ resolutionIds: [], cutoff: at(6) })).to.deep.equal([]);
  });
});
