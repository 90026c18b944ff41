/**
 * View models of the public ranking pages: filters, pagination, peer groups, capped lists,
 * charts and the named awards.
 */
import type { TFunction } from 'i18next';
import { INSTITUTION_TYPES } from '../../domain/reference-data.js';
import { histogram, barChart, type Chart } from '../../views/charts/index.js';
import type { Ranking } from './ranking.model.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- lean sub-documents are mapped field by field */
export interface PublicFilters {
  type?: string;
  region?: string;
}

/** Entries grouped per peer group (type), in the order of INSTITUTION_TYPES, after filters. */
export function peerGroups(r: Ranking, filters: PublicFilters) {
  const rows = (r.entries as any[]).filter((e) => (!filters.type || e.type === filters.type) && (!filters.region || e.region === filters.region));
  const groups = INSTITUTION_TYPES.map((type) => ({
    type,
    entries: rows.filter((e) => e.type === type).sort((a, b) => a.rankInType - b.rankInType || (a.code < b.code ? -1 : 1)),
  })).filter((g) => g.entries.length > 0);
  return { rows, groups };
}

/** Rows per page of the public overall table, and rows shown per peer group before "see all". */
export const PUBLIC_PAGE_SIZE = 50;
export const PUBLIC_GROUP_TOP = 5;
/** Longer lists (needs improvement, differences) show this many; the downloads hold all. */
export const PUBLIC_LIST_CAP = 50;

function filterUrl(id: string, params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const qs = q.toString();
  return `/rankings/${id}${qs ? `?${qs}` : ''}`;
}

/**
 * The percent printed beside a status in the version difference: only a partial one matters
 * ("Completed" is 100 and a not-applicable or not-started line has no meaningful percent).
 */
export const shownPercent = (status: string | null | undefined, percent: number | null | undefined): string =>
  status === 'in_progress' && percent != null ? `${percent}%` : '';

/**
 * The tables of the public ranking page, light by default: one page of the overall table (after
 * the type/region filters), the top of each peer group with a link to the whole group, and the
 * first lines of long lists. Page numbers past the end show the last page.
 */
export function publicTables(r: Ranking, filters: PublicFilters & { page?: number }) {
  const id = String(r._id);
  const { rows, groups } = peerGroups(r, filters);
  const pages = Math.max(1, Math.ceil(rows.length / PUBLIC_PAGE_SIZE));
  const page = Math.min(Math.max(1, filters.page ?? 1), pages);
  const start = (page - 1) * PUBLIC_PAGE_SIZE;
  const pageRows = rows.slice(start, start + PUBLIC_PAGE_SIZE);
  const needs = (r.awards?.needsImprovement ?? []) as any[];
  const diff = (r.diff ?? []) as any[];
  return {
    total: rows.length,
    page,
    pages,
    rows: pageRows,
    first: pageRows.length ? start + 1 : 0,
    last: start + pageRows.length,
    groups: groups.map((g) => ({
      type: g.type,
      total: g.entries.length,
      entries: g.entries.slice(0, PUBLIC_GROUP_TOP),
      more: g.entries.length > PUBLIC_GROUP_TOP && filters.type !== g.type ? filterUrl(id, { type: g.type, region: filters.region }) : null,
    })),
    needsImprovement: { total: needs.length, more: Math.max(0, needs.length - PUBLIC_LIST_CAP) },
    diff: {
      shown: diff.slice(0, PUBLIC_LIST_CAP).map((d) => ({
        ...d,
        reasons: (d.reasons ?? []).map((x: any) => ({
          ...x,
          fromPercent: shownPercent(x.fromStatus, x.fromPercent),
          toPercent: shownPercent(x.toStatus, x.toPercent),
        })),
      })),
      total: diff.length,
      more: Math.max(0, diff.length - PUBLIC_LIST_CAP),
    },
  };
}

/** Charts for the public page; each carries its own table fallback. */
export function rankingCharts(r: Ranking, t: TFunction): { distribution: Chart; byType: Chart; byRegion: Chart } {
  const texts = { showTable: t('rankings:charts.showTable') };
  const entries = r.entries as any[];
  const mean = (xs: number[]) => (xs.length ? Math.round((xs.reduce((s, x) => s + x, 0) / xs.length) * 100) / 100 : 0);
  const groupMean = (key: 'type' | 'region', label: (k: string) => string) => {
    const keys = [...new Set(entries.map((e) => e[key] as string))].sort();
    return keys
      .map((k) => {
        const v = mean(entries.filter((e) => e[key] === k).map((e) => e.score));
        return { label: label(k), value: v, display: String(v) };
      })
      .sort((a, b) => b.value - a.value);
  };
  return {
    distribution: histogram({
      title: t('rankings:charts.distribution'),
      values: entries.map((e) => e.score),
      headers: [t('rankings:charts.scoreRange'), t('rankings:charts.institutions')],
      texts,
    }),
    byType: barChart({
      title: t('rankings:charts.byType'),
      items: groupMean('type', (k) => t(`rankings:types.${k}`)),
      max: 100,
      headers: [t('rankings:columns.type'), t('rankings:charts.meanScore')],
      texts,
    }),
    byRegion: barChart({
      title: t('rankings:charts.byRegion'),
      items: groupMean('region', (k) => k),
      max: 100,
      headers: [t('rankings:columns.region'), t('rankings:charts.meanScore')],
      texts,
    }),
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/* eslint-disable @typescript-eslint/no-explicit-any -- award sub-documents with the institution name added */
/** The award lists with each institution's name (from the entries). */
export function namedAwards(r: Ranking) {
  const names = new Map((r.entries as any[]).map((e) => [String(e.institution), e.name]));
  const named = (list: any[] | undefined) => (list ?? []).map((a) => ({ ...a, name: names.get(String(a.institution)) ?? { sw: a.code } }));
  return { winners: named(r.awards?.winners), mostImproved: named(r.awards?.mostImproved), needsImprovement: named(r.awards?.needsImprovement) };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/**
 * The institutions not in a ranking, by why: those registered after the cutoff, and those with
 * no applicable (or only not-applicable) resolution.
 */
export function unrankedGroups(r: Pick<Ranking, 'unranked'>) {
  const joined = r.unranked.filter((u) => u.reason === 'joined_after_cutoff');
  const other = r.unranked.filter((u) => u.reason !== 'joined_after_cutoff');
  return { joinedAfterCutoff: joined, notApplicable: other };
}
