/**
 * Award categories of a draft ranking (e-GA admins): add or remove a category, then the draft is
 * recomputed so its results are always those of its definitions. Published rankings keep theirs.
 */
import type { Actor } from '../../domain/actor.js';
import { categoryErrors, type CategoryDefinition } from '../../domain/award-categories.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { RankingModel, type Ranking } from './ranking.model.js';
import { assertAdmin, rankingId } from './ranking-access.js';
import { recomputeDraft } from './ranking-workflow.service.js';
import { categoriesOf } from './snapshot.builder.js';

/** A key from the category's name: "Best Performance in GovESB" -> "best-performance-in-govesb". */
export function categoryKey(name: string, taken: ReadonlySet<string>): string {
  const base =
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 36)
      .replace(/-+$/, '') || 'category';
  let key = base;
  for (let i = 2; taken.has(key); i++) key = `${base}-${i}`;
  return key;
}

async function draftHead(id: string): Promise<Ranking> {
  const ranking = await RankingModel.findById(rankingId(id)).select({ entries: 0, unranked: 0, diff: 0, categories: 0 }).lean<Ranking>();
  if (!ranking) throw new NotFoundError('rankings:notFound');
  if (ranking.status !== 'draft') throw new ConflictError('rankings:alreadyPublished');
  return ranking;
}

export type NewCategory = Omit<CategoryDefinition, 'key'>;

/** Adds a category to a draft and recomputes it. Throws ValidationError (field -> key) for a bad definition. */
export async function addCategory(actor: Actor, id: string, input: NewCategory, now: Date): Promise<CategoryDefinition> {
  assertAdmin(actor);
  const ranking = await draftHead(id);
  const existing = categoriesOf(ranking);
  const def: CategoryDefinition = { ...input, key: categoryKey(input.name.en || input.name.sw, new Set(existing.map((c) => c.key))) };
  const errors = categoryErrors(def, new Set(ranking.parameters.resolutions.map((r) => String(r.resolution))));
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  await recomputeDraft(actor, id, now, { categories: [...existing, def] });
  await recordAudit({
    actor,
    action: 'ranking.category.add',
    entity: 'Ranking',
    entityId: id,
    summary: `Award category "${def.name.sw}" (${def.key})`,
    after: { ...def, criteria: def.criteria.map((c) => ({ ...c })) } as unknown as Record<string, unknown>,
    at: now,
  });
  return def;
}

/** Removes a category from a draft and recomputes it. */
export async function removeCategory(actor: Actor, id: string, key: string, now: Date): Promise<void> {
  assertAdmin(actor);
  const ranking = await draftHead(id);
  const existing = categoriesOf(ranking);
  const removed = existing.find((c) => c.key === key);
  if (!removed) throw new NotFoundError('awards:errors.notFound');
  await recomputeDraft(actor, id, now, { categories: existing.filter((c) => c.key !== key) });
  await recordAudit({
    actor,
    action: 'ranking.category.remove',
    entity: 'Ranking',
    entityId: id,
    summary: `Award category "${removed.name.sw}" (${key}) removed`,
    before: { key, name: removed.name },
    at: now,
  });
}
