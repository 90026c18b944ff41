import { Schema, model, type InferSchemaType, type HydratedDocument, type Types } from 'mongoose';
import { INSTITUTION_TYPES, PROGRESS_STATUSES } from '../../domain/reference-data.js';
import { CATEGORY_GROUPINGS } from '../../domain/award-categories.js';
import { LAGGARD_VISIBILITY } from '../../domain/assessment-period.js';
import { GRADES } from '../../domain/scoring.js';
import { localizedTextSchema } from '../localized-text.schema.js';

export const RANKING_STATUSES = ['draft', 'published'] as const;
export type RankingStatus = (typeof RANKING_STATUSES)[number];

const gradeBandsSchema = new Schema(
  { A: { type: Number, required: true }, B: { type: Number, required: true }, C: { type: Number, required: true } },
  { _id: false },
);

const awardRulesSchema = new Schema(
  {
    winnersPerPeerGroup: { type: Number, required: true },
    winnerGrades: { type: [{ type: String, enum: GRADES }], default: ['A'] },
    mostImproved: { type: Boolean, default: true },
    needsImprovementGrades: { type: [{ type: String, enum: GRADES }], default: ['D'] },
    needsImprovementIfNothingReported: { type: Boolean, default: true },
  },
  { _id: false },
);

/** One resolution as the ranking used it (weight and applicability frozen at compute time). */
const rankedResolutionSchema = new Schema(
  {
    resolution: { type: Schema.Types.ObjectId, ref: 'Resolution', required: true },
    number: { type: Number, required: true },
    title: { type: localizedTextSchema, required: true },
    weight: { type: Number, required: true },
    appliesTo: { type: [{ type: String, enum: INSTITUTION_TYPES }], default: [] },
    carriedOverFrom: { type: Schema.Types.ObjectId, ref: 'Resolution', default: null },
  },
  { _id: false },
);

/** Bilingual text that may be empty (category descriptions). */
const optionalTextSchema = new Schema({ sw: { type: String, default: '' }, en: { type: String, default: '' } }, { _id: false });

/** An award category as the admin defined it for this ranking (see src/domain/award-categories.ts). */
const categoryDefinitionSchema = new Schema(
  {
    key: { type: String, required: true },
    name: { type: localizedTextSchema, required: true },
    description: { type: optionalTextSchema, default: () => ({}) },
    grouping: { type: String, enum: CATEGORY_GROUPINGS, required: true },
    criteria: {
      type: [new Schema({ resolution: { type: Schema.Types.ObjectId, ref: 'Resolution', required: true }, weight: { type: Number, required: true } }, { _id: false })],
      default: [],
    },
    winners: {
      top: { type: Number, required: true },
      minScore: { type: Number, default: null },
      minGrade: { type: String, enum: [...GRADES, null], default: null },
    },
  },
  { _id: false },
);

/** The period a ranking assesses (a financial year, July–June, by default). */
const periodSchema = new Schema(
  { label: { type: String, required: true }, starts: { type: Date, required: true }, ends: { type: Date, required: true } },
  { _id: false },
);

const parametersSchema = new Schema(
  {
    categories: { type: [categoryDefinitionSchema], default: [] },
    period: { type: periodSchema, default: null },
    /** Who sees the "needs improvement" list: everyone, the institutions concerned only, or no one. */
    needsImprovementVisibility: { type: String, enum: LAGGARD_VISIBILITY, default: 'public' },
    gradeBands: { type: gradeBandsSchema, required: true },
    awards: { type: awardRulesSchema, required: true },
    includeCarriedOver: { type: Boolean, default: false },
    resolutions: { type: [rankedResolutionSchema], default: [] },
    roundingRule: { type: String, default: '' },
  },
  { _id: false },
);

