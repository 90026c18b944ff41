/**
 * Read-only access to published rankings for other features (public pages, scorecards, the
 * open-data API). Returns plain objects; drafts are never returned.
 */
import { Types } from 'mongoose';
import type { LocalizedText } from '../../domain/reference-data.js';
import type { Grade } from '../../domain/scoring.js';
import { RankingModel } from './ranking.model.js';

export interface PublishedRankingEntry {
  institutionId: string;
  code: string;
  name: LocalizedText;
  type: string;
  region: string;
  score: number;
  scoreExact: string;
  rank: number;
  rankInType: number;
  grade: Grade;
  completed: number;
  nothingReported: boolean;
}

export interface PublishedAward {
  institutionId: string;
  code: string;
  type: string;
  score: number;
  grade: Grade | null;
  rankInType: number | null;
  gain: number | null;
  previousScore: number | null;
  nothingReported: boolean;
}

export interface PublishedRanking {
  id: string;
  meetingId: string;
  version: number;
  publishedAt: Date;
  cutoff: Date;
  entries: PublishedRankingEntry[];
  awards: { winners: PublishedAward[]; mostImproved: PublishedAward[]; needsImprovement: PublishedAward[] };
}

export interface PublishedRankingSummary {
  id: string;
  meetingId: string;
  version: number;
  publishedAt: Date;
  cutoff: Date;
  /** Only when listing for one institution: its position in that version (null if not ranked). */
  entry?: PublishedRankingEntry | null;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- lean documents are mapped field by field */
/** One institution's published result, from a ranking's lean entry sub-document (also the open-data JSON's base fields). */
export function toEntry(e: any): PublishedRankingEntry {
  return {
    institutionId: String(e.institution),
    code: e.code,
    name: { sw: e.name?.sw ?? '', ...(e.name?.en ? { en: e.name.en } : {}) },
    type: e.type,
    region: e.region,
    score: e.score,
    scoreExact: e.scoreExact,
    rank: e.rank,
    rankInType: e.rankInType,
    grade: e.grade,
    completed: e.completed,
    nothingReported: e.nothingReported,
  };
}

function toAward(a: any): PublishedAward {
  return {
    institutionId: String(a.institution),
    code: a.code,
    type: a.type,
    score: a.score,
    grade: a.grade ?? null,
    rankInType: a.rankInType ?? null,
    gain: a.gain ?? null,
    previousScore: a.previousScore ?? null,
    nothingReported: Boolean(a.nothingReported),
  };
}

function toPublished(doc: any): PublishedRanking {
  return {
    id: String(doc._id),
    meetingId: String(doc.meeting),
    version: doc.version,
    publishedAt: doc.publishedAt,
    cutoff: doc.cutoff,
    entries: (doc.entries ?? []).map(toEntry),
    awards: {
      winners: (doc.awards?.winners ?? []).map(toAward),
      mostImproved: (doc.awards?.mostImproved ?? []).map(toAward),
      needsImprovement: (doc.awards?.needsImprovement ?? []).map(toAward),
    },
  };
}
/* eslint-enable @typescript-eslint/no-explicit-any */

const PUBLISHED_FIELDS = {
  meeting: 1,
  version: 1,
  publishedAt: 1,
  cutoff: 1,
  awards: 1,
  'entries.institution': 1,
  'entries.code': 1,
  'entries.name': 1,
  'entries.type': 1,
  'entries.region': 1,
  'entries.score': 1,
  'entries.scoreExact': 1,
  'entries.rank': 1,
  'entries.rankInType': 1,
  'entries.grade': 1,
  'entries.completed': 1,
  'entries.nothingReported': 1,
};

/** The newest published version of a meeting's ranking, or null (also for a malformed id). */
export async function getLatestPublishedRanking(meetingId: string): Promise<PublishedRanking | null> {
  if (!Types.ObjectId.isValid(meetingId)) return null;
  const doc = await RankingModel.findOne({ meeting: new Types.ObjectId(meetingId), status: 'published' })
    .sort({ version: -1 })
    .select(PUBLISHED_FIELDS)
    .lean();
  return doc ? toPublished(doc) : null;
}

/** The newest published ranking of any meeting (by publication time), or null. */
export async function getNewestPublishedRanking(): Promise<PublishedRanking | null> {
  const doc = await RankingModel.findOne({ status: 'published' })
    .sort({ publishedAt: -1 })
    .select(PUBLISHED_FIELDS)
    .lean();
  return doc ? toPublished(doc) : null;
}

/** One published version by id, or null (drafts, unknown and malformed ids). */
export async function getPublishedRanking(id: string): Promise<PublishedRanking | null> {
  if (!Types.ObjectId.isValid(id)) return null;
  const doc = await RankingModel.findOne({ _id: new Types.ObjectId(id), status: 'published' })
    .select(PUBLISHED_FIELDS)
    .lean();
  return doc ? toPublished(doc) : null;
}

/**
 * All published versions, oldest first. With `institutionId`, each summary carries that
 * institution's entry (for score trends on scorecards).
 */
export async function listPublishedRankings(options: { institutionId?: string; meetingId?: string } = {}): Promise<
  PublishedRankingSummary[]
> {
  const filter: Record<string, unknown> = { status: 'published' };
  if (options.meetingId !== undefined) {
    if (!Types.ObjectId.isValid(options.meetingId)) return [];
    filter.meeting = new Types.ObjectId(options.meetingId);
  }
  const select: Record<string, number> = { meeting: 1, version: 1, publishedAt: 1, cutoff: 1 };
  const instId = options.institutionId;
  if (instId !== undefined) {
    if (!Types.ObjectId.isValid(instId)) return [];
    Object.assign(select, PUBLISHED_FIELDS);
    delete select.awards;
  }
  const docs = await RankingModel.find(filter).sort({ publishedAt: 1, version: 1 }).select(select).lean();
  return docs.map((doc) => {
    const summary: PublishedRankingSummary = {
      id: String(doc._id),
      meetingId: String(doc.meeting),
      version: doc.version ?? 0,
      publishedAt: doc.publishedAt as Date,
      cutoff: doc.cutoff,
    };
    if (instId !== undefined) {
      const e = (doc.entries ?? []).find((x) => String(x.institution) === instId);
      summary.entry = e ? toEntry(e) : null;
    }
    return summary;
  });
}
