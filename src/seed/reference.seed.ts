import { Types } from 'mongoose';
import { INSTITUTION_TYPES } from '../domain/reference-data.js';
import { recordAudit } from '../features/audit/audit.service.js';
import { parseCalendarDate } from '../domain/calendar-date.js';
import { InstitutionModel } from '../features/institutions/institution.model.js';
import { MeetingModel } from '../features/meetings/meeting.model.js';
import { ResolutionModel } from '../features/resolutions/resolution.model.js';
import { SAMPLE_INSTITUTIONS } from './samples/institutions.data.js';
import { SAMPLE_MEETINGS, SAMPLE_RESOLUTIONS } from './samples/meetings.data.js';

export interface ReferenceSeedContext {
  /** The 4th session's reporting window closes 60 days after this moment. */
  now?: Date;
}

export interface ReferenceSeedResult {
  institutions: number;
  meetings: number;
  resolutions: number;
}

const DAY_MS = 24 * 3600 * 1000;
export const DEMO_WINDOW_DAYS = 60;

function date(iso: string): Date {
  const d = parseCalendarDate(iso);
  if (!d) throw new Error(`bad seed date ${iso}`);
  return d;
}

/**
 * Creates the demo reference data: the sample institutions, the 3rd and 4th e-Government
 * working sessions and their resolutions (sample wording). Idempotent: anything that already
 * exists (same institution code, meeting number, or meeting/resolution number) is left alone,
 * so running the seed twice does not fail or duplicate. Returns how many documents it created.
 */
export async function seedReferenceData(ctx: ReferenceSeedContext = {}): Promise<ReferenceSeedResult> {
  const now = ctx.now ?? new Date();
  const result: ReferenceSeedResult = { institutions: 0, meetings: 0, resolutions: 0 };

  const existingInstitutions = await InstitutionModel.find({}, { code: 1 }).lean<Array<{ _id: Types.ObjectId; code: string }>>();
  const idByCode = new Map(existingInstitutions.map((d) => [d.code, d._id]));
  const newInstitutions = SAMPLE_INSTITUTIONS.filter((s) => !idByCode.has(s.code));
  for (const s of newInstitutions) idByCode.set(s.code, new Types.ObjectId());
  if (newInstitutions.length > 0) {
    // Before the first sample meeting (February 2023).
    const memberSince = new Date(Date.UTC(2022, 0, 1));
    await InstitutionModel.insertMany(
      newInstitutions.map((s) => ({
        _id: idByCode.get(s.code),
        code: s.code,
        name: { sw: s.sw, en: s.en },
        acronym: s.acronym,
        type: s.type,
        region: s.region,
        parent: s.parent ? (idByCode.get(s.parent) ?? null) : null,
        active: true,
        searchText: [s.code, s.acronym, s.sw, s.en].join(' ').toLowerCase(),
        // The sample institutions were members before the sample meetings (a ranking leaves out
        // institutions registered after its cutoff).
        createdAt: memberSince,
      })),
      { ordered: true },
    );
    result.institutions = newInstitutions.length;
  }

  const meetingIdByNumber = new Map<number, Types.ObjectId>();
  for (const m of SAMPLE_MEETINGS) {
    const existing = await MeetingModel.findOne({ number: m.number }, { _id: 1 }).lean<{ _id: Types.ObjectId }>();
    if (existing) {
      meetingIdByNumber.set(m.number, existing._id);
      continue;
    }
    const closes = m.reportingCloses ? date(m.reportingCloses) : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) + DEMO_WINDOW_DAYS * DAY_MS);
    const created = await MeetingModel.create({
      number: m.number,
      title: m.title,
      theme: m.theme,
      venue: m.venue,
      startDate: date(m.startDate),
      endDate: date(m.endDate),
      reportingOpens: date(m.reportingOpens),
      reportingCloses: closes,
      status: m.status,
    });
    meetingIdByNumber.set(m.number, created._id);
    result.meetings += 1;
  }

  const resolutionIdByRef = new Map<string, Types.ObjectId>();
  for (const r of SAMPLE_RESOLUTIONS) {
    const meeting = meetingIdByNumber.get(r.meeting) as Types.ObjectId;
    const existing = await ResolutionModel.findOne({ meeting, number: r.number }, { _id: 1 }).lean<{ _id: Types.ObjectId }>();
    if (existing) {
      resolutionIdByRef.set(`${r.meeting}/${r.number}`, existing._id);
      continue;
    }
    const created = await ResolutionModel.create({
      meeting,
      number: r.number,
      title: r.title,
      text: r.text,
      category: r.category,
      dueDate: date(r.dueDate),
      weight: r.weight,
      appliesTo: r.appliesTo ?? [...INSTITUTION_TYPES],
      active: true,
      carriedOverFrom: r.carriedOverFrom ? (resolutionIdByRef.get(r.carriedOverFrom) ?? null) : null,
      sampleWording: true,
    });
    resolutionIdByRef.set(`${r.meeting}/${r.number}`, created._id);
    result.resolutions += 1;
  }

  if (result.institutions + result.meetings + result.resolutions > 0) {
    await recordAudit({
      actor: null,
      actorKind: 'system',
      action: 'seed.reference',
      entity: 'Seed',
      summary: `demo data: ${result.institutions} institutions, ${result.meetings} meetings, ${result.resolutions} resolutions`,
      after: { ...result },
    });
  }
  return result;
}