const breakdownLineSchema = new Schema(
  {
    resolution: { type: Schema.Types.ObjectId, ref: 'Resolution', required: true },
    number: { type: Number, required: true },
    weight: { type: Number, required: true },
    /** Verified status, or "not_reported". */
    status: { type: String, enum: [...PROGRESS_STATUSES, 'not_reported'], required: true },
    percent: { type: Number, default: null },
    points: { type: Number, default: null },
    verifiedAt: { type: Date, default: null },
    counted: { type: Boolean, required: true },
    gainIfCompletedExact: { type: String, default: null },
    gainIfCompleted: { type: Number, default: null },
    /** The institution's own claim at compute time (shown next to the verified value). */
    claimedStatus: { type: String, enum: [...PROGRESS_STATUSES, null], default: null },
    claimedPercent: { type: Number, default: null },
    /** Set when the counted value comes from an accepted objection on this ranking. */
    corrected: { type: Boolean, default: false },
  },
  { _id: false },
);

const entrySchema = new Schema(
  {
    institution: { type: Schema.Types.ObjectId, ref: 'Institution', required: true },
    code: { type: String, required: true },
    name: { type: localizedTextSchema, required: true },
    type: { type: String, required: true },
    region: { type: String, required: true },
    scoreExact: { type: String, required: true },
    score: { type: Number, required: true },
    rank: { type: Number, required: true },
    rankInType: { type: Number, required: true },
    grade: { type: String, enum: GRADES, required: true },
    completed: { type: Number, required: true },
    reported: { type: Number, required: true },
    notReported: { type: Number, required: true },
    notApplicable: { type: Number, required: true },
    weightTotal: { type: Number, required: true },
    latestVerifiedAt: { type: Date, default: null },
    nothingReported: { type: Boolean, required: true },
    /** Maturity level at compute time (award categories grouped by maturity). */
    maturityLevel: { type: Number, default: null },
    /** Rankings stored before the compact layout: the lines as sub-documents (read as they are). */
    breakdown: { type: [breakdownLineSchema], default: [] },
    /**
     * The breakdown lines in the compact layout of src/db/ranking-lines.codec.ts (one string per entry).
     * Read through rankings.read.ts, which turns it back into `breakdown`.
     */
    lines: { type: String },
  },
  { _id: false },
);

const unrankedSchema = new Schema(
  {
    institution: { type: Schema.Types.ObjectId, ref: 'Institution', required: true },
    code: { type: String, required: true },
    name: { type: localizedTextSchema, required: true },
    type: { type: String, required: true },
    region: { type: String, required: true },
    reason: { type: String, required: true },
  },
  { _id: false },
);

const awardSchema = new Schema(
  {
    institution: { type: Schema.Types.ObjectId, ref: 'Institution', required: true },
    code: { type: String, required: true },
    type: { type: String, required: true },
    score: { type: Number, required: true },
    grade: { type: String, enum: GRADES, default: null },
    rankInType: { type: Number, default: null },
    nothingReported: { type: Boolean, default: false },
    previousScore: { type: Number, default: null },
    previousScoreExact: { type: String, default: null },
    gain: { type: Number, default: null },
    gainExact: { type: String, default: null },
  },
  { _id: false },
);

/** One category's result: every ranked institution's score and place, and the winners. */
const categoryResultSchema = new Schema(
  {
    key: { type: String, required: true },
    entries: {
      type: [
        new Schema(
          {
            institution: { type: Schema.Types.ObjectId, ref: 'Institution', required: true },
            code: String,
            group: String,
            scoreExact: String,
            score: Number,
            grade: String,
            completed: Number,
            rank: Number,
            place: Number,
          },
          { _id: false },
        ),
      ],
      default: [],
    },
    winners: {
      type: [
        new Schema(
          { institution: { type: Schema.Types.ObjectId, ref: 'Institution', required: true }, code: String, group: String, place: Number, scoreExact: String, score: Number, grade: String },
          { _id: false },
        ),
      ],
      default: [],
    },
    groups: { type: [new Schema({ group: String, ranked: Number, winners: Number }, { _id: false })], default: [] },
  },
  { _id: false },
);

