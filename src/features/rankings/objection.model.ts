import { Schema, model, type InferSchemaType, type HydratedDocument, type Types } from 'mongoose';
import { PROGRESS_STATUSES } from '../../domain/reference-data.js';

export const OBJECTION_STATES = ['open', 'accepted', 'rejected'] as const;
export type ObjectionState = (typeof OBJECTION_STATES)[number];

const evidenceSchema = new Schema(
  {
    kind: { type: String, enum: ['file', 'link'], required: true },
    url: { type: String, default: '' },
    label: { type: String, default: '' },
    fileId: { type: Schema.Types.ObjectId, default: null },
    filename: { type: String, default: '' },
    contentType: { type: String, default: '' },
    size: { type: Number, default: 0 },
  },
  { _id: false },
);

/**
 * An institution's objection to its draft position on one resolution, filed while the ranking's
 * reply window is open, and the reviewer's answer. Accepting corrects the verified value
 * through a direct assessment (the normal verification path).
 */
const objectionSchema = new Schema(
  {
    ranking: { type: Schema.Types.ObjectId, ref: 'Ranking', required: true },
    institution: { type: Schema.Types.ObjectId, ref: 'Institution', required: true },
    resolution: { type: Schema.Types.ObjectId, ref: 'Resolution', required: true },
    reason: { type: String, required: true, trim: true, maxlength: 4000 },
    /** What the institution says the value should be. */
    requestedStatus: { type: String, enum: [...PROGRESS_STATUSES, null], default: null },
    requestedPercent: { type: Number, min: 0, max: 100, default: null },
    evidence: { type: [evidenceSchema], default: [] },
    filedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    filedAt: { type: Date, required: true },
    state: { type: String, enum: OBJECTION_STATES, default: 'open' },
    answer: { type: String, default: '' },
    /** The corrected value recorded when accepted. */
    correctedStatus: { type: String, enum: [...PROGRESS_STATUSES, null], default: null },
    correctedPercent: { type: Number, default: null },
    correctedAt: { type: Date, default: null },
    answeredBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    answeredAt: { type: Date, default: null },
    revision: { type: Number, default: 0 },
  },
  { timestamps: true },
);

objectionSchema.index({ ranking: 1, institution: 1, resolution: 1 });
objectionSchema.index({ ranking: 1, state: 1 });

export type Objection = InferSchemaType<typeof objectionSchema> & { _id: Types.ObjectId };
export type ObjectionDocument = HydratedDocument<Objection>;
export const ObjectionModel = model('Objection', objectionSchema);
