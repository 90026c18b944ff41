import { z } from 'zod';
import { Types } from 'mongoose';
import { INSTITUTION_TYPES, REGIONS } from '../../../domain/reference-data.js';
import { InstitutionModel, type Institution } from '../../institutions/institution.model.js';
import { INSTITUTION_CODE, institutionCodeField } from '../../institutions/institutions.validation.js';
import { recordAudit } from '../../audit/audit.service.js';
import { insertAllOrNothing, type CsvFormat, type CsvMessage } from '../csv.engine.js';
import { booleanField, enumField, optionalText, requiredText } from '../fields.js';

export const INSTITUTION_COLUMNS = ['code', 'name_sw', 'name_en', 'acronym', 'type', 'region', 'parent_code', 'active'] as const;

const institutionRowSchema = z.object({
  code: institutionCodeField,
  name_sw: requiredText(200),
  name_en: optionalText(200),
  acronym: optionalText(30),
  type: enumField(INSTITUTION_TYPES),
  region: enumField(REGIONS),
  parent_code: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toUpperCase() : ''),
    z.string().refine((s) => s === '' || INSTITUTION_CODE.test(s), { error: 'institutions:errors.codeFormat' }),
  ),
  active: booleanField(true),
});
type InstitutionRow = z.infer<typeof institutionRowSchema>;

interface PreparedInstitution {
  _id: Types.ObjectId;
  code: string;
  name: { sw: string; en: string };
  acronym: string;
  type: string;
  region: string;
  parent: Types.ObjectId | null;
  active: boolean;
  searchText: string;
  revision: number;
}

/** Institutions: one row per institution; the parent is named by its code (in the DB or the file). */
export const institutionsCsv: CsvFormat<InstitutionRow, PreparedInstitution> = {
  name: 'institutions',
  columns: INSTITUTION_COLUMNS,
  requiredColumns: ['code', 'name_sw', 'type', 'region'],
  rowSchema: institutionRowSchema,
  label: (raw) => (raw.code ?? '').trim().toUpperCase(),

  async check(rows) {
    const existing = await InstitutionModel.find({}, { code: 1 }).lean<Array<{ _id: Types.ObjectId; code: string }>>();
    const existingByCode = new Map(existing.map((d) => [d.code, d._id]));
    const fileIds = new Map<string, Types.ObjectId>();
    const firstLine = new Map<string, number>();
    const messages: CsvMessage[][] = rows.map(() => []);
    rows.forEach((row, i) => {
      if (!row) return;
      if (existingByCode.has(row.code)) messages[i].push({ key: 'institutions:errors.codeTaken', column: 'code' });
      if (firstLine.has(row.code)) {
        messages[i].push({ key: 'csv:errors.duplicateInFile', params: { line: firstLine.get(row.code) }, column: 'code' });
      } else {
        firstLine.set(row.code, i + 2);
        fileIds.set(row.code, new Types.ObjectId());
      }
    });
    const parentInFile = new Map<string, string>();
    rows.forEach((row, i) => {
      if (!row || !row.parent_code) return;
      if (row.parent_code === row.code) {
        messages[i].push({ key: 'institutions:errors.parentSelf', column: 'parent_code' });
      } else if (!existingByCode.has(row.parent_code) && !fileIds.has(row.parent_code)) {
        messages[i].push({ key: 'csv:errors.unknownReference', params: { value: row.parent_code }, column: 'parent_code' });
      } else if (fileIds.has(row.parent_code)) {
        parentInFile.set(row.code, row.parent_code);
      }
    });
    // Parents among new rows must not form a loop (existing rows cannot point at new ones).
    rows.forEach((row, i) => {
      if (!row || !parentInFile.has(row.code)) return;
      const seen = new Set<string>([row.code]);
      let cur = parentInFile.get(row.code);
      while (cur) {
        if (seen.has(cur)) {
          messages[i].push({ key: 'institutions:errors.parentCycle', column: 'parent_code' });
          break;
        }
        seen.add(cur);
        cur = parentInFile.get(cur);
      }
    });
    const prepared: PreparedInstitution[] = [];
    rows.forEach((row, i) => {
      if (!row || messages[i].length > 0) return;
      const name = { sw: row.name_sw, en: row.name_en };
      prepared.push({
        _id: fileIds.get(row.code) as Types.ObjectId,
        code: row.code,
        name,
        acronym: row.acronym,
        type: row.type,
        region: row.region,
        parent: row.parent_code ? ((existingByCode.get(row.parent_code) ?? fileIds.get(row.parent_code)) as Types.ObjectId) : null,
        active: row.active,
        searchText: [row.code, row.acronym, name.sw, name.en].filter(Boolean).join(' ').toLowerCase(),
        revision: 0,
      });
    });
    return { messages, prepared };
  },

  async commit(prepared, actor) {
    const inserted = await insertAllOrNothing(InstitutionModel, prepared);
    await recordAudit({ actor, action: 'institution.import', entity: 'Institution', entityId: null, before: null, after: { count: inserted, codes: prepared.map((p) => p.code) }, summary: `CSV import: ${inserted} institutions` });
    return { inserted };
  },

  async exportRows() {
    const docs = await InstitutionModel.find().sort({ code: 1 }).lean<Institution[]>();
    const codeById = new Map(docs.map((d) => [String(d._id), d.code]));
    return docs.map((d) => ({
      code: d.code,
      name_sw: d.name.sw,
      name_en: d.name.en ?? '',
      acronym: d.acronym ?? '',
      type: d.type,
      region: d.region,
      parent_code: d.parent ? (codeById.get(String(d.parent)) ?? '') : '',
      active: d.active ? 'true' : 'false',
    }));
  },
};
