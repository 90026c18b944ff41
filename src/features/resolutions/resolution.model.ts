import { Schema, model, type InferSchemaType, type HydratedDocument, type Types } from 'mongoose';
import { INSTITUTION_TYPES, RESOLUTION_CATEGORIES } from '../../domain/reference-data.js';
import { localizedTextSchema } from '../localized-text.schema.js';

const resolutionSchema = new Schema(
  {
    meeting: { type: Schema.Types.ObjectId, ref: 'Meeting', required: true },
    /** Unique within its meeting. */
    number: { type: Number, required: true, min: 1 },
    title: { type: localizedTextSchema, required: true },
    text: { type: localizedTextSchema, required: true },
    category: { type: String, enum: RESOLUTION_CATEGORIES, required: true },
    dueDate: { type: Date, required: true },
    weight: { type: Number, default: 1, min: 0.01 },
    /** Institution types that must implement it; all types by default. */
    appliesTo: { type: [{ type: String, enum: INSTITUTION_TYPES }], default: () => [...INSTITUTION_TYPES] },
    active: { type: Boolean, default: true },
    /** Set on the copy when a resolution is carried over to a later meeting. */
    carriedOverFrom: { type: Schema.Types.ObjectId, ref: 'Resolution', default: null },
    /** Demo wording paraphrased from news reports, not the official text. */
    sampleWording: { type: Boolean, default: false },
    searchText: { type: String, default: '' },
    revision: { type: Number, default: 0 },
  },
  { timestamps: true },
);

resolutionSchema.index({ meeting: 1, number: 1 }, { unique: true });
resolutionSchema.index({ carriedOverFrom: 1 });

resolutionSchema.pre('validate', function buildSearchText() {
  this.searchText = [this.title?.sw, this.title?.en, this.text?.sw, this.text?.en].filter(Boolean).join(' ').toLowerCase();
});

export type Resolution = InferSchemaType<typeof resolutionSchema> & { _id: Types.ObjectId };
export type ResolutionDocument = HydratedDocument<Resolution>;
export const ResolutionModel = model('Resolution', resolutionSchema);
