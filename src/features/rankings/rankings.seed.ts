/**
 * Demo rankings: publishes the ranking of the sample meeting so the public pages show a table,
 * winners and a "needs improvement" list on first start. When verified progress spans some
 * time, an earlier version is published first (cutoff at the median verification), so the
 * current version also shows "most improved" and a readable difference.
 */
import { trusted } from 'mongoose';
import type { Logger } from '../../logger.js';
import { UserModel } from '../accounts/user.model.js';
import { MeetingModel } from '../meetings/meeting.model.js';
import { ProgressReportModel } from '../progress/progress.model.js';
import { ResolutionModel } from '../resolutions/resolution.model.js';
import { RankingModel } from './ranking.model.js';
import { assessDirectly } from '../review/review.service.js';
import { createDraft, publishRanking, recomputeDraft } from './ranking-workflow.service.js';
import { getRanking } from './rankings.read.js';
import type { Actor } from '../../domain/actor.js';
import { demoCategories } from './award-categories.seed.js';

export interface RankingsSeedContext {
  now: Date;
  logger?: Logger;
}

/**
 * Demo story: e-GA's reviewers visit the leading institution of each peer group that has no
 * winner yet and confirm, by direct assessment (the normal verification path), that its
 * remaining resolutions are complete. This gives the first-start pages winners and a
 * "most improved" list, with the reasons visible in the version difference.
 */
async function confirmLeaders(draft: Awaited<ReturnType<typeof getRanking>>, now: Date): Promise<void> {
  const reviewer = await UserModel.findOne({ role: 'reviewer', active: true }).sort({ createdAt: 1 }).lean();
  if (!reviewer) return;
  const staff = { id: String(reviewer._id), role: 'reviewer' as const, institutionId: null };
  const at = new Date(now.getTime() - 60_000);
  const groupsWithWinner = new Set((draft.awards?.winners ?? []).map((w) => w.type));
  const leaders = draft.entries.filter((e) => e.rankInType === 1 && !groupsWithWinner.has(e.type));
  for (const e of leaders) {
    for (const line of e.breakdown) {
      if (!line.counted || line.status === 'completed') continue;
      await assessDirectly(
        staff,
        {
          institutionId: String(e.institution),
          resolutionId: String(line.resolution),
          status: 'completed',
          percent: 100,
          reason: 'Ukaguzi wa eneo: utekelezaji umethibitishwa (data ya mfano).',
        },
        { now: at },
      );
    }
  }
}

export async function seedRankings(ctx: RankingsSeedContext): Promise<{ published: number }> {
  if ((await RankingModel.countDocuments({ status: 'published' })) > 0) return { published: 0 };
  const admin = await UserModel.findOne({ role: 'admin', active: true }).sort({ createdAt: 1 }).lean();
  if (!admin) return { published: 0 };
  const meetingIds = await ResolutionModel.distinct('meeting');
  const meeting = await MeetingModel.findOne({ _id: trusted({ $in: meetingIds }), startDate: trusted({ $lte: ctx.now }) })
    .sort({ number: -1 })
    .lean();
  if (!meeting) return { published: 0 };
  const actor: Actor = { id: String(admin._id), role: 'admin', institutionId: null, name: admin.name, email: admin.email };

  const times = (
    await ProgressReportModel.find({ meeting: meeting._id, kind: trusted({ $in: ['verification', 'assessment'] }), at: trusted({ $lte: ctx.now }) })
      .select({ at: 1, _id: 0 })
      .sort({ at: 1 })
      .lean()
  ).map((r) => r.at.getTime());

  const categories = await demoCategories(meeting._id);
  let published = 0;
  if (times.length >= 10 && times[times.length - 1] - times[0] > 86_400_000) {
    const earlier = new Date(times[Math.floor(times.length / 2)]);
    const d1 = await createDraft(actor, String(meeting._id), { cutoff: earlier, categories }, ctx.now);
    await publishRanking(actor, String(d1._id), '', ctx.now);
    published += 1;
  }
  const d2 = await createDraft(actor, String(meeting._id), { cutoff: ctx.now, categories }, ctx.now);
  await confirmLeaders(await getRanking(String(d2._id)), ctx.now);
  await recomputeDraft(actor, String(d2._id), ctx.now);
  await publishRanking(
    actor,
    String(d2._id),
    published ? 'Toleo la sasa: uthibitisho wote hadi tarehe mpya ya mwisho, pamoja na ukaguzi wa maeneo (data ya mfano).' : '',
    ctx.now,
  );
  published += 1;
  ctx.logger?.child({ module: 'seed' }).info({ published, meeting: meeting.number }, 'demo rankings published');
  return { published };
}
