import type { TFunction } from 'i18next';
import type { HomePage } from './home.service.js';

/** Counting pairs (institution × resolution): "verified" means e-GA checked a value for it. */
function pairsOf(counts: Record<string, number>, applicable: number) {
  const verified = applicable - (counts.not_reported ?? 0);
  return { verified, applicable, counted: applicable - (counts.not_applicable ?? 0) };
}

/** View data of views/home/index.hbs. */
export function presentHome(page: HomePage, t: TFunction) {
  const impl = page.implemented;
  const implemented = impl && {
    meeting: { ...impl.meeting, id: String(impl.meeting._id) },
    headline: {
      institutions: impl.summary.institutions,
      resolutions: impl.summary.resolutions.length,
      completion: impl.summary.totals.completion,
      ...pairsOf(impl.summary.totals.counts, impl.summary.totals.applicable),
    },
    resolutions: impl.summary.resolutions.map((r) => ({
      id: r.resolution.id,
      number: r.resolution.number,
      title: r.resolution.title,
      categoryLabel: t(`reference:categories.${r.resolution.category}`),
      dueDate: r.resolution.dueDate,
      overdue: r.overdue,
      sampleWording: r.resolution.sampleWording,
      completion: r.completion,
      // <progress> needs a number; "no figure yet" is shown as text next to an empty bar.
      bar: r.completion ?? 0,
      completed: r.counts.completed,
      counted: r.applicable - r.counts.not_applicable,
    })),
    ranking: impl.ranking ? { id: impl.ranking.id, version: impl.ranking.version, publishedAt: impl.ranking.publishedAt } : null,
    winners: impl.winners.map((w) => ({ ...w, typeLabel: t(`public:types.${w.type}`) })),
    mostImproved: impl.mostImproved.map((w) => ({ ...w, typeLabel: t(`public:types.${w.type}`) })),
  };
  const prepared = page.prepared && {
    meeting: { ...page.prepared.meeting, id: String(page.prepared.meeting._id) },
    resolutions: page.prepared.resolutions,
    hasSampleWording: page.prepared.resolutions.some((r) => r.sampleWording),
  };
  return { implemented, prepared, hasSampleWording: Boolean(impl?.summary.resolutions.some((r) => r.resolution.sampleWording)) };
}
