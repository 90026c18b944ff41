import type { TFunction } from 'i18next';
import { localize, type Language } from '../../domain/reference-data.js';
import { barChart, statusBar, statusLegend, trendLine, type Chart } from '../../views/charts/index.js';
import { STATUS_KEYS, type GroupSummary, type StatusCounts } from './public.stats.js';
import type { MeetingPage, ResolutionPage, Scorecard } from './public.service.js';

/**
 * Turns the public read models into what the templates show: translated labels and charts.
 * Charts need translated texts, so they are built here rather than in the services.
 */

export function statusLabels(t: TFunction): Record<(typeof STATUS_KEYS)[number], string> {
  return {
    completed: t('public:status.completed'),
    in_progress: t('public:status.in_progress'),
    not_started: t('public:status.not_started'),
    not_applicable: t('public:status.not_applicable'),
    not_reported: t('public:status.not_reported'),
  };
}


const pct = (lang: Language) => (v: number) =>
  new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'sw-TZ', { style: 'percent', maximumFractionDigits: 0 }).format(v / 100);

export function statusChart(title: string, counts: StatusCounts, t: TFunction, lang: Language, legend = true): Chart {
  return statusBar({
    title,
    counts,
    labels: statusLabels(t),
    headers: [t('public:table.status'), t('public:table.institutions'), t('public:table.share')],
    texts: { showTable: t('charts:showTable') },
    legend,
    formatPercent: pct(lang),
  });
}

/** Percent with at most one decimal, as {{formatPercent}} shows it: chart labels and tables agree. */
const pct1 = (lang: Language) => (v: number) =>
  new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'sw-TZ', { style: 'percent', maximumFractionDigits: 1 }).format(v / 100);

/**
 * Completion per group as bars; the chart's one "show as a table" toggle holds the counts per
 * status and the completion (the same text as the bar labels).
 */
export function completionChart(title: string, groups: Array<{ label: string; completion: number | null; counts?: StatusCounts }>, t: TFunction, lang: Language, header: string): Chart {
  const f = pct1(lang);
  const n = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'sw-TZ');
  const display = (g: { completion: number | null }) => (g.completion === null ? '—' : f(g.completion));
  const withCounts = groups.every((g) => g.counts);
  return barChart({
    title,
    items: groups.map((g) => ({ label: g.label, value: g.completion ?? 0, display: display(g) })),
    max: 100,
    headers: [header, t('public:table.completion')],
    texts: { showTable: t('charts:showTable') },
    table: withCounts
      ? {
          headers: [header, ...STATUS_KEYS.map((k) => t(`public:status.${k}`)), t('public:table.completion')],
          rows: groups.map((g) => [g.label, ...STATUS_KEYS.map((k) => n.format((g.counts as StatusCounts)[k])), display(g)]),
        }
      : undefined,
  });
}

function groupRows(groups: GroupSummary[], label: (key: string) => string) {
  return groups.map((g) => ({ ...g, label: label(g.key) }));
}

export function presentMeeting(page: MeetingPage, t: TFunction, lang: Language) {
  const { summary } = page;
  const byType = groupRows(summary.byType, (k) => t(`public:types.${k}`));
  // Regions from the most to the least complete (no figure last), then by name.
  const byRegion = groupRows(summary.byRegion, (k) => k).sort(
    (a, b) => (b.completion ?? -1) - (a.completion ?? -1) || a.label.localeCompare(b.label),
  );
  return {
    meeting: page.meeting,
    totals: summary.totals,
    institutions: summary.institutions,
    overallChart: statusChart(t('public:meeting.overallChart'), summary.totals.counts, t, lang),
    legend: { toHTML: () => statusLegend(statusLabels(t)) },
    resolutions: summary.resolutions.map((r) => ({
      ...r,
      categoryLabel: t(`public:categories.${r.resolution.category}`),
      chart: statusChart(`${t('public:resolutionShort', { number: r.resolution.number })}: ${localize(r.resolution.title, lang)}`, r.counts, t, lang, false),
    })),
    byType,
    byRegion,
    typeChart: completionChart(t('public:meeting.byTypeChart'), byType, t, lang, t('public:table.type')),
    regionChart: completionChart(t('public:meeting.byRegionChart'), byRegion, t, lang, t('public:table.region')),
    ranking: page.ranking ? { id: page.ranking.id, version: page.ranking.version, publishedAt: page.ranking.publishedAt } : null,
    winners: page.winners.map((w) => ({ ...w, typeLabel: t(`public:types.${w.type}`) })),
  };
}

export function presentResolution(page: ResolutionPage, t: TFunction, lang: Language) {
  return {
    ...page,
    categoryLabel: t(`public:categories.${page.resolution.category}`),
    appliesToLabels: page.resolution.appliesTo.map((k) => t(`public:types.${k}`)),
    chart: statusChart(t('public:resolution.chart'), page.counts, t, lang),
    rows: page.rows.map((r) => ({ ...r, typeLabel: t(`public:types.${r.type}`), statusLabel: t(`public:status.${r.status}`) })),
    typeOptions: page.types.map((k) => ({ value: k, label: t(`public:types.${k}`) })),
    regionOptions: page.regions.map((k) => ({ value: k, label: k })),
    statusOptions: STATUS_KEYS.map((k) => ({ value: k, label: t(`public:status.${k}`) })),
  };
}

export function presentScorecard(card: Scorecard, t: TFunction, lang: Language) {
  const ranked = card.rankings.filter((r) => r.rank !== null);
  const point = (r: (typeof card.rankings)[number]) =>
    t('public:scorecard.versionLabel', { number: r.meetingNumber ?? '?', version: r.version });
  return {
    institution: { ...card.institution, typeLabel: t(`public:types.${card.institution.type}`) },
    totals: card.totals,
    overallChart: statusChart(t('public:scorecard.chart'), card.totals.counts, t, lang),
    rankChart:
      ranked.length > 0
        ? trendLine({
            title: t('public:scorecard.rankTrend'),
            points: ranked.map((r) => ({ label: point(r), value: r.rank as number })),
            invert: true,
            headers: [t('public:scorecard.version'), t('public:scorecard.rank')],
            texts: { showTable: t('charts:showTable') },
          })
        : null,
    rankings: card.rankings.map((r) => ({ ...r, label: point(r) })),
    meetings: card.meetings.map((m) => ({
      ...m,
      resolutions: m.resolutions.map((r) => ({
        ...r,
        statusLabel: t(`public:status.${r.status}`),
        claimedLabel: r.claimed ? t(`public:status.${r.claimed.status}`) : null,
        history: r.history.map((h) => ({ ...h, statusLabel: t(`public:status.${h.status}`) })),
      })),
    })),
  };
}
