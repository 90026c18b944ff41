import { Types } from 'mongoose';
import type { Mailer } from '../../mail/mailer.js';
import { translator, isLanguage } from '../../i18n/index.js';
import { logger } from '../../logger.js';
import { UserModel, type User } from '../accounts/user.model.js';
import { NotificationModel, type Notification, type NotificationKind } from './notification.model.js';
import { op } from '../progress/query.js';

const log = logger.child({ module: 'notifications' });

export interface NotifyInput {
  userIds: readonly (string | Types.ObjectId)[];
  kind: NotificationKind;
  /** Key under "notifications:messages.*" (in-app text) and "notifications:email.*" (subject + body). */
  key: string;
  params: Record<string, unknown>;
  /** Same-site path, e.g. /progress/items/<id>. */
  link: string;
  /** Also send an email to each user (in the user's language). */
  email?: boolean;
}

/**
 * Creates in-app notifications and (optionally) emails. Email failures are logged, never thrown:
 * the workflow write has already happened and must not be reported as failed.
 */
export async function notify(deps: { mailer: Mailer; baseUrl: string; now: Date }, input: NotifyInput): Promise<void> {
  const ids = [...new Set(input.userIds.map(String))].filter((id) => Types.ObjectId.isValid(id));
  if (ids.length === 0) return;
  const users = await UserModel.find({ _id: op({ $in: ids }), active: true }).select({ email: 1, language: 1, name: 1 }).lean<User[]>();
  if (users.length === 0) return;
  await NotificationModel.insertMany(
    users.map((u) => ({
      user: u._id,
      kind: input.kind,
      messageKey: `notifications:messages.${input.key}`,
      params: input.params,
      link: input.link,
      at: deps.now,
    })),
  );
  if (!input.email) return;
  for (const u of users) {
    const t = translator(isLanguage(u.language) ? u.language : 'sw');
    const params = { ...input.params, name: u.name, link: `${deps.baseUrl}${input.link}` };
    try {
      await deps.mailer.send({
        to: u.email,
        subject: t(`notifications:email.${input.key}.subject`, params),
        text: t(`notifications:email.${input.key}.body`, params),
      });
    } catch (err) {
      log.error({ err, to: u.email, key: input.key }, 'notification email failed');
    }
  }
}

export async function unreadCount(userId: string): Promise<number> {
  if (!Types.ObjectId.isValid(userId)) return 0;
  return NotificationModel.countDocuments({ user: new Types.ObjectId(userId), readAt: null });
}

export const NOTIFICATIONS_PAGE_SIZE = 25;

export async function listNotifications(userId: string, page: number): Promise<{ items: Notification[]; total: number; pages: number }> {
  const filter = { user: new Types.ObjectId(userId) };
  const [items, total] = await Promise.all([
    NotificationModel.find(filter)
      .sort({ at: -1, _id: -1 })
      .skip((page - 1) * NOTIFICATIONS_PAGE_SIZE)
      .limit(NOTIFICATIONS_PAGE_SIZE)
      .lean<Notification[]>(),
    NotificationModel.countDocuments(filter),
  ]);
  return { items, total, pages: Math.max(1, Math.ceil(total / NOTIFICATIONS_PAGE_SIZE)) };
}

/** Marks one notification (only the user's own) or all of them as read; returns how many changed. */
export async function markRead(userId: string, notificationId: string | 'all', now: Date): Promise<number> {
  const filter: Record<string, unknown> = { user: new Types.ObjectId(userId), readAt: null };
  if (notificationId !== 'all') filter._id = new Types.ObjectId(notificationId);
  const res = await NotificationModel.updateMany(filter, { $set: { readAt: now } });
  return res.modifiedCount;
}
