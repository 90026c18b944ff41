import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

/**
 * An admin's extension of one meeting's reporting window for one institution. One document per
 * (meeting, institution); a later extension replaces `until` (the audit log keeps the history).
 */
const windowExtensionSchema = new Schema(
  {
    meeting: { type: Schema.Types.ObjectId, ref: 'Meeting', required: true },
    institution: { type: Schema.Types.ObjectId, ref: 'Institution', required: true },
    until: { type: Date, required: true },
    reason: { type: String, default: '' },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    at: { type: Date, required: true },
  },
  { timestamps: false },
);

windowExtensionSchema.index({ meeting: 1, institution: 1 }, { unique: true });

export type WindowExtension = InferSchemaType<typeof windowExtensionSchema> & { _id: Types.ObjectId };
export const WindowExtensionModel = model('WindowExtension', windowExtensionSchema);
