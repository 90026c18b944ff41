/**
 * Shapes a ranking for its readers: the open-data JSON (stable field names, ISO 8601 UTC dates),
 * the CSV download, and the view models of the public pages (filters, peer groups, charts).
 */
import { stringify } from 'csv-stringify/sync';
import type { TFunction } from 'i18next';
import { INSTITUTION_TYPES, type LocalizedText } from '../../domain/reference-data.js';
import { histogram, barChart, type Chart } from '../../views/charts/index.js';
import type { Ranking } from './ranking.model.js';
import { toEntry } from './rankings.query.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- lean sub-documents are mapped field by field */
const iso = (d: Date | null | undefined): string | null => (d ? new Date(d).toISOString() : null);
const text = (n: any): LocalizedText => ({ sw: n?.sw ?? '', ...(n?.en ? { en: n.en } : {}) });

function apiAward(a: any) {
  return {
    institutionId: String(a.institution),
    code: a.code,
    type: a.type,
    score: a.score,
    grade: a.grade ?? null,
    ...(a.rankInType != null ? { rankInType: a.rankInType } : {}),
    ...(a.gain != null ? { gain: a.gain, gainExact: a.gainExact, previousScore: a.previousScore, previousScoreExact: a.previousScoreExact } : {}),
    nothingReported: Boolean(a.nothingReported),
  };
}

/** The published ranking as open data: everything needed to recompute it independently. */
export function toApiRanking(r: Ranking) {
  const p = r.parameters;
  return {
    id: String(r._id),
    meetingId: String(r.meeting),
    version: r.version,
    status: r.status,
    cutoff: iso(r.cutoff),
    publishedAt: iso(r.publishedAt),
    publishedBy: r.publishedByName || null,
    note: r.note || null,
    previous: r.previous ? { id: String(r.previous), version: r.previousVersion } : null,
    parameters: {
      cutoff: iso(r.cutoff),
      gradeBands: { A: p.gradeBands.A, B: p.gradeBands.B, C: p.gradeBands.C },
      awardRules: {
        winnersPerPeerGroup: p.awards.winnersPerPeerGroup,
        winnerGrades: [...p.awards.winnerGrades],
        mostImproved: p.awards.mostImproved,
        needsImprovementGrades: [...p.awards.needsImprovementGrades],
        needsImprovementIfNothingReported: p.awards.needsImprovementIfNothingReported,
      },
      includeCarriedOver: p.includeCarriedOver,
      resolutions: p.resolutions.map((x: any) => ({
        resolutionId: String(x.resolution),
        number: x.number,
        title: text(x.title),
        weight: x.weight,
        appliesTo: [...x.appliesTo],
        carriedOverFrom: x.carriedOverFrom ? String(x.carriedOverFrom) : null,
      })),
      rounding: {
        rule: p.roundingRule,
        decimals: 2,
        mode: 'half-up',
        exactForm: 'scoreExact is numerator/denominator of Σ(weight × points) ÷ Σ(weight), weights and percents read as written decimals',
      },
      method: {
        points: 'points = verified percent (completed = 100); no verified value at or before the cutoff = 0 points (not_reported); verified not_applicable leaves the denominator',
        order: ['score desc', 'completed desc', 'latestVerifiedAt asc (none last)', 'code asc (display only; equal on the first three keys share a rank)'],
        grade: 'from the exact score: A ≥ gradeBands.A, B ≥ gradeBands.B, C ≥ gradeBands.C, else D',
      },
    },
    entries: r.entries.map((e: any) => ({
      ...toEntry(e),
      latestVerifiedAt: iso(e.latestVerifiedAt),
      breakdown: e.breakdown.map((b: any) => ({
        resolutionId: String(b.resolution),
        number: b.number,
        weight: b.weight,
        status: b.status,
        percent: b.percent ?? null,
        points: b.points ?? null,
        verifiedAt: iso(b.verifiedAt),
        counted: b.counted,
        corrected: Boolean(b.corrected),
      })),
    })),
    unranked: r.unranked.map((u: any) => ({ institutionId: String(u.institution), code: u.code, type: u.type, region: u.region, reason: u.reason })),
    awards: {
      winners: (r.awards?.winners ?? []).map(apiAward),
      mostImproved: (r.awards?.mostImproved ?? []).map(apiAward),
      needsImprovement: (r.awards?.needsImprovement ?? []).map(apiAward),
    },
    objections: r.objections.map((o: any) => ({
      institutionCode: o.code,
      resolutionNumber: o.resolutionNumber,
      reason: o.reason,
      state: o.state,
      answer: o.answer,
      filedAt: iso(o.filedAt),
      answeredAt: iso(o.answeredAt),
    })),
    diff: r.diff.map((d: any) => ({
      code: d.code,
      fromRank: d.fromRank,
      toRank: d.toRank,
      fromScore: d.fromScore,
      toScore: d.toScore,
      reasons: d.reasons.map((x: any) => ({
        number: x.number,
        fromStatus: x.fromStatus || null,
        fromPercent: x.fromPercent ?? null,
        toStatus: x.toStatus || null,
        toPercent: x.toPercent ?? null,
        corrected: Boolean(x.corrected),
      })),
    })),
  };
}

export function toApiSummary(r: Pick<Ranking, '_id' | 'meeting' | 'version' | 'cutoff' | 'publishedAt'>) {
  return { id: String(r._id), meetingId: String(r.meeting), version: r.version, cutoff: iso(r.cutoff), publishedAt: iso(r.publishedAt) };
}

/** Long format: one row per (institution, resolution), with the institution's results repeated. */
export function toCsv(r: Ranking): string {
  const rows: unknown[][] = [
    [
      'rank', 'rankInType', 'code', 'name_sw', 'name_en', 'type', 'region', 'score', 'scoreExact', 'grade', 'completed',
      'resolutionNumber', 'resolutionId', 'weight', 'status', 'percent', 'points', 'counted', 'verifiedAt',
    ],
  ];
  for (const e of r.entries as any[]) {
    for (const b of e.breakdown) {
      rows.push([
        e.rank, e.rankInType, e.code, e.name?.sw ?? '', e.name?.en ?? '', e.type, e.region, e.score.toFixed(2), e.scoreExact, e.grade, e.completed,
        b.number, String(b.resolution), b.weight, b.status, b.percent ?? '', b.points ?? '', b.counted ? 'true' : 'false', iso(b.verifiedAt) ?? '',
      ]);
    }
  }
  return stringify(rows);
}

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
