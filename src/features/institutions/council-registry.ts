import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { Types } from 'mongoose';
import { COUNCIL_TYPES, REGIONS, ZANZIBAR_REGIONS, type CouncilType, type Region } from '../../domain/reference-data.js';
import { InstitutionModel } from './institution.model.js';
import { ROOT_DIR } from '../../paths.js';
import type { Actor } from '../../domain/actor.js';
import { recordAudit } from '../audit/audit.service.js';

/** The councils file copied from the 2022 census (source and caveats: src/seed/data/README.md). */
export const COUNCIL_REGISTRY_FILE = join(ROOT_DIR, 'src', 'seed', 'data', 'tz-councils-2022.csv');

/** One council of the registry, with the code and names it gets as an institution. */
export interface RegistryCouncil {
  code: string;
  region: Region;
  councilType: CouncilType;
  name: string;
  wards: number;
  sw: string;
  en: string;
  inScope: boolean;
}

const CODE_PREFIX: Record<CouncilType, string> = { city: 'CC', municipal: 'MC', town: 'TC', district: 'DC' };
const SW_NAME: Record<CouncilType, (n: string) => string> = {
  city: (n) => `Halmashauri ya Jiji la ${n}`,
  municipal: (n) => `Halmashauri ya Manispaa ya ${n}`,
  town: (n) => `Halmashauri ya Mji wa ${n}`,
  district: (n) => `Halmashauri ya Wilaya ya ${n}`,
};
const EN_TYPE: Record<CouncilType, string> = { city: 'City', municipal: 'Municipal', town: 'Town', district: 'District' };

