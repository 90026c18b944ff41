import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

/**
 * One entry per write anywhere in the app (and per sign-in attempt). Entries are only ever
 * inserted. `before`/`after` hold small summaries (changed fields), never secrets.
 */
const auditEntrySchema = new Schema(
  {
    at: { type: Date, required: true },
    /** Null for anonymous actions (failed sign-in with an unknown email) and the system (seed, CLI). */
    actor: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    actorName: { type: String, default: '' },
    actorEmail: { type: String, default: '' },
    role: { type: String, enum: ['admin', 'reviewer', 'institution', 'anonymous', 'system'], required: true },
    /** Dotted verb, e.g. "user.create", "auth.login.failure", "resolution.update". */
    action: { type: String, required: true },
    /** Model name, e.g. "User", "Resolution", "Session". */
    entity: { type: String, required: true },
    entityId: { type: String, default: '' },
    summary: { type: String, default: '' },
    before: { type: Schema.Types.Mixed, default: null },
    after: { type: Schema.Types.Mixed, default: null },
  },
  { versionKey: false, minimize: false },
);

auditEntrySchema.index({ at: -1 });
auditEntrySchema.index({ entity: 1, at: -1 });
auditEntrySchema.index({ actor: 1, at: -1 });
auditEntrySchema.index({ action: 1, at: -1 });

export type AuditEntry = InferSchemaType<typeof auditEntrySchema> & { _id: Types.ObjectId };
export const AuditEntryModel = model('AuditEntry', auditEntrySchema);
