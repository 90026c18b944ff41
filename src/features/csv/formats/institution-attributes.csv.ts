import { z } from 'zod';
import { trusted, type Types } from 'mongoose';
import { attributeErrors } from '../../../domain/institution-attributes.js';
import { COUNCIL_TYPES, type CouncilType, type InstitutionType, type MaturityLevel } from '../../../domain/reference-data.js';
import { InstitutionModel, type Institution } from '../../institutions/institution.model.js';
import { institutionAttributeFields, institutionCodeField } from '../../institutions/institutions.validation.js';
import { recordAudit } from '../../audit/audit.service.js';
import { CsvCommitError, type CsvFormat, type CsvMessage } from '../csv.engine.js';
import { booleanField, optionalDateField, optionalEnumField, toIsoDate } from '../fields.js';

export const ATTRIBUTE_COLUMNS = ['code', 'maturity_level', 'maturity_assessed_on', 'vote_code', 'council_type', 'in_scope'] as const;

const attributeRowSchema = z.object({
  code: institutionCodeField,
  maturity_level: institutionAttributeFields.maturityLevel,
  maturity_assessed_on: optionalDateField(),
  vote_code: institutionAttributeFields.voteCode,
  council_type: optionalEnumField(COUNCIL_TYPES),
  in_scope: booleanField(true),
});
type AttributeRow = z.infer<typeof attributeRowSchema>;

interface AttributeValues {
  maturityLevel: MaturityLevel | null;
  maturityAssessedOn: Date | null;
  voteCode: string;
  councilType: CouncilType | null;
  inScope: boolean;
}

interface PreparedChange {
  _id: Types.ObjectId;
  code: string;
  revision: number;
  before: AttributeValues;
  after: AttributeValues;
}

const COLUMN_OF: Record<string, string> = {
  maturityLevel: 'maturity_level',
  maturityAssessedOn: 'maturity_assessed_on',
  councilType: 'council_type',
};

function valuesOf(doc: Institution): AttributeValues {
  return {
    maturityLevel: (doc.maturityLevel ?? null) as MaturityLevel | null,
    maturityAssessedOn: doc.maturityAssessedOn ?? null,
    voteCode: doc.voteCode ?? '',
    councilType: (doc.councilType ?? null) as CouncilType | null,
    inScope: doc.inScope ?? true,
  };
}

/**
 * Institution attributes (maturity level, vote code, council type, scope): one row per EXISTING
 * institution, named by its code; the row replaces those five attributes. The file is the
 * round trip of the export, so an admin edits a spreadsheet and imports it back.
 */
export const institutionAttributesCsv: CsvFormat<AttributeRow, PreparedChange> = {
  name: 'institution-attributes',
  columns: ATTRIBUTE_COLUMNS,
  requiredColumns: ['code'],
  rowSchema: attributeRowSchema,
  label: (raw) => (raw.code ?? '').trim().toUpperCase(),

  async check(rows) {
    const codes = rows.flatMap((r) => (r ? [r.code] : []));
    const docs = await InstitutionModel.find({ code: trusted({ $in: codes }) }).lean<Institution[]>();
    const byCode = new Map(docs.map((d) => [d.code, d]));
    const firstLine = new Map<string, number>();
    const messages: CsvMessage[][] = rows.map(() => []);
    const prepared: PreparedChange[] = [];
    rows.forEach((row, i) => {
      if (!row) return;
      const doc = byCode.get(row.code);
      if (!doc) messages[i].push({ key: 'institutions:errors.unknownCode', column: 'code' });
      if (firstLine.has(row.code)) messages[i].push({ key: 'csv:errors.duplicateInFile', params: { line: firstLine.get(row.code) }, column: 'code' });
      else firstLine.set(row.code, i + 2);
      if (!doc) return;
      const after: AttributeValues = {
        maturityLevel: row.maturity_level,
        maturityAssessedOn: row.maturity_assessed_on,
        voteCode: row.vote_code,
        councilType: row.council_type,
        inScope: row.in_scope,
      };
      const errors = attributeErrors({ type: doc.type as InstitutionType, ...after });
      for (const [field, key] of Object.entries(errors)) messages[i].push({ key, column: COLUMN_OF[field] ?? field });
      if (messages[i].length === 0) prepared.push({ _id: doc._id, code: doc.code, revision: doc.revision, before: valuesOf(doc), after });
    });
    return { messages, prepared };
  },

  async commit(prepared, actor) {
    // Each update is guarded by the revision read during the check: an institution edited in
    // between is not overwritten. On any miss or error, the rows already changed get their
    // previous values back, so the import is all-or-nothing.
    const done: PreparedChange[] = [];
    let failure: unknown = null;
    for (const p of prepared) {
      try {
        const res = await InstitutionModel.updateOne({ _id: p._id, revision: p.revision }, { $set: p.after, $inc: { revision: 1 } });
        if (res.matchedCount !== 1) {
          failure = new Error(`institution ${p.code} changed during the import`);
          break;
        }
        done.push(p);
      } catch (err) {
        failure = err;
        break;
      }
    }
    if (failure) {
      let rolledBack = true;
      for (const p of done) {
        try {
          await InstitutionModel.updateOne({ _id: p._id, revision: p.revision + 1 }, { $set: p.before, $inc: { revision: 1 } });
        } catch {
          rolledBack = false;
        }
      }
      throw new CsvCommitError('attribute update failed', rolledBack, { cause: failure });
    }
    const show = (v: AttributeValues) => ({ ...v, maturityAssessedOn: toIsoDate(v.maturityAssessedOn) || null });
    await recordAudit({
      actor,
      action: 'institution.importAttributes',
      entity: 'Institution',
      entityId: null,
      before: Object.fromEntries(prepared.map((p) => [p.code, show(p.before)])),
      after: Object.fromEntries(prepared.map((p) => [p.code, show(p.after)])),
      summary: `CSV attributes: ${prepared.length} institutions`,
    });
    return { inserted: prepared.length };
  },

  async exportRows() {
    const docs = await InstitutionModel.find().sort({ code: 1 }).lean<Institution[]>();
    return docs.map((d) => ({
      code: d.code,
      maturity_level: d.maturityLevel ? String(d.maturityLevel) : '',
      maturity_assessed_on: toIsoDate(d.maturityAssessedOn),
      vote_code: d.voteCode ?? '',
      council_type: d.councilType ?? '',
      in_scope: d.inScope === false ? 'false' : 'true',
    }));
  },
};
