import { Schema, model, type InferSchemaType, type HydratedDocument, type Types } from 'mongoose';
import { LANGUAGES, ROLES } from '../../domain/reference-data.js';

const userSchema = new Schema(
  {
    email: { type: String, required: true, unique: true, trim: true, lowercase: true },
    name: { type: String, required: true, trim: true },
    role: { type: String, enum: ROLES, required: true },
    /** Required for role "institution": the one institution this user acts for. */
    institution: { type: Schema.Types.ObjectId, ref: 'Institution', default: null },
    /** Optional for e-GA staff who also belong to an institution (reviewers cannot verify it). */
    title: { type: String, trim: true, default: '' },
    phone: { type: String, trim: true, default: '' },
    passwordHash: { type: String, default: null },
    active: { type: Boolean, default: true },
    /** sha256 of the one-time set-password token; the token itself is never stored. */
    setPasswordTokenHash: { type: String, default: null },
    setPasswordExpires: { type: Date, default: null },
    /** Bumped on deactivation/password change so existing sessions end. */
    sessionVersion: { type: Number, default: 0 },
    language: { type: String, enum: LANGUAGES, default: 'sw' },
    lastLoginAt: { type: Date, default: null },
  },
  { timestamps: true },
);

userSchema.index({ institution: 1 });
userSchema.index({ setPasswordTokenHash: 1 }, { sparse: true });

export type User = InferSchemaType<typeof userSchema> & { _id: Types.ObjectId };
export type UserDocument = HydratedDocument<User>;
export const UserModel = model('User', userSchema);
