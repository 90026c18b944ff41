/**
 * A published ranking as open data: the JSON of `/api/v1/rankings/:id` and of the download
 * (stable field names, ISO 8601 UTC dates, everything needed to recompute it independently),
 * and the long-format CSV download.
 */
import { toCsv as writeCsv } from '../csv/csv-writer.js';
import type { LocalizedText } from '../../domain/reference-data.js';
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
    period: p.period ? { label: p.period.label, starts: iso(p.period.starts), ends: iso(p.period.ends) } : null,
    parameters: {
      cutoff: iso(r.cutoff),
      period: p.period ? { label: p.period.label, starts: iso(p.period.starts), ends: iso(p.period.ends) } : null,
      needsImprovementVisibility: p.needsImprovementVisibility ?? 'public',
      categories: (p.categories ?? []).map((c: any) => ({
        key: c.key,
        name: text(c.name),
        description: text(c.description),
        grouping: c.grouping,
        criteria: c.criteria.map((x: any) => ({ resolutionId: String(x.resolution), weight: x.weight })),
        winners: { top: c.winners?.top ?? 1, minScore: c.winners?.minScore ?? null, minGrade: c.winners?.minGrade ?? null },
      })),
      categoryMethod: {
        score: 'the ranking method above, applied to the category criteria only, with the category weights (breakdown lines of each entry give every value needed)',
        groups: 'none: one group "all"; type: entry.type; region: entry.region; maturity: "level-" + entry.maturityLevel (entries without a level are in no group and cannot win)',
        places: 'competition ranks within the group on the ranking order keys',
        winners: 'place <= top, and score >= minScore and grade at least minGrade when set; a group with no qualifying institution has no winner',
      },
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
      maturityLevel: e.maturityLevel ?? null,
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
      // Published only when e-GA chose to name laggards in public for this ranking.
      needsImprovement: (p.needsImprovementVisibility ?? 'public') === 'public' ? (r.awards?.needsImprovement ?? []).map(apiAward) : [],
    },
    categories: (r.categories ?? []).map((c: any) => ({
      key: c.key,
      groups: c.groups.map((g: any) => ({ group: g.group, ranked: g.ranked, winners: g.winners })),
      entries: c.entries.map((e: any) => ({ institutionId: String(e.institution), code: e.code, group: e.group, score: e.score, scoreExact: e.scoreExact, grade: e.grade, rank: e.rank, place: e.place })),
      winners: c.winners.map((w: any) => ({ institutionId: String(w.institution), code: w.code, group: w.group, place: w.place, score: w.score, scoreExact: w.scoreExact, grade: w.grade })),
    })),
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
  const columns = [
    'rank', 'rankInType', 'code', 'name_sw', 'name_en', 'type', 'region', 'score', 'scoreExact', 'grade', 'completed',
    'resolutionNumber', 'resolutionId', 'weight', 'status', 'percent', 'points', 'counted', 'verifiedAt',
  ];
  const rows: unknown[][] = [];
  for (const e of r.entries as any[]) {
    for (const b of e.breakdown) {
      rows.push([
        e.rank, e.rankInType, e.code, e.name?.sw ?? '', e.name?.en ?? '', e.type, e.region, e.score.toFixed(2), e.scoreExact, e.grade, e.completed,
        b.number, String(b.resolution), b.weight, b.status, b.percent ?? '', b.points ?? '', b.counted ? 'true' : 'false', iso(b.verifiedAt) ?? '',
      ]);
    }
  }
  return writeCsv(columns, rows);
}
/* eslint-enable @typescript-eslint/no-explicit-any */
