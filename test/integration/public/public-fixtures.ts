/**
 * Builders for the public pages' tests: verified/claimed progress rows (the ProgressItem with
 * its immutable ProgressReport versions) and published rankings.
 */
import { Types } from 'mongoose';
import type { ProgressStatus } from '../../../src/domain/reference-data.js';
import type { InstitutionDocument } from '../../../src/features/institutions/institution.model.js';
import type { ResolutionDocument } from '../../../src/features/resolutions/resolution.model.js';
import type { MeetingDocument } from '../../../src/features/meetings/meeting.model.js';
import { ProgressItemModel, ProgressReportModel } from '../../../src/features/progress/progress.model.js';
import { RankingModel } from '../../../src/features/rankings/ranking.model.js';

const reviewer = new Types.ObjectId();

export interface ValueSpec {
  status: ProgressStatus;
  percent: number;
  at: Date;
}

/**
 * Writes a row with optional claim and a list of verified versions (oldest first); the row's
 * current verified value is the last one.
 */
export async function progressRow(
  institution: InstitutionDocument,
  resolution: ResolutionDocument,
  spec: { claimed?: ValueSpec; verified?: ValueSpec[] },
): Promise<void> {
  const item = new Types.ObjectId();
  let version = 0;
  const reports = [];
  let claimed = null;
  if (spec.claimed) {
    version += 1;
    claimed = { ...spec.claimed, by: reviewer, version };
    reports.push({ kind: 'claim', ...spec.claimed, version });
  }
  let verified = null;
  for (const v of spec.verified ?? []) {
    version += 1;
    verified = { ...v, by: reviewer, version };
    reports.push({ kind: 'verification', ...v, version });
  }
  await ProgressItemModel.create({
    _id: item,
    institution: institution._id,
    resolution: resolution._id,
    meeting: resolution.meeting,
    state: verified ? 'verified' : claimed ? 'submitted' : 'no_report',
    claimed,
    verified,
    lastVersion: version,
  });
  if (reports.length > 0) {
    await ProgressReportModel.insertMany(
      reports.map((r) => ({
        item,
        institution: institution._id,
        resolution: resolution._id,
        meeting: resolution.meeting,
        version: r.version,
        kind: r.kind,
        status: r.status,
        percent: r.percent,
        by: reviewer,
        at: r.at,
      })),
    );
  }
}

export interface EntrySpec {
  institution: InstitutionDocument;
  score: number;
  rank: number;
  rankInType?: number;
  grade: 'A' | 'B' | 'C' | 'D';
  completed?: number;
}

/** A published ranking version of a meeting with the given entries; the first `winners` entries win. */
export async function publishedRanking(
  meeting: MeetingDocument,
  options: { version?: number; publishedAt?: Date; entries: EntrySpec[]; winners?: number; needsImprovement?: EntrySpec[] },
) {
  const publishedAt = options.publishedAt ?? new Date();
  const entry = (e: EntrySpec) => ({
    institution: e.institution._id,
    code: e.institution.code,
    name: e.institution.name,
    type: e.institution.type,
    region: e.institution.region,
    scoreExact: String(e.score),
    score: e.score,
    rank: e.rank,
    rankInType: e.rankInType ?? e.rank,
    grade: e.grade,
    completed: e.completed ?? 0,
    reported: 1,
    notReported: 0,
    notApplicable: 0,
    weightTotal: 1,
    latestVerifiedAt: publishedAt,
    nothingReported: false,
    breakdown: [],
  });
  const award = (e: EntrySpec) => ({
    institution: e.institution._id,
    code: e.institution.code,
    type: e.institution.type,
    score: e.score,
    grade: e.grade,
    rankInType: e.rankInType ?? e.rank,
  });
  return RankingModel.create({
    meeting: meeting._id,
    version: options.version ?? 1,
    status: 'published',
    cutoff: publishedAt,
    parameters: { gradeBands: { A: 75, B: 50, C: 25 }, awards: { winnersPerPeerGroup: 3 } },
    entries: options.entries.map(entry),
    awards: {
      winners: options.entries.slice(0, options.winners ?? 1).map(award),
      mostImproved: [],
      needsImprovement: (options.needsImprovement ?? []).map(award),
    },
    computedAt: publishedAt,
    publishedAt,
  });
}

export const DAY = 24 * 3600 * 1000;
export const daysAgo = (n: number): Date => new Date(Date.now() - n * DAY);
