import { expect } from 'chai';
import { ForbiddenError } from '../../src/errors.js';
import { AuditEntryModel } from '../../src/features/audit/audit.model.js';
import { ObjectionModel } from '../../src/features/rankings/objection.model.js';
import { RankingModel } from '../../src/features/rankings/ranking.model.js';
import { answerObjection } from '../../src/features/rankings/objections.service.js';
import {
  createDraft,
  deleteDraft,
  draftFrom,
  openReplyWindow,
  publishRanking,
  recomputeDraft,
} from '../../src/features/rankings/ranking-workflow.service.js';
import type { Actor } from '../../src/domain/actor.js';
import { DAY, arrange, type Scenario } from '../integration/rankings/setup.js';

/*
 * The routers refuse these actions to anyone but an admin; the services must refuse them too,
 * since they are also called from the seed, the CLI and other features.
 */
describe('rankings services check the actor role themselves (security)', () => {
  let s: Scenario;
  let adminActor: Actor;
  let others: Actor[];
  const now = () => new Date();

  beforeEach(async () => {
    s = await arrange();
    adminActor = { id: String(s.admin.user._id), role: 'admin', institutionId: null, name: 'Afisa' };
    others = [
      { id: String(s.reviewer.user._id), role: 'reviewer', institutionId: null },
      { id: String(s.userA.user._id), role: 'institution', institutionId: String(s.a._id) },
    ];
  });

  async function expectForbidden(action: () => Promise<unknown>): Promise<void> {
    let error: unknown;
    try {
      await action();
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(ForbiddenError);
  }

  it('when a reviewer or an institution creates a draft, then it is refused and nothing is stored', async () => {
    for (const actor of others) {
      await expectForbidden(() => createDraft(actor, String(s.meeting._id), { cutoff: s.cutoff }, now()));
    }
    expect(await RankingModel.countDocuments()).to.equal(0);
    expect(await AuditEntryModel.countDocuments({ action: /^ranking\./ })).to.equal(0);
  });

  it('when a reviewer or an institution recomputes, publishes, deletes or copies a draft, then each is refused and the draft is unchanged', async () => {
    const draft = await createDraft(adminActor, String(s.meeting._id), { cutoff: s.cutoff }, now());
    const id = String(draft._id);
    for (const actor of others) {
      await expectForbidden(() => recomputeDraft(actor, id, now()));
      await expectForbidden(() => openReplyWindow(actor, id, { opens: new Date(Date.now() - DAY), closes: new Date(Date.now() + DAY) }, now()));
      await expectForbidden(() => publishRanking(actor, id, '', now()));
      await expectForbidden(() => deleteDraft(actor, id, now()));
      await expectForbidden(() => draftFrom(actor, id, now()));
    }
    const stored = await RankingModel.find().lean();
    expect(stored).to.have.length(1);
    expect(stored[0]).to.include({ status: 'draft', revision: 0 });
    expect(stored[0].replyWindow?.opens ?? null).to.equal(null);
  });

  it('when a reviewer or an institution answers an objection, then it is refused and the objection stays open', async () => {
    const draft = await createDraft(adminActor, String(s.meeting._id), { cutoff: s.cutoff }, now());
    const objection = await ObjectionModel.create({
      ranking: draft._id,
      institution: s.a._id,
      resolution: s.r2._id,
      reason: 'Tumekamilisha',
      filedBy: s.userA.user._id,
      filedAt: now(),
    });
    for (const actor of others) {
      await expectForbidden(() => answerObjection(actor, String(objection._id), { decision: 'reject', answer: 'Hapana' }, now()));
    }
    expect((await ObjectionModel.findById(objection._id).lean())!.state).to.equal('open');
  });
});
