import { expect } from 'chai';
import { trusted } from 'mongoose';
import { seedReferenceData } from '../../../src/seed/reference.seed.js';
import { seedAccounts } from '../../../src/features/accounts/accounts.seed.js';
import { testConfig } from '../../helpers/config.js';
import { seedProgress } from '../../../src/features/progress/progress.seed.js';
import { ProgressItemModel, ProgressReportModel } from '../../../src/features/progress/progress.model.js';
import { InstitutionModel } from '../../../src/features/institutions/institution.model.js';
import { MeetingModel } from '../../../src/features/meetings/meeting.model.js';
import { UserModel } from '../../../src/features/accounts/user.model.js';
import { getVerifiedValues } from '../../../src/features/progress/verified-values.js';
import { checkValue, hasIssues } from '../../../src/domain/progress-rules.js';

describe('progress demo data', () => {
  it('when seeded, then most institutions have claims with a spread of states, every row has an owner, and the data follows the rules', async function () {
    this.timeout(120_000);
    const now = new Date();
    await seedReferenceData({ now });
    await seedAccounts(now, testConfig().passwordCost);
    const result = await seedProgress({ now });
    expect(result.reports).to.be.greaterThan(300);

    const states = await ProgressItemModel.aggregate<{ _id: string; n: number }>([{ $group: { _id: '$state', n: { $sum: 1 } } }]);
    const count = Object.fromEntries(states.map((s) => [s._id, s.n]));
    expect(count.verified).to.be.greaterThan(count.submitted);
    expect(count.submitted).to.be.greaterThan(0);
    expect(count.returned).to.be.greaterThan(0);
    expect(count.no_report).to.be.greaterThan(0);

    // Every active institution has a focal person, every row an owner.
    const institutions = await InstitutionModel.countDocuments({ active: true });
    expect((await UserModel.distinct('institution', { role: 'institution' })).length).to.equal(institutions);
    expect(await ProgressItemModel.countDocuments({ owner: null })).to.equal(0);

    // Some institutions never reported.
    const reporting = await ProgressReportModel.distinct('institution', { kind: 'claim' });
    expect(reporting.length).to.be.lessThan(institutions);
    expect(reporting.length).to.be.greaterThan(institutions * 0.7);

    // Versions are contiguous per item and values follow the rules; completed claims carry evidence.
    const reports = await ProgressReportModel.find().sort({ item: 1, version: 1 }).lean();
    const byItem = new Map<string, number[]>();
    for (const r of reports) {
      byItem.set(String(r.item), [...(byItem.get(String(r.item)) ?? []), r.version]);
      if (r.kind !== 'return') expect(hasIssues(checkValue({ status: r.status!, percent: r.percent! })), JSON.stringify(r)).to.equal(false);
      if (r.kind === 'claim' && r.status === 'completed') expect(r.evidence.length).to.be.greaterThan(0);
    }
    for (const versions of byItem.values()) expect(versions).to.deep.equal(versions.map((_, i) => i + 1));
    const items = await ProgressItemModel.find({ lastVersion: trusted({ $gt: 0 }) }).lean();
    for (const item of items) expect(byItem.get(String(item._id))?.length).to.equal(item.lastVersion);

    // Some verifications were adjusted, with a reason.
    const adjusted = reports.filter((r) => r.kind === 'verification' && r.comment);
    expect(adjusted.length).to.be.greaterThan(0);
    expect((await getVerifiedValues()).length).to.equal(count.verified);

    // In the closed meeting nothing is left waiting for verification.
    const closed = await MeetingModel.findOne({ status: 'closed' }).lean();
    if (closed) expect(await ProgressItemModel.countDocuments({ meeting: closed._id, state: 'submitted' })).to.equal(0);

    // Running it again adds nothing.
    expect((await seedProgress({ now })).reports).to.equal(0);
  });
});
