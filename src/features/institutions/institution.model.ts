import { Schema, model, type InferSchemaType, type HydratedDocument, type Types } from 'mongoose';
import { COUNCIL_TYPES, INSTITUTION_TYPES, MATURITY_LEVELS, REGIONS } from '../../domain/reference-data.js';
import { localizedTextSchema } from '../localized-text.schema.js';

const institutionSchema = new Schema(
  {
    /** Code as e-GA assigns it, e.g. "MDA-001"; stored upper-case. */
    code: { type: String, required: true, unique: true, trim: true, uppercase: true },
    name: { type: localizedTextSchema, required: true },
    acronym: { type: String, trim: true, default: '' },
    type: { type: String, enum: INSTITUTION_TYPES, required: true },
    region: { type: String, enum: REGIONS, required: true },
    parent: { type: Schema.Types.ObjectId, ref: 'Institution', default: null },
    active: { type: Boolean, default: true },
    /** e-Government capability-maturity level (1-5) and the date e-GA assessed it; null when not assessed. */
    maturityLevel: { type: Number, min: MATURITY_LEVELS[0], max: MATURITY_LEVELS[MATURITY_LEVELS.length - 1], default: null },
    maturityAssessedOn: { type: Date, default: null },
    /** Budget vote (Fungu) code, e.g. "50"; '' where the institution has none of its own. */
    voteCode: { type: String, trim: true, uppercase: true, default: '' },
    /** Council type; only local government authorities have one. */
    councilType: { type: String, enum: [...COUNCIL_TYPES, null], default: null },
    /** Whether e-GA follows this institution up (Zanzibar's councils are kept but out of scope by default). */
    inScope: { type: Boolean, default: true },
    /** Lower-cased name/acronym/code text used for escaped-regex search in both languages. */
    searchText: { type: String, default: '' },
    revision: { type: Number, default: 0 },
  },
  { timestamps: true },
);

institutionSchema.index({ type: 1, region: 1 });
institutionSchema.index({ active: 1 });
institutionSchema.index({ maturityLevel: 1 });

institutionSchema.pre('validate', function buildSearchText() {
  this.searchText = [this.code, this.acronym, this.name?.sw, this.name?.en].filter(Boolean).join(' ').toLowerCase();
});

export type Institution = InferSchemaType<typeof institutionSchema> & { _id: Types.ObjectId };
export type InstitutionDocument = HydratedDocument<Institution>;
export const InstitutionModel = model('Institution', institutionSchema);
