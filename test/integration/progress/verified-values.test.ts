import { expect } from 'chai';
import { Types } from 'mongoose';
import { ProgressItemModel, ProgressReportModel } from '../../../src/features/progress/progress.model.js';
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

  it('when many rows were re-verified after the cutoff, then the scan path returns each row as of the cutoff', async () => {
    const meeting = new Types.ObjectId();
    const by = new Types.ObjectId();
    const t1 = new Date(Date.now() - 10 * DAY);
    const t2 = new Date(Date.now() - 2 * DAY);
    const items: Record<string, unknown>[] = [];
    const reports: Record<string, unknown>[] = [];
    for (let i = 0; i < 600; i++) {
      const item = new Types.ObjectId();
      const institution = new Types.ObjectId();
      const resolution = new Types.ObjectId();
      items.push({ _id: item, institution, resolution, meeting, state: 'verified', lastVersion: 2, revision: 2, verified: { status: 'completed', percent: 100, at: t2, by, version: 2 } });
      reports.push({ item, institution, resolution, meeting, version: 1, kind: 'verification', status: 'in_progress', percent: i % 99 + 1, at: t1, by, evidence: [] });
      reports.push({ item, institution, resolution, meeting, version: 2, kind: 'assessment', status: 'completed', percent: 100, at: t2, by, evidence: [] });
    }
    await ProgressItemModel.insertMany(items, { lean: true });
    await ProgressReportModel.insertMany(reports, { lean: true });
    const asOf = await getVerifiedValues({ meetingId: String(meeting), cutoff: new Date(t1.getTime() + DAY) });
    expect(asOf).to.have.length(600);
    expect(asOf.every((v) => v.status === 'in_progress' && v.verifiedAt.getTime() === t1.getTime())).to.equal(true);
    const current = await getVerifiedValues({ meetingId: String(meeting) });
    expect(current.every((v) => v.status === 'completed' && v.percent === 100)).to.equal(true);
    expect(await getVerifiedValues({ meetingId: String(meeting), cutoff: new Date(t1.getTime() - 1) })).to.deep.equal([]);
  });
});
