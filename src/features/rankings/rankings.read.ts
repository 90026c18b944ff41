/**
 * Reads of rankings for the rankings pages (admin, public) and the open-data API. Entries come
 * back with their breakdown lines as `breakdown` objects unless the function says otherwise.
 * Drafts are only returned to staff (getRanking, getRankingOverview, getRankingEntry without publishedOnly).
 */
import { Types } from 'mongoose';
import { NotFoundError } from '../../errors.js';
import { RankingModel, type Ranking } from './ranking.model.js';
import { expandEntries } from '../../db/ranking-lines.codec.js';
import { rankingId } from './ranking-access.js';

export async function getRanking(id: string): Promise<Ranking> {
  const doc = await RankingModel.findById(rankingId(id)).lean();
  if (!doc) throw new NotFoundError('rankings:notFound');
  return expandEntries(doc) as Ranking;
}

/**
 * A ranking (draft or published) without the breakdown lines and the version difference: what
 * the admin page shows (the table, awards, objections, parameters). 404 like getRanking.
 */
export async function getRankingOverview(id: string): Promise<Ranking> {
  const doc = await RankingModel.findById(rankingId(id)).select({ 'entries.breakdown': 0, 'entries.lines': 0, diff: 0 }).lean();
  if (!doc) throw new NotFoundError('rankings:notFound');
  return doc as Ranking;
}

/** A published ranking, or 404 (drafts are never public). */
export async function getPublished(id: string): Promise<Ranking> {
  const doc = await RankingModel.findOne({ _id: rankingId(id), status: 'published' }).lean();
  if (!doc) throw new NotFoundError('rankings:notFound');
  return expandEntries(doc) as Ranking;
}

/**
 * A published ranking without the per-institution breakdown lines (20,000 at 1,000 institutions ×
 * 20 resolutions): everything the public ranking page shows. 404 like getPublished.
 */
export async function getPublishedSummary(id: string): Promise<Ranking> {
  const doc = await RankingModel.findOne({ _id: rankingId(id), status: 'published' })
    .select({ 'entries.breakdown': 0, 'entries.lines': 0 })
    .lean();
  if (!doc) throw new NotFoundError('rankings:notFound');
  return doc as Ranking;
}

/**
 * A ranking with only one institution's entry (by code), for its breakdown page: the other
 * entries and their lines are not read. `entries` is empty when the code is not ranked. With
 * `publishedOnly`, drafts are 404 (the public page).
 */
export async function getRankingEntry(id: string, code: string, options: { publishedOnly?: boolean } = {}): Promise<Ranking> {
  const filter = options.publishedOnly ? { _id: rankingId(id), status: 'published' as const } : { _id: rankingId(id) };
  const doc = await RankingModel.findOne(filter)
    .select({ entries: { $elemMatch: { code: code.trim().toUpperCase() } }, meeting: 1, version: 1, status: 1, cutoff: 1, publishedAt: 1, parameters: 1, objections: 1 })
    .lean();
  if (!doc) throw new NotFoundError('rankings:notFound');
  return expandEntries({ ...doc, entries: doc.entries ?? [] }) as Ranking;
}

/** The published versions of one meeting (id, version, publication time), oldest first. */
export async function listPublishedVersions(meeting: Types.ObjectId): Promise<Pick<Ranking, '_id' | 'version' | 'publishedAt'>[]> {
  return RankingModel.find({ meeting, status: 'published' })
    .select({ version: 1, publishedAt: 1 })
    .sort({ version: 1 })
    .lean() as Promise<Pick<Ranking, '_id' | 'version' | 'publishedAt'>[]>;
}

/** Every ranking (drafts and published), newest first, without the per-institution tables. */
export async function listRankings(): Promise<Ranking[]> {
  return RankingModel.find()
    .select({ entries: 0, unranked: 0, diff: 0 })
    .sort({ createdAt: -1 })
    .lean() as Promise<Ranking[]>;
}

/** Published rankings, newest first: list fields, awards and the entry codes (to count them). */
export async function listPublished(): Promise<Ranking[]> {
  return RankingModel.find({ status: 'published' })
    .select({ meeting: 1, version: 1, cutoff: 1, publishedAt: 1, publishedByName: 1, note: 1, awards: 1, 'entries.code': 1 })
    .sort({ publishedAt: -1, version: -1 })
    .lean() as Promise<Ranking[]>;
}