/** One institution whose position changed against the previous published version. */
const diffLineSchema = new Schema(
  {
    institution: { type: Schema.Types.ObjectId, ref: 'Institution', required: true },
    code: { type: String, required: true },
    name: { type: localizedTextSchema, required: true },
    fromRank: { type: Number, default: null },
    toRank: { type: Number, default: null },
    fromScore: { type: Number, default: null },
    toScore: { type: Number, default: null },
    /** Resolutions whose counted value changed, e.g. "3: in_progress 40% → completed 100%". */
    reasons: {
      type: [
        new Schema(
          {
            number: Number,
            fromStatus: String,
            fromPercent: { type: Number, default: null },
            toStatus: String,
            toPercent: { type: Number, default: null },
            corrected: { type: Boolean, default: false },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
  },
  { _id: false },
);

/** Objections with their answers, frozen into the published snapshot. */
const objectionCopySchema = new Schema(
  {
    objection: { type: Schema.Types.ObjectId, ref: 'Objection', required: true },
    institution: { type: Schema.Types.ObjectId, ref: 'Institution', required: true },
    code: { type: String, required: true },
    resolutionNumber: { type: Number, required: true },
    reason: { type: String, required: true },
    state: { type: String, required: true },
    answer: { type: String, default: '' },
    filedAt: { type: Date, required: true },
    answeredAt: { type: Date, default: null },
  },
  { _id: false },
);

/**
 * A ranking of one meeting. Drafts are recomputed in place; a published ranking is an immutable
 * snapshot: every update query is restricted to drafts (see the hooks below), so a correction is
 * always a new version.
 */
const rankingSchema = new Schema(
  {
    meeting: { type: Schema.Types.ObjectId, ref: 'Meeting', required: true },
    /** 1, 2, … per meeting, set when published; null for drafts. */
    version: { type: Number, default: null },
    status: { type: String, enum: RANKING_STATUSES, default: 'draft' },
    cutoff: { type: Date, required: true },
    parameters: { type: parametersSchema, required: true },
    entries: { type: [entrySchema], default: [] },
    unranked: { type: [unrankedSchema], default: [] },
    awards: {
      winners: { type: [awardSchema], default: [] },
      mostImproved: { type: [awardSchema], default: [] },
      needsImprovement: { type: [awardSchema], default: [] },
    },
    /** Award categories' results, in the order of parameters.categories. */
    categories: { type: [categoryResultSchema], default: [] },
    /** The previous published ranking of the same meeting (most improved, diff). */
    previous: { type: Schema.Types.ObjectId, ref: 'Ranking', default: null },
    previousVersion: { type: Number, default: null },
    diff: { type: [diffLineSchema], default: [] },
    /** Why this version was published (required for corrections). */
    note: { type: String, default: '' },
    objections: { type: [objectionCopySchema], default: [] },
    replyWindow: {
      opens: { type: Date, default: null },
      closes: { type: Date, default: null },
    },
    computedBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    computedAt: { type: Date, required: true },
    publishedBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    publishedByName: { type: String, default: '' },
    publishedAt: { type: Date, default: null },
    revision: { type: Number, default: 0 },
  },
  { timestamps: true },
);

rankingSchema.index({ meeting: 1, status: 1, version: -1 });
rankingSchema.index({ status: 1, publishedAt: -1 });
rankingSchema.index(
  { meeting: 1, version: 1 },
  { unique: true, partialFilterExpression: { status: 'published' } },
);

// Published snapshots never change: updates only ever match drafts.
rankingSchema.pre(['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'findOneAndReplace'], function onlyDrafts() {
  this.where({ status: 'draft' });
});
rankingSchema.pre(['deleteOne', 'deleteMany', 'findOneAndDelete'], function onlyDraftsDeleted() {
  this.where({ status: 'draft' });
});
rankingSchema.post('init', function rememberStatus(doc) {
  doc.$locals.loadedStatus = doc.status;
});
rankingSchema.pre('save', function refusePublishedSave() {
  if (!this.isNew && this.$locals.loadedStatus === 'published') {
    throw new Error('A published ranking is immutable; publish a new version instead.');
  }
});

export type Ranking = InferSchemaType<typeof rankingSchema> & { _id: Types.ObjectId };
export type RankingDocument = HydratedDocument<Ranking>;
export const RankingModel = model('Ranking', rankingSchema);
