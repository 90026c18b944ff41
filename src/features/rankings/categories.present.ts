/**
 * View model of a ranking's award categories (admin and public pages, method section):
 * each category with its criteria, its rule, and its winners by peer group.
 */
import { NO_GROUP } from '../../domain/award-categories.js';
import type { Ranking } from './ranking.model.js';

export interface GroupLabel {
  /** i18n key (with `level`), or null when `text` is the label (a region). */
  labelKey: string | null;
  level?: number;
  text?: string;
}

export function groupLabel(grouping: string, group: string): GroupLabel {
  if (grouping === 'region') return { labelKey: null, text: group };
  if (grouping === 'type') return { labelKey: `reference:institutionTypes.${group}` };
  const m = /^level-(\d)$/.exec(group);
  if (grouping === 'maturity' && m) return { labelKey: 'awards:group.level', level: Number(m[1]) };
  return { labelKey: 'awards:group.all' };
}

export function categoryCards(ranking: Pick<Ranking, 'parameters' | 'categories' | 'entries'>) {
  const byNumber = new Map(ranking.parameters.resolutions.map((r) => [String(r.resolution), r]));
  const nameOf = new Map((ranking.entries ?? []).map((e) => [String(e.institution), e.name]));
  const results = new Map((ranking.categories ?? []).map((c) => [c.key, c]));
  return (ranking.parameters.categories ?? []).map((def) => {
    const result = results.get(def.key);
    const winners = result?.winners ?? [];
    return {
      key: def.key,
      name: def.name,
      description: def.description?.sw ? def.description : null,
      grouping: def.grouping,
      top: def.winners?.top ?? 1,
      minScore: def.winners?.minScore ?? null,
      minGrade: def.winners?.minGrade ?? null,
      criteria: def.criteria.map((c) => {
        const r = byNumber.get(String(c.resolution));
        return { number: r?.number ?? '?', title: r?.title ?? { sw: '' }, weight: c.weight };
      }),
      ranked: result?.entries.length ?? 0,
      groups: (result?.groups ?? [])
        .filter((g) => g.group !== NO_GROUP)
        .map((g) => ({
          ...groupLabel(def.grouping, g.group ?? ''),
          ranked: g.ranked,
          winners: winners
            .filter((w) => w.group === g.group)
            .map((w) => ({ ...w, institution: String(w.institution), name: nameOf.get(String(w.institution)) ?? { sw: w.code ?? '' } })),
        })),
    };
  });
}