/** "Wanging'Ombe" -> "Wanging'ombe", "Dar Es Salaam" -> "Dar es Salaam" (the census extraction capitalises every word). */
function tidyName(name: string): string {
  return name.replace(/'([A-Z])/g, (_m, c: string) => `'${c.toLowerCase()}`).replace(/ Es /g, ' es ');
}

/** Parses the registry text; throws on a row that does not fit (the file is ours, so that is a bug). */
export function parseCouncilRegistry(text: string): RegistryCouncil[] {
  const rows = parse(text, { bom: true, columns: true, skip_empty_lines: true, trim: true }) as Array<Record<string, string>>;
  return rows.map((row, i) => {
    const region = row.region as Region;
    const councilType = row.council_type?.replace(/_council$/, '') as CouncilType;
    if (!(REGIONS as readonly string[]).includes(region) || !(COUNCIL_TYPES as readonly string[]).includes(councilType) || !row.name) {
      throw new Error(`council registry line ${i + 2} does not fit: ${JSON.stringify(row)}`);
    }
    const name = tidyName(row.name);
    return {
      code: `${CODE_PREFIX[councilType]}-${name.toUpperCase().replace(/[^A-Z0-9]+/g, '-').replace(/^-|-$/g, '')}`,
      region,
      councilType,
      name,
      wards: Number(row.wards) || 0,
      sw: SW_NAME[councilType](name),
      en: `${name} ${EN_TYPE[councilType]} Council`,
      inScope: !(ZANZIBAR_REGIONS as readonly string[]).includes(region),
    };
  });
}

export async function loadCouncilRegistry(): Promise<RegistryCouncil[]> {
  return parseCouncilRegistry(await readFile(COUNCIL_REGISTRY_FILE, 'utf8'));
}

interface ExistingLga {
  _id: Types.ObjectId;
  code: string;
  region: string;
  type: string;
  name: { sw: string; en?: string };
  councilType?: string | null;
}

/**
 * Finds the institution that already stands for a registry council: same code, or a local
 * government authority in the same region whose English name is "<name> ... <Type> Council"
 * (the demo's "Kigoma Ujiji Municipal Council" is the registry's municipal council "Kigoma").
 */
export function matchExisting(council: RegistryCouncil, existing: ExistingLga[]): ExistingLga | undefined {
  const byCode = existing.find((e) => e.code === council.code);
  if (byCode) return byCode;
  const prefix = council.name.toLowerCase();
  const typeWords = `${EN_TYPE[council.councilType].toLowerCase()} council`;
  return existing.find((e) => {
    if (e.type !== 'lga' || e.region !== council.region) return false;
    if (e.councilType && e.councilType !== council.councilType) return false;
    const en = (e.name.en ?? '').toLowerCase();
    return en.startsWith(prefix) && en.endsWith(typeWords);
  });
}

export interface RegistryPlan {
  /** Councils that have no institution yet, with the documents to insert. */
  missing: RegistryCouncil[];
  /** Existing institutions that stand for a council but have no council type yet. */
  toLink: Array<{ id: Types.ObjectId; code: string; councilType: CouncilType }>;
  present: number;
}

/** Compares the registry with the institutions in the database (reads only). */
export async function planCouncilImport(councils: RegistryCouncil[]): Promise<RegistryPlan> {
  const existing = await InstitutionModel.find({ type: 'lga' }, { code: 1, region: 1, type: 1, name: 1, councilType: 1 }).lean<ExistingLga[]>();
  const codes = await InstitutionModel.find({}, { code: 1 }).lean<Array<{ code: string }>>();
  const taken = new Set(codes.map((c) => c.code));
  const plan: RegistryPlan = { missing: [], toLink: [], present: 0 };
  const used = new Set<string>();
  for (const c of councils) {
    const match = matchExisting(c, existing.filter((e) => !used.has(String(e._id))));
    if (match) {
      used.add(String(match._id));
      plan.present += 1;
      if (!match.councilType) plan.toLink.push({ id: match._id, code: match.code, councilType: c.councilType });
    } else if (!taken.has(c.code)) {
      plan.missing.push(c);
    } else {
      plan.present += 1;
    }
  }
  return plan;
}

/**
 * Writes a plan: one insertMany for the missing councils (under their region's regional
 * secretariat when there is one) and one bulkWrite that sets the council type on the matched
 * ones. Returns how many were inserted and linked.
 */
export async function applyCouncilPlan(plan: RegistryPlan): Promise<{ inserted: number; linked: number; ids: Types.ObjectId[] }> {
  const secretariats = await InstitutionModel.find({ type: 'regional_secretariat' }, { region: 1 }).sort({ code: 1 }).lean<Array<{ _id: Types.ObjectId; region: string }>>();
  const rsByRegion = new Map<string, Types.ObjectId>();
  for (const rs of secretariats) if (!rsByRegion.has(rs.region)) rsByRegion.set(rs.region, rs._id);
  const docs = plan.missing.map((c) => ({
    _id: new Types.ObjectId(),
    code: c.code,
    name: { sw: c.sw, en: c.en },
    acronym: '',
    type: 'lga',
    region: c.region,
    parent: rsByRegion.get(c.region) ?? null,
    active: true,
    councilType: c.councilType,
    inScope: c.inScope,
    searchText: [c.code, c.sw, c.en].join(' ').toLowerCase(),
    revision: 0,
  }));
  if (docs.length > 0) await InstitutionModel.insertMany(docs, { ordered: true });
  if (plan.toLink.length > 0) {
    await InstitutionModel.bulkWrite(
      plan.toLink.map((l) => ({ updateOne: { filter: { _id: l.id }, update: { $set: { councilType: l.councilType }, $inc: { revision: 1 } } } })),
      { ordered: true },
    );
  }
  return { inserted: docs.length, linked: plan.toLink.length, ids: docs.map((d) => d._id) };
}

/**
 * Imports the registry as an admin action: inserts the councils that are missing and sets the
 * council type on the ones that already exist, then records one audit entry. Running it again
 * changes nothing.
 */
export async function importCouncilRegistry(actor: Actor): Promise<{ inserted: number; linked: number }> {
  const plan = await planCouncilImport(await loadCouncilRegistry());
  const result = await applyCouncilPlan(plan);
  if (result.inserted + result.linked > 0) {
    await recordAudit({
      actor,
      action: 'institution.importCouncils',
      entity: 'Institution',
      entityId: null,
      after: { inserted: plan.missing.map((c) => c.code), linked: plan.toLink.map((l) => l.code) },
      summary: `Council registry: ${result.inserted} inserted, ${result.linked} linked`,
    });
  }
  return { inserted: result.inserted, linked: result.linked };
}
