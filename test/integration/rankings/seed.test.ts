import { expect } from 'chai';
import request from 'supertest';
import { buildTestApp } from '../../helpers/app.js';
import { seedDemoData } from '../../../src/seed/index.js';
import { testConfig } from '../../helpers/config.js';
import { seedRankings } from '../../../src/features/rankings/rankings.seed.js';
import { logger } from '../../../src/logger.js';
import { RankingModel } from '../../../src/features/rankings/ranking.model.js';
import { InstitutionModel } from '../../../src/features/institutions/institution.model.js';
import { arrange, record, DAY } from './setup.js';

describe('rankings demo data (integration)', () => {
  it('when the demo data is seeded on an empty database, then a published ranking of the sample meeting exists', async function () {
    this.timeout(120_000);
    await seedDemoData({ now: new Date(), logger, production: false, passwordCost: testConfig().passwordCost });
    const published = await RankingModel.find({ status: 'published' }).lean();
    expect(published.length).to.be.at.least(1);
    const latest = published.sort((a, b) => (b.version ?? 0) - (a.version ?? 0))[0];
    expect(latest.entries.length).to.be.greaterThan(50);
    expect(latest.awards!.winners.length, 'winners').to.be.greaterThan(0);
    expect(latest.awards!.needsImprovement.length, 'needs improvement').to.be.greaterThan(0);
    const page = await request(buildTestApp().app).get(`/rankings/${String(latest._id)}?lang=en`);
    expect(page.status).to.equal(200);
    expect(page.text).to.contain('Winners').and.contain('Needs improvement');
    // The award model of e-GA's 2023/24 awards: three categories judged within maturity levels.
    expect(latest.parameters.categories.map((c) => [c.key, c.grouping])).to.deep.equal([
      ['compliance', 'maturity'],
      ['citizen-engagement', 'maturity'],
      ['govesb', 'maturity'],
    ]);
    expect(latest.categories.some((c) => c.winners.length > 0), 'category winners').to.equal(true);
    expect(latest.entries.filter((e) => e.maturityLevel).length).to.be.greaterThan(50);
    expect(page.text).to.contain('Best Performance in e-Government System Integration through GovESB');
    // The councils registry is seeded: 194 councils, Zanzibar's out of scope and so not ranked.
    expect(await InstitutionModel.countDocuments({ type: 'lga' })).to.equal(194);
    const outOfScope = await InstitutionModel.find({ inScope: false }, { _id: 1 }).lean();
    expect(outOfScope).to.have.length(11);
    const ranked = new Set(latest.entries.map((e) => String(e.institution)));
    expect(outOfScope.some((i) => ranked.has(String(i._id)))).to.equal(false);
  });

  it('when verified progress spans time, then two versions are published with most improved, and a second run adds nothing', async () => {
    const s = await arrange();
    // A later verification lifts B after the median verification time.
    await record(s.b, s.r1, s.reviewer.user._id, { status: 'completed', percent: 100, at: new Date(s.cutoff.getTime() + DAY) });
    for (let i = 0; i < 8; i++) {
      await record(s.c, s.r2, s.reviewer.user._id, { status: 'in_progress', percent: 10 + i, at: new Date(s.cutoff.getTime() - (10 - i) * DAY) });
    }
    const first = await seedRankings({ now: new Date() });
    expect(first.published).to.equal(2);
    const v2 = await RankingModel.findOne({ status: 'published', version: 2 }).lean();
    expect(v2!.awards!.winners.map((w) => w.code)).to.include('MIN-B');
    expect(v2!.awards!.mostImproved.map((w) => w.code)).to.include('MIN-B');
    expect(v2!.diff.length).to.be.greaterThan(0);
    expect((await seedRankings({ now: new Date() })).published).to.equal(0);
    expect(await RankingModel.countDocuments()).to.equal(2);
  });
});
