/**
 * Tells institutions about their rankings (in-app, and by email where it matters): a draft open
 * for replies, a published ranking, and an award won in a category. Called by the admin routes
 * after the workflow write succeeded; sending never undoes that write (notify logs failures).
 */
import { trusted, type Types } from 'mongoose';
import type { Mailer } from '../../mail/mailer.js';
import { UserModel } from '../accounts/user.model.js';
import { notify } from '../notifications/notifications.service.js';
import type { Ranking } from './ranking.model.js';

export interface NotifyDeps {
  mailer: Mailer;
  baseUrl: string;
  now: Date;
}

/** Active focal persons of the given institutions, by institution id. */
async function focalPersons(institutions: readonly Types.ObjectId[]): Promise<Map<string, string[]>> {
  const users = await UserModel.find({ role: 'institution', active: true, institution: trusted({ $in: institutions }) }, { institution: 1 }).lean();
  const out = new Map<string, string[]>();
  for (const u of users) {
    const key = String(u.institution);
    out.set(key, [...(out.get(key) ?? []), String(u._id)]);
  }
  return out;
}

/** A draft's reply window opened: every ranked institution may check its position and object. */
export async function notifyDraftOpened(deps: NotifyDeps, ranking: Pick<Ranking, '_id' | 'entries' | 'replyWindow'>): Promise<void> {
  const users = [...(await focalPersons(ranking.entries.map((e) => e.institution))).values()].flat();
  await notify(deps, {
    userIds: users,
    kind: 'ranking_draft',
    key: 'ranking_draft',
    params: { closes: ranking.replyWindow?.closes ? new Date(ranking.replyWindow.closes).toISOString().slice(0, 10) : '' },
    link: '/rankings/draft',
    email: true,
  });
}

/**
 * A ranking was published: every ranked institution is told (in-app), and each winner of the
 * overall ranking or of an award category is told by email too, once per award.
 */
export async function notifyPublished(deps: NotifyDeps, ranking: Pick<Ranking, '_id' | 'entries' | 'version' | 'awards' | 'parameters' | 'categories'>): Promise<void> {
  const link = `/rankings/${String(ranking._id)}`;
  const byInstitution = await focalPersons(ranking.entries.map((e) => e.institution));
  await notify(deps, { userIds: [...byInstitution.values()].flat(), kind: 'ranking_published', key: 'ranking_published', params: { version: ranking.version }, link });
  for (const w of ranking.awards?.winners ?? []) {
    await notify(deps, {
      userIds: byInstitution.get(String(w.institution)) ?? [],
      kind: 'award_won',
      key: 'award_won',
      params: { award: '', place: w.rankInType ?? 1, version: ranking.version },
      link,
      email: true,
    });
  }
  for (const def of ranking.parameters.categories ?? []) {
    const result = (ranking.categories ?? []).find((c) => c.key === def.key);
    for (const w of result?.winners ?? []) {
      await notify(deps, {
        userIds: byInstitution.get(String(w.institution)) ?? [],
        kind: 'award_won',
        key: 'award_won',
        params: { award: ` — ${def.name.sw}`, place: w.place, version: ranking.version },
        link: `${link}#cat-${def.key}`,
        email: true,
      });
    }
  }
}
