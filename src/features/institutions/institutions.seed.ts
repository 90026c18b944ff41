import { prng } from '../../domain/prng.js';
import type { MaturityLevel } from '../../domain/reference-data.js';
import { InstitutionModel } from './institution.model.js';
import { applyCouncilPlan, loadCouncilRegistry, planCouncilImport } from './council-registry.js';

/** The demo's maturity assessment: e-GA's assessment for financial year 2023/24 (closed 30 June 2024). */
export const DEMO_MATURITY_ASSESSED_ON = new Date(Date.UTC(2024, 5, 30));

/**
 * Demo levels by institution type: central bodies mostly at Level 3-4, councils mostly at 2-3,
 * as in the 2023/24 awards (Level 4 and Level 3 judged separately). Values are [level, weight].
 */
const LEVEL_MIX: Record<string, Array<[MaturityLevel, number]>> = {
  ministry: [[4, 0.55], [3, 0.4], [5, 0.05]],
  independent_department: [[4, 0.4], [3, 0.5], [2, 0.1]],
  executive_agency: [[4, 0.45], [3, 0.45], [2, 0.1]],
  public_corporation: [[4, 0.5], [3, 0.4], [2, 0.1]],
  regional_secretariat: [[3, 0.6], [2, 0.3], [4, 0.1]],
  lga: [[3, 0.45], [2, 0.45], [4, 0.05], [1, 0.05]],
  other: [[3, 0.5], [2, 0.5]],
};

function pick(mix: Array<[MaturityLevel, number]>, r: number): MaturityLevel {
  let acc = 0;
  for (const [level, w] of mix) {
    acc += w;
    if (r < acc) return level;
  }
  return mix[mix.length - 1][0];
}

/**
 * Demo institution attributes: imports the council registry (the 194 councils of the 2022
 * census; Zanzibar's out of scope) and gives every in-scope institution without a level a
 * deterministic maturity level. Two bulk writes, whatever the number of institutions.
 */
export async function seedInstitutionAttributes(): Promise<{ councils: number; linked: number; levels: number }> {
  const plan = await planCouncilImport(await loadCouncilRegistry());
  const councils = await applyCouncilPlan(plan);
  const docs = await InstitutionModel.find({ maturityLevel: null, inScope: true }, { code: 1, type: 1 }).sort({ code: 1 }).lean<Array<{ _id: unknown; code: string; type: string }>>();
  const rand = prng(20250211);
  const ops = docs.map((d) => ({
    updateOne: {
      filter: { _id: d._id },
      update: { $set: { maturityLevel: pick(LEVEL_MIX[d.type] ?? LEVEL_MIX.other, rand()), maturityAssessedOn: DEMO_MATURITY_ASSESSED_ON } },
    },
  }));
  if (ops.length > 0) await InstitutionModel.bulkWrite(ops, { ordered: false });
  return { councils: councils.inserted, linked: councils.linked, levels: ops.length };
}
