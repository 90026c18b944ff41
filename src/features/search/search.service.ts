import type { Aggregates } from '../public/public-read.js';
import type { InstitutionType, LocalizedText } from '../../domain/reference-data.js';
import { InstitutionModel } from '../institutions/institution.model.js';
import { ResolutionModel } from '../resolutions/resolution.model.js';
import { loadMeetings } from '../public/public.data.js';
import type { Types } from 'mongoose';
import { escapeRegex } from '../../domain/escape-regex.js';

/** Longest query accepted (longer input is a 400). */
export const MAX_QUERY_LENGTH = 200;
const LIMIT = 50;


/** A case-insensitive, literal-substring RegExp for the user's text. */
export function literalPattern(text: string): RegExp {
  return new RegExp(escapeRegex(text), 'i');
}

export interface InstitutionHit {
  code: string;
  name: LocalizedText;
  acronym: string;
  type: InstitutionType;
  region: string;
}

export interface ResolutionHit {
  id: string;
  number: number;
  title: LocalizedText;
  meetingId: string;
  meetingNumber: number | null;
}

export interface SearchResults {
  query: string;
  institutions: InstitutionHit[];
  institutionTotal: number;
  resolutions: ResolutionHit[];
  resolutionTotal: number;
}

/**
 * Searches active institutions (code, acronym, names in both languages) and active resolutions
 * (titles and texts in both languages). The text is matched literally through an escaped,
 * case-insensitive RegExp object; user input never becomes an operator or a pattern.
 */
export async function search(aggregates: Aggregates, rawQuery: string): Promise<SearchResults> {
  const query = rawQuery.trim();
  if (query === '') return { query, institutions: [], institutionTotal: 0, resolutions: [], resolutionTotal: 0 };
  const rx = literalPattern(query);
  const institutionFilter = {
    active: true,
    $or: [{ code: rx }, { acronym: rx }, { 'name.sw': rx }, { 'name.en': rx }, { searchText: rx }],
  };
  const resolutionFilter = {
    active: true,
    $or: [{ 'title.sw': rx }, { 'title.en': rx }, { 'text.sw': rx }, { 'text.en': rx }, { searchText: rx }],
  };
  const [institutions, institutionTotal, resolutions, resolutionTotal, meetings] = await Promise.all([
    InstitutionModel.find(institutionFilter).select({ code: 1, name: 1, acronym: 1, type: 1, region: 1 }).sort({ code: 1 }).limit(LIMIT).lean(),
    InstitutionModel.countDocuments(institutionFilter),
    ResolutionModel.find(resolutionFilter).select({ number: 1, title: 1, meeting: 1 }).sort({ meeting: 1, number: 1 }).limit(LIMIT).lean(),
    ResolutionModel.countDocuments(resolutionFilter),
    loadMeetings(aggregates),
  ]);
  const meetingNumber = new Map(meetings.map((m) => [m.id, m.number]));
  return {
    query,
    institutions: institutions.map((i) => ({
      code: i.code,
      name: { sw: i.name.sw, en: i.name.en ?? '' },
      acronym: i.acronym ?? '',
      type: i.type as InstitutionType,
      region: i.region,
    })),
    institutionTotal,
    resolutions: resolutions
      .map((r) => ({
        id: String(r._id),
        number: r.number,
        title: { sw: r.title.sw, en: r.title.en ?? '' },
        meetingId: String(r.meeting as Types.ObjectId),
        meetingNumber: meetingNumber.get(String(r.meeting)) ?? null,
      }))
      .sort((a, b) => (b.meetingNumber ?? 0) - (a.meetingNumber ?? 0) || a.number - b.number),
    resolutionTotal,
  };
}
