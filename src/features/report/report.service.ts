import type { Aggregates } from '../public/public-read.js';
import type { LocalizedText } from '../../domain/reference-data.js';
import { NotFoundError } from '../../errors.js';
import { loadMeeting, type MeetingLite } from '../public/public.data.js';
import { getLatestRanking, getMeetingSummary, namedAwards } from '../public/public.service.js';
import type { MeetingSummary, ResolutionSummary, StatusCounts } from '../public/public.stats.js';

/**
 * The implementation report (Taarifa ya Utekelezaji wa Maazimio) of a meeting as plain data;
 * the HTML page and the PDF are two renderings of this one model, so they always agree.
 */

export interface ReportAward {
  code: string;
  name: LocalizedText;
  type: string;
  score: number;
  grade: string | null;
  rankInType: number | null;
  gain: number | null;
  nothingReported: boolean;
}

export interface ReportRanking {
  id: string;
  version: number;
  publishedAt: Date;
  cutoff: Date;
  ranked: number;
  top: Array<{ rank: number; code: string; name: LocalizedText; type: string; region: string; score: number; grade: string }>;
  scores: number[];
  gradeCounts: Record<string, number>;
  winners: ReportAward[];
  mostImproved: ReportAward[];
  needsImprovement: ReportAward[];
}

export interface ReportModel {
  meeting: MeetingLite;
  generatedAt: Date;
  summary: MeetingSummary;
  figures: {
    resolutions: number;
    institutions: number;
    pairs: number;
    counts: StatusCounts;
    completion: number | null;
    fullyImplemented: number;
    overdue: number;
  };
  resolutions: Array<ResolutionSummary & { laggards: number }>;
  ranking: ReportRanking | null;
}

const TOP = 10;

export async function buildReport(aggregates: Aggregates, meetingId: string, now: Date): Promise<ReportModel> {
  const meeting = await loadMeeting(aggregates, meetingId);
  if (!meeting) throw new NotFoundError('report:meetingNotFound');
  const [summary, ranking] = await Promise.all([getMeetingSummary(aggregates, meeting.id, now), getLatestRanking(aggregates, meeting.id)]);
  const fullyImplemented = summary.resolutions.filter(
    (r) => r.applicable > 0 && r.counts.completed + r.counts.not_applicable === r.applicable,
  ).length;
  let reportRanking: ReportRanking | null = null;
  if (ranking) {
    const gradeCounts: Record<string, number> = { A: 0, B: 0, C: 0, D: 0 };
    for (const e of ranking.entries) gradeCounts[e.grade] = (gradeCounts[e.grade] ?? 0) + 1;
    reportRanking = {
      id: ranking.id,
      version: ranking.version,
      publishedAt: ranking.publishedAt,
      cutoff: ranking.cutoff,
      ranked: ranking.entries.length,
      top: [...ranking.entries]
        .sort((a, b) => a.rank - b.rank || a.code.localeCompare(b.code))
        .slice(0, TOP)
        .map((e) => ({ rank: e.rank, code: e.code, name: e.name, type: e.type, region: e.region, score: e.score, grade: e.grade })),
      scores: ranking.entries.map((e) => e.score),
      gradeCounts,
      winners: namedAwards(ranking, 'winners'),
      mostImproved: namedAwards(ranking, 'mostImproved'),
      needsImprovement: namedAwards(ranking, 'needsImprovement'),
    };
  }
  return {
    meeting,
    generatedAt: now,
    summary,
    figures: {
      resolutions: summary.resolutions.length,
      institutions: summary.institutions,
      pairs: summary.totals.applicable,
      counts: summary.totals.counts,
      completion: summary.totals.completion,
      fullyImplemented,
      overdue: summary.resolutions.filter((r) => r.overdue).length,
    },
    resolutions: summary.resolutions.map((r) => ({ ...r, laggards: r.counts.not_reported + r.counts.not_started })),
    ranking: reportRanking,
  };
}
