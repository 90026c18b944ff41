import { expect } from 'chai';
import { trusted } from 'mongoose';
import { AuditEntryModel } from '../../../src/features/audit/audit.model.js';
import { InstitutionModel } from '../../../src/features/institutions/institution.model.js';
import { MeetingModel } from '../../../src/features/meetings/meeting.model.js';
import { ResolutionModel } from '../../../src/features/resolutions/resolution.model.js';
import { seedReferenceData } from '../../../src/seed/reference.seed.js';

describe('seedReferenceData', () => {
  it('when run on an empty database, then it creates the sample institutions, both sessions and their resolutions', async () => {
    const now = new Date('2026-05-01T10:00:00Z');
    const result = await seedReferenceData({ now });
    expect(result.institutions).to.be.greaterThanOrEqual(60);
    expect(result).to.include({ meetings: 2, resolutions: 15 });
    const m4 = await MeetingModel.findOne({ number: 4 }).lean();
    expect(m4?.venue).to.equal('AICC, Arusha');
    expect(m4?.startDate.toISOString()).to.equal('2024-02-06T00:00:00.000Z');
    expect(m4?.endDate.toISOString()).to.equal('2024-02-08T00:00:00.000Z');
    expect(m4?.reportingOpens.toISOString()).to.equal('2024-03-01T00:00:00.000Z');
    expect(m4?.reportingCloses.toISOString()).to.equal('2026-06-30T00:00:00.000Z');
    expect(m4?.status).to.equal('held');
    expect(await ResolutionModel.countDocuments({ meeting: m4?._id, sampleWording: true })).to.equal(11);
    const carried = await ResolutionModel.findOne({ meeting: m4?._id, carriedOverFrom: trusted({ $ne: null }) }).lean();
    const origin = await ResolutionModel.findById(carried?.carriedOverFrom).lean();
    expect((await MeetingModel.findById(origin?.meeting).lean())?.number).to.equal(3);
    const tra = await InstitutionModel.findOne({ acronym: 'TRA' }).lean();
    const mof = await InstitutionModel.findById(tra?.parent).lean();
    expect(mof?.name.en).to.equal('Ministry of Finance');
    expect(tra?.searchText).to.include('tanzania revenue authority');
    expect(await AuditEntryModel.countDocuments({ action: 'seed.reference' })).to.equal(1);
  });

  it('when run twice, then the second run creates nothing and does not fail', async () => {
    await seedReferenceData();
    const counts = [await InstitutionModel.countDocuments(), await MeetingModel.countDocuments(), await ResolutionModel.countDocuments()];
    const again = await seedReferenceData();
    expect(again).to.deep.equal({ institutions: 0, meetings: 0, resolutions: 0 });
    expect([await InstitutionModel.countDocuments(), await MeetingModel.countDocuments(), await ResolutionModel.countDocuments()]).to.deep.equal(counts);
  });
});
