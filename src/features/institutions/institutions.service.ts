import { Types, trusted } from 'mongoose';
import { duplicateKeyAsFieldError } from '../../db/duplicate-key.js';
import { attributeErrors } from '../../domain/institution-attributes.js';
import type { Language } from '../../domain/reference-data.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Actor } from '../../domain/actor.js';
import { toIsoDate } from '../csv/fields.js';
import { InstitutionModel, type Institution } from './institution.model.js';
import type {
  InstitutionBulkChange,
  InstitutionEditForm,
  InstitutionForm,
  InstitutionListQuery,
} from './institutions.validation.js';
import { escapeRegex } from '../../domain/escape-regex.js';
import { assertRole } from '../access.js';

export const INSTITUTION_PAGE_SIZE = 25;


/** The fields an audit entry records for an institution. */
export function institutionSummary(
  doc: Pick<Institution, 'code' | 'name' | 'acronym' | 'type' | 'region' | 'parent' | 'active'> &
    Partial<Pick<Institution, 'maturityLevel' | 'maturityAssessedOn' | 'voteCode' | 'councilType' | 'inScope'>>,
): Record<string, unknown> {
  return {
    code: doc.code,
    name: { sw: doc.name?.sw, en: doc.name?.en ?? '' },
    acronym: doc.acronym,
    type: doc.type,
    region: doc.region,
    parent: doc.parent ? String(doc.parent) : null,
    active: doc.active,
    maturityLevel: doc.maturityLevel ?? null,
    maturityAssessedOn: doc.maturityAssessedOn ? new Date(doc.maturityAssessedOn).toISOString().slice(0, 10) : null,
    voteCode: doc.voteCode ?? '',
    councilType: doc.councilType ?? null,
    inScope: doc.inScope ?? true,
  };
}

export interface InstitutionPage {
  items: Institution[];
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
}

/** One page of institutions matching search/filters, sorted by code or by name in `lang`. */
export async function listInstitutions(query: InstitutionListQuery, lang: Language): Promise<InstitutionPage> {
  const filter: Record<string, unknown> = {};
  const q = query.q?.trim().toLowerCase();
  if (q) filter.searchText = new RegExp(escapeRegex(q));
  if (query.type) filter.type = query.type;
  if (query.region) filter.region = query.region;
  if (query.active) filter.active = query.active === 'true';
  const sort: Record<string, 1> = query.sort === 'name' ? { [`name.${lang}`]: 1, 'name.sw': 1, code: 1 } : { code: 1 };
  const total = await InstitutionModel.countDocuments(filter);
  const pageCount = Math.max(1, Math.ceil(total / INSTITUTION_PAGE_SIZE));
  const page = Math.min(query.page ?? 1, pageCount);
  const items = await InstitutionModel.find(filter)
    .sort(sort)
    .skip((page - 1) * INSTITUTION_PAGE_SIZE)
    .limit(INSTITUTION_PAGE_SIZE)
    .populate('parent', 'code name acronym')
    .lean<Institution[]>();
  return { items, total, page, pageCount, pageSize: INSTITUTION_PAGE_SIZE };
}

/** All institutions as { id, code, name } for parent selects, sorted by code. */
export async function institutionOptions(): Promise<Array<Pick<Institution, '_id' | 'code' | 'name' | 'acronym'>>> {
  return InstitutionModel.find({}, { code: 1, name: 1, acronym: 1 }).sort({ code: 1 }).lean();
}

/** One institution (with its parent populated) or a 404. */
export async function getInstitution(id: Types.ObjectId): Promise<Institution> {
  const doc = await InstitutionModel.findById(id).populate('parent', 'code name acronym').lean<Institution>();
  if (!doc) throw new NotFoundError('institutions:errors.notFound');
  return doc;
}

/** Institutions whose parent is `id`. */
export async function listChildren(id: string): Promise<Institution[]> {
  return InstitutionModel.find({ parent: id }).sort({ code: 1 }).lean<Institution[]>();
}

/**
 * Checks that `parentId` exists and that making it the parent of `selfId` would not create
 * a cycle (an institution cannot sit under itself or under one of its descendants).
 */
async function checkParent(parentId: string | null, selfId: string | null): Promise<void> {
  if (!parentId) return;
  if (selfId && parentId === selfId) throw new ValidationError({ parent: 'institutions:errors.parentSelf' });
  let current: string | null = parentId;
  const seen = new Set<string>();
  while (current) {
    if (seen.has(current)) break;
    seen.add(current);
    const doc: { parent?: Types.ObjectId | null } | null = await InstitutionModel.findById(current, { parent: 1 }).lean();
    if (!doc) {
      throw new ValidationError({ parent: current === parentId ? 'institutions:errors.parentMissing' : 'institutions:errors.parentCycle' });
    }
    const next: string | null = doc.parent ? String(doc.parent) : null;
    if (selfId && next === selfId) throw new ValidationError({ parent: 'institutions:errors.parentCycle' });
    current = next;
  }
}

async function checkCodeFree(code: string, selfId: string | null): Promise<void> {
  const filter: Record<string, unknown> = { code };
  if (selfId) filter._id = trusted({ $ne: new Types.ObjectId(selfId) });
  if (await InstitutionModel.exists(filter)) throw new ValidationError({ code: 'institutions:errors.codeTaken' });
}

