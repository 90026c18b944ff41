import { Schema, model, type InferSchemaType, type HydratedDocument, type Types } from 'mongoose';
import { PROGRESS_STATUSES } from '../../domain/reference-data.js';
import { WORKFLOW_STATES } from '../../domain/progress-workflow.js';

/** Kinds of immutable report versions. */
export const REPORT_KINDS = ['claim', 'verification', 'return', 'assessment'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

const valueSchema = new Schema(
  {
    status: { type: String, enum: PROGRESS_STATUSES, required: true },
    percent: { type: Number, min: 0, max: 100, required: true },
    at: { type: Date, required: true },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    /** Version number of the ProgressReport this value comes from. */
    version: { type: Number, required: true },
  },
  { _id: false },
);

/**
 * One row per (institution, resolution): the current claimed and verified values,
 * denormalised from the immutable ProgressReport versions for fast dashboards.
 * `revision` guards concurrent edits (optimistic concurrency).
 */
const progressItemSchema = new Schema(
  {
    institution: { type: Schema.Types.ObjectId, ref: 'Institution', required: true },
    resolution: { type: Schema.Types.ObjectId, ref: 'Resolution', required: true },
    meeting: { type: Schema.Types.ObjectId, ref: 'Meeting', required: true },
    owner: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    state: { type: String, enum: WORKFLOW_STATES, default: 'no_report' },
    claimed: { type: valueSchema, default: null },
    verified: { type: valueSchema, default: null },
    /** Comment of the latest return, shown to the institution until it resubmits. */
    returnComment: { type: String, default: '' },
    lastVersion: { type: Number, default: 0 },
    revision: { type: Number, default: 0 },
    /** Number of evidence pieces (files + links) attached to the current claim. */
    claimedEvidence: { type: Number, default: 0 },
    /**
     * Write-ahead copy of the report version this item update announced (set in the same atomic
     * update that claims `lastVersion`); cleared once the ProgressReport is inserted. Any later
     * writer that finds it inserts it first, so a crash between the two writes loses nothing.
     */
    pending: { type: Schema.Types.Mixed, default: null },
  },
  { timestamps: true },
);

progressItemSchema.index({ institution: 1, resolution: 1 }, { unique: true });
progressItemSchema.index({ owner: 1 });
progressItemSchema.index({ resolution: 1, state: 1 });
progressItemSchema.index({ meeting: 1, state: 1 });

const evidenceSchema = new Schema(
  {
    kind: { type: String, enum: ['file', 'link'], required: true },
    /** GridFS file id (bucket "evidence") for files. */
    fileId: { type: Schema.Types.ObjectId, default: null },
    filename: { type: String, default: '' },
    contentType: { type: String, default: '' },
    size: { type: Number, default: 0 },
    url: { type: String, default: '' },
    label: { type: String, default: '' },
  },
  { _id: false },
);

/**
 * Immutable history: every claim, return, verification and direct assessment is a
 * new document with the next version number of its item; nothing is ever updated.
 * Rankings read the latest `verification`/`assessment` at or before a cutoff.
 */
const progressReportSchema = new Schema(
  {
    item: { type: Schema.Types.ObjectId, ref: 'ProgressItem', required: true },
    institution: { type: Schema.Types.ObjectId, ref: 'Institution', required: true },
    resolution: { type: Schema.Types.ObjectId, ref: 'Resolution', required: true },
    meeting: { type: Schema.Types.ObjectId, ref: 'Meeting', required: true },
    version: { type: Number, required: true },
    kind: { type: String, enum: REPORT_KINDS, required: true },
    status: { type: String, enum: PROGRESS_STATUSES, default: null },
    percent: { type: Number, min: 0, max: 100, default: null },
    narrative: { type: String, default: '' },
    /** Reviewer's reason (verification with adjustment, assessment) or comment (return). */
    comment: { type: String, default: '' },
    evidence: { type: [evidenceSchema], default: [] },
    by: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    at: { type: Date, required: true },
  },
  { timestamps: false },
);

progressReportSchema.index({ item: 1, version: 1 }, { unique: true });
/**
 * An item's versions by kind (latest claim, latest return, the history page): every field an
 * equality, so the embedded engine's hash indexes answer it as MongoDB does, without a scan.
 */
progressReportSchema.index({ item: 1, kind: 1 });
/** Who may open an evidence file is decided from the report that holds it. */
progressReportSchema.index({ 'evidence.fileId': 1 }, { sparse: true });
progressReportSchema.index({ meeting: 1, kind: 1, at: 1 });
progressReportSchema.index({ institution: 1, resolution: 1, at: -1 });
/** Public scorecards read an institution's verification history in one indexed look-up. */
progressReportSchema.index({ institution: 1, kind: 1 });

export type ProgressItem = InferSchemaType<typeof progressItemSchema> & { _id: Types.ObjectId };
export type ProgressItemDocument = HydratedDocument<ProgressItem>;
export const ProgressItemModel = model('ProgressItem', progressItemSchema);

export type ProgressReport = InferSchemaType<typeof progressReportSchema> & { _id: Types.ObjectId };
export const ProgressReportModel = model('ProgressReport', progressReportSchema);
