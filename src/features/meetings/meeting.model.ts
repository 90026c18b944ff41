import { Schema, model, type InferSchemaType, type HydratedDocument, type Types } from 'mongoose';
import { MEETING_STATUSES } from '../../domain/reference-data.js';
import { localizedTextSchema } from '../localized-text.schema.js';

const meetingSchema = new Schema(
  {
    /** Ordinal of the working session, e.g. 4 for the 4th session (2024). */
    number: { type: Number, required: true, unique: true, min: 1 },
    title: { type: localizedTextSchema, required: true },
    theme: { type: localizedTextSchema, required: true },
    venue: { type: String, required: true, trim: true },
    startDate: { type: Date, required: true },
    endDate: { type: Date, required: true },
    /** Institutions may submit progress only while the window is open. */
    reportingOpens: { type: Date, required: true },
    reportingCloses: { type: Date, required: true },
    status: { type: String, enum: MEETING_STATUSES, default: 'planned' },
    revision: { type: Number, default: 0 },
  },
  { timestamps: true },
);

export type Meeting = InferSchemaType<typeof meetingSchema> & { _id: Types.ObjectId };
export type MeetingDocument = HydratedDocument<Meeting>;
export const MeetingModel = model('Meeting', meetingSchema);
