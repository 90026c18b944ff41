import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

export const NOTIFICATION_KINDS = ['returned', 'verified', 'assessed', 'reminder', 'owner_assigned', 'ranking_draft', 'ranking_published', 'award_won'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * One in-app message for one user. The text is stored as an i18n key plus parameters so it is
 * shown in the reader's current language.
 */
const notificationSchema = new Schema(
  {
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    kind: { type: String, enum: NOTIFICATION_KINDS, required: true },
    /** Key in the "notifications" namespace, e.g. "notifications:messages.returned". */
    messageKey: { type: String, required: true },
    params: { type: Schema.Types.Mixed, default: {} },
    /** Same-site path the notification points to. */
    link: { type: String, default: '' },
    readAt: { type: Date, default: null },
    at: { type: Date, required: true },
  },
  { timestamps: false },
);

notificationSchema.index({ user: 1, at: -1 });
notificationSchema.index({ user: 1, readAt: 1 });

export type Notification = InferSchemaType<typeof notificationSchema> & { _id: Types.ObjectId };
export const NotificationModel = model('Notification', notificationSchema);

/**
 * Idempotency record for reminder digests: one document per (user, window, days-before);
 * the unique _id makes a second send for the same key impossible, even from two instances.
 */
const reminderLogSchema = new Schema(
  {
    _id: { type: String, required: true },
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    meeting: { type: Schema.Types.ObjectId, ref: 'Meeting', required: true },
    closes: { type: Date, required: true },
    days: { type: Number, required: true },
    rows: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { timestamps: false },
);

export const ReminderLogModel = model('ReminderLog', reminderLogSchema);

/**
 * Named locks shared by app instances (collection "locks"): whoever sets `until` in the future
 * first holds the lock until then.
 */
const lockSchema = new Schema(
  {
    _id: { type: String, required: true },
    holder: { type: String, required: true },
    until: { type: Date, required: true },
  },
  { timestamps: false, collection: 'locks' },
);

export const LockModel = model('Lock', lockSchema);
