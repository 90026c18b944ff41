import { Types } from 'mongoose';
import { daysUntilClose, effectiveClose, windowState } from '../../domain/progress-window.js';
import type { Mailer } from '../../mail/mailer.js';
import { translator, isLanguage } from '../../i18n/index.js';
import { logger } from '../../logger.js';
import { InstitutionModel, type Institution } from '../institutions/institution.model.js';
import type { Resolution } from '../resolutions/resolution.model.js';
import { UserModel, type User } from '../accounts/user.model.js';
import { WindowExtensionModel, type WindowExtension } from '../progress/window-extension.model.js';
import { applicableResolutions, ensureItems, focalPersons, openMeetings } from '../progress/progress.service.js';
import { NotificationModel, ReminderLogModel } from './notification.model.js';
import { op } from '../progress/query.js';
import { isDuplicateKey } from '../../db/duplicate-key.js';

const log = logger.child({ module: 'reminders' });

export interface ReminderDeps {
  mailer: Mailer;
  baseUrl: string;
  /** Days before the window closes when a digest goes out, e.g. [14, 3]. */
  reminderDays: readonly number[];
}

export interface ReminderResult {
  /** Digests sent now (one per user and window). */
  sent: number;
  /** Digests skipped because they were already sent for the same (user, window, N). */
  skipped: number;
}

/**
 * The smallest configured N with daysLeft <= N, i.e. the reminder stage we are in; null when no
 * stage has started. Keying on the current stage means a late first run sends one digest, not one
 * per stage, and the next day's run finds the same key and sends nothing.
 */
export function reminderStage(daysLeft: number, reminderDays: readonly number[]): number | null {
  const due = reminderDays.filter((n) => daysLeft <= n).sort((a, b) => a - b);
  return due[0] ?? null;
}

/**
 * Sends each owner a digest of their rows with no report or a returned report when an open
 * reporting window (per institution, extensions included) closes within one of the configured
 * numbers of days. Idempotent per (user, window, N): a ReminderLog with that key is inserted
 * (unique _id) before the digest goes out, so reruns and concurrent runs never send twice.
 */
export async function sendReminders(now: Date, deps: ReminderDeps): Promise<ReminderResult> {
  const result: ReminderResult = { sent: 0, skipped: 0 };
  const meetings = await openMeetings();
  if (meetings.length === 0) return result;
  const institutions = await InstitutionModel.find({ active: true }).lean<Institution[]>();
  const extensions = await WindowExtensionModel.find({ meeting: op({ $in: meetings.map((m) => m._id) }) }).lean<WindowExtension[]>();
  const extOf = new Map(extensions.map((e) => [`${String(e.meeting)}|${String(e.institution)}`, e.until]));

  for (const meeting of meetings) {
    for (const institution of institutions) {
      const until = extOf.get(`${String(meeting._id)}|${String(institution._id)}`) ?? null;
      if (windowState(meeting, now, until) !== 'open') continue;
      const stage = reminderStage(daysUntilClose(meeting, now, until), deps.reminderDays);
      if (stage === null) continue;
      const resolutions = await applicableResolutions(institution, [meeting._id]);
      if (resolutions.length === 0) continue;
      const items = await ensureItems(institution, resolutions);
      const open = items.filter((i) => i.state === 'no_report' || i.state === 'returned');
      if (open.length === 0) continue;
      const fallback = (await focalPersons(institution._id))[0]?._id ?? null;
      const byOwner = new Map<string, typeof open>();
      for (const item of open) {
        const owner = item.owner ?? fallback;
        if (!owner) continue;
        byOwner.set(String(owner), [...(byOwner.get(String(owner)) ?? []), item]);
      }
      const resById = new Map(resolutions.map((r) => [String(r._id), r]));
      const closes = effectiveClose(meeting, until);
      for (const [ownerId, rows] of byOwner) {
        const key = `${ownerId}:${String(meeting._id)}:${closes.toISOString()}:${stage}`;
        try {
          await ReminderLogModel.create({ _id: key, user: new Types.ObjectId(ownerId), meeting: meeting._id, closes, days: stage, rows: rows.length, at: now });
        } catch (err) {
          if (isDuplicateKey(err)) {
            result.skipped++;
            continue;
          }
          throw err;
        }
        await deliver(deps, now, ownerId, meeting.number, closes, rows.map((r) => resById.get(String(r.resolution))).filter((r): r is Resolution => !!r), rows);
        result.sent++;
      }
    }
  }
  log.info(result, 'reminders run');
  return result;
}

async function deliver(
  deps: ReminderDeps,
  now: Date,
  userId: string,
  meetingNumber: number,
  closes: Date,
  resolutions: Resolution[],
  rows: Array<{ _id: Types.ObjectId; state: string; resolution: Types.ObjectId }>,
): Promise<void> {
  const user = await UserModel.findOne({ _id: new Types.ObjectId(userId), active: true }).lean<User>();
  if (!user) return;
  const lang = isLanguage(user.language) ? user.language : 'sw';
  const t = translator(lang);
  const date = new Intl.DateTimeFormat(lang === 'sw' ? 'sw-TZ' : 'en-GB', { dateStyle: 'long', timeZone: 'Africa/Dar_es_Salaam' }).format(closes);
  await NotificationModel.create({
    user: user._id,
    kind: 'reminder',
    messageKey: 'notifications:messages.reminder',
    params: { count: rows.length, meeting: meetingNumber, date: closes.toISOString() },
    link: '/progress',
    at: now,
  });
  const stateOf = new Map(rows.map((r) => [String(r.resolution), r.state]));
  const lines = resolutions
    .sort((a, b) => a.number - b.number)
    .map((r) => `- ${t('notifications:email.reminder.line', { number: r.number, title: (lang === 'en' && r.title.en) || r.title.sw, state: t(`notifications:email.reminder.state.${stateOf.get(String(r._id)) ?? 'no_report'}`) })}`);
  try {
    await deps.mailer.send({
      to: user.email,
      subject: t('notifications:email.reminder.subject', { count: rows.length, date }),
      text: t('notifications:email.reminder.body', { name: user.name, count: rows.length, meeting: meetingNumber, date, lines: lines.join('\n'), link: `${deps.baseUrl}/progress` }),
    });
  } catch (err) {
    log.error({ err, to: user.email }, 'reminder email failed');
  }
}