function toDoc(input: InstitutionForm) {
  const errors = attributeErrors(input);
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  return {
    code: input.code,
    name: { sw: input.nameSw, en: input.nameEn },
    acronym: input.acronym,
    type: input.type,
    region: input.region,
    parent: input.parent ? new Types.ObjectId(input.parent) : null,
    active: input.active,
    maturityLevel: input.maturityLevel,
    maturityAssessedOn: input.maturityAssessedOn,
    voteCode: input.voteCode,
    councilType: input.councilType,
    inScope: input.inScope,
  };
}

/** Creates an institution after checking the code is free and the parent exists. */
export async function createInstitution(input: InstitutionForm, actor: Actor): Promise<Institution> {
  assertRole(actor, 'admin');
  const doc = toDoc(input);
  await checkCodeFree(input.code, null);
  await checkParent(input.parent, null);
  const created = await duplicateKeyAsFieldError({ code: 'institutions:errors.codeTaken' }, () => InstitutionModel.create(doc));
  const after = created.toObject() as Institution;
  await recordAudit({ actor, action: 'institution.create', entity: 'Institution', entityId: String(created._id), before: null, after: institutionSummary(after), summary: `${after.code} ${after.name.sw}` });
  return after;
}

/**
 * Updates an institution if `input.revision` is still current (optimistic concurrency);
 * a stale revision raises ConflictError so the form can show the current values.
 */
export async function updateInstitution(id: Types.ObjectId, input: InstitutionEditForm, actor: Actor): Promise<Institution> {
  assertRole(actor, 'admin');
  const before = await InstitutionModel.findById(id).lean<Institution>();
  if (!before) throw new NotFoundError('institutions:errors.notFound');
  const doc = toDoc(input);
  await checkCodeFree(input.code, String(id));
  await checkParent(input.parent, String(id));
  const searchText = [doc.code, doc.acronym, doc.name.sw, doc.name.en].filter(Boolean).join(' ').toLowerCase();
  const updated = await duplicateKeyAsFieldError({ code: 'institutions:errors.codeTaken' }, () =>
    InstitutionModel.findOneAndUpdate(
      { _id: id, revision: input.revision },
      { $set: { ...doc, searchText }, $inc: { revision: 1 } },
      { returnDocument: 'after', runValidators: true },
    ).lean<Institution>(),
  );
  if (!updated) throw new ConflictError('institutions:errors.conflict');
  await recordAudit({ actor, action: 'institution.update', entity: 'Institution', entityId: id, before: institutionSummary(before), after: institutionSummary(updated), summary: `${updated.code} ${updated.name.sw}` });
  return updated;
}

/** Activates or deactivates one institution. */
export async function setInstitutionActive(id: Types.ObjectId, active: boolean, actor: Actor): Promise<Institution> {
  assertRole(actor, 'admin');
  const updated = await InstitutionModel.findByIdAndUpdate(id, { $set: { active }, $inc: { revision: 1 } }, { returnDocument: 'before' }).lean<Institution>();
  if (!updated) throw new NotFoundError('institutions:errors.notFound');
  await recordAudit({ actor, action: active ? 'institution.activate' : 'institution.deactivate', entity: 'Institution', entityId: id, before: { active: updated.active }, after: { active }, summary: `${updated.code} active=${active}` });
  return { ...updated, active };
}

/**
 * Changes one field on several institutions at once. Everything is checked first (all ids
 * exist, the parent exists and would not become its own ancestor); then one updateMany.
 * Returns the number of institutions changed.
 */
export async function bulkUpdateInstitutions(change: InstitutionBulkChange, actor: Actor): Promise<number> {
  assertRole(actor, 'admin');
  const ids = [...new Set(change.ids)];
  const found = await InstitutionModel.find({ _id: trusted({ $in: ids }) }, { code: 1, type: 1, [change.field]: 1 }).lean<Institution[]>();
  if (found.length !== ids.length) throw new ValidationError({ ids: 'institutions:errors.bulkMissing' });
  if (change.field === 'parent' && change.value) {
    for (const id of ids) await checkParent(change.value, id);
  }
  if (change.field === 'councilType' && change.value && found.some((d) => d.type !== 'lga')) {
    throw new ValidationError({ councilType: 'institutions:errors.councilTypeNotLga' });
  }
  let set: Record<string, unknown>;
  let value: unknown;
  if (change.field === 'maturityLevel') {
    set = { maturityLevel: change.value.level, maturityAssessedOn: change.value.on };
    value = change.value.level === null ? null : `${change.value.level} (${toIsoDate(change.value.on)})`;
  } else {
    value = change.field === 'parent' && change.value ? new Types.ObjectId(change.value) : change.value;
    set = { [change.field]: value };
  }
  const result = await InstitutionModel.updateMany({ _id: trusted({ $in: ids }) }, { $set: set, $inc: { revision: 1 } });
  await recordAudit({
    actor,
    action: 'institution.bulkUpdate',
    entity: 'Institution',
    entityId: null,
    before: { field: change.field, values: Object.fromEntries(found.map((d) => [d.code, (d as Record<string, unknown>)[change.field] ?? null].map(String))) },
    after: { field: change.field, value: value === null ? null : String(value), codes: found.map((d) => d.code) },
    summary: `${found.length} institutions: ${change.field}`,
  });
  return result.modifiedCount ?? ids.length;
}
