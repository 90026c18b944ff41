import { trusted, type Types } from 'mongoose';
import { eatToday } from '../../domain/calendar-date.js';
import { duplicateKeyAsFieldError } from '../../db/duplicate-key.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Actor } from '../../domain/actor.js';
import { toIsoDate } from '../csv/fields.js';
import { ResolutionModel, type Resolution } from '../resolutions/resolution.model.js';
import { MeetingModel, type Meeting } from './meeting.model.js';
import type { MeetingEditForm, MeetingForm } from './meetings.validation.js';
import { assertRole } from '../access.js';

/** The fields an audit entry records for a meeting. */
export function meetingSummary(m: Pick<Meeting, 'number' | 'title' | 'theme' | 'venue' | 'startDate' | 'endDate' | 'reportingOpens' | 'reportingCloses' | 'status'>): Record<string, unknown> {
  return {
    number: m.number,
    title: { sw: m.title?.sw, en: m.title?.en ?? '' },
    theme: { sw: m.theme?.sw, en: m.theme?.en ?? '' },
    venue: m.venue,
    startDate: toIsoDate(m.startDate),
    endDate: toIsoDate(m.endDate),
    reportingOpens: toIsoDate(m.reportingOpens),
    reportingCloses: toIsoDate(m.reportingCloses),
    status: m.status,
  };
}

function toDoc(input: MeetingForm) {
  return {
    number: input.number,
    title: { sw: input.titleSw, en: input.titleEn },
    theme: { sw: input.themeSw, en: input.themeEn },
    venue: input.venue,
    startDate: input.startDate,
    endDate: input.endDate,
    reportingOpens: input.reportingOpens,
    reportingCloses: input.reportingCloses,
    status: input.status,
  };
}

export interface MeetingWithCount extends Meeting {
  resolutionCount: number;
}

/** All meetings, newest first, with the number of resolutions each has. */
export async function listMeetings(): Promise<MeetingWithCount[]> {
  const meetings = await MeetingModel.find().sort({ number: -1 }).lean<Meeting[]>();
  const counts = await ResolutionModel.aggregate<{ _id: unknown; n: number }>([{ $group: { _id: '$meeting', n: { $sum: 1 } } }]);
  const byMeeting = new Map(counts.map((c) => [String(c._id), c.n]));
  return meetings.map((m) => ({ ...m, resolutionCount: byMeeting.get(String(m._id)) ?? 0 }));
}

/** Meetings as options for selects (newest first). */
export async function meetingOptions(): Promise<Array<Pick<Meeting, '_id' | 'number' | 'title' | 'status'>>> {
  return MeetingModel.find({}, { number: 1, title: 1, status: 1 }).sort({ number: -1 }).lean();
}

/** One meeting or a 404. */
export async function getMeeting(id: Types.ObjectId): Promise<Meeting> {
  const meeting = await MeetingModel.findById(id).lean<Meeting>();
  if (!meeting) throw new NotFoundError('meetings:errors.notFound');
  return meeting;
}

/** The resolutions of a meeting, by number. */
export async function meetingResolutions(meetingId: string, options: { activeOnly?: boolean } = {}): Promise<Resolution[]> {
  const filter: Record<string, unknown> = { meeting: meetingId };
  if (options.activeOnly) filter.active = true;
  return ResolutionModel.find(filter).sort({ number: 1 }).lean<Resolution[]>();
}

/**
 * The meeting the public home page shows: the highest-numbered meeting that is held or
 * planned; if every meeting is closed, the highest-numbered one; null when there is none.
 */
export async function getCurrentMeeting(): Promise<Meeting | null> {
  const current = await MeetingModel.findOne({ status: trusted({ $in: ['held', 'planned'] }) }).sort({ number: -1 }).lean<Meeting>();
  if (current) return current;
  return MeetingModel.findOne().sort({ number: -1 }).lean<Meeting>();
}

async function checkNumberFree(number: number, selfId: string | null): Promise<void> {
  const existing = await MeetingModel.findOne({ number }, { _id: 1 }).lean<{ _id: unknown }>();
  if (existing && String(existing._id) !== selfId) throw new ValidationError({ number: 'meetings:errors.numberTaken' });
}

/**
 * A meeting whose first day is still ahead (in Dar es Salaam) has not been held: it can only be
 * "planned". Needs the clock, so it runs here and not in the zod schema.
 */
function checkStatusFitsDates(input: Pick<MeetingForm, 'status' | 'startDate'>, now: Date): void {
  if (input.status !== 'planned' && input.startDate > eatToday(now)) {
    throw new ValidationError({ status: 'meetings:errors.notYetHeld' });
  }
}

/** Creates a meeting; its number must be free. */
export async function createMeeting(input: MeetingForm, actor: Actor, now: Date): Promise<Meeting> {
  assertRole(actor, 'admin');
  checkStatusFitsDates(input, now);
  await checkNumberFree(input.number, null);
  const created = await duplicateKeyAsFieldError({ number: 'meetings:errors.numberTaken' }, () => MeetingModel.create(toDoc(input)));
  const after = created.toObject() as Meeting;
  await recordAudit({ actor, action: 'meeting.create', entity: 'Meeting', entityId: String(created._id), before: null, after: meetingSummary(after), summary: `meeting ${after.number}` });
  return after;
}

/** Updates a meeting if `input.revision` is current; otherwise ConflictError. */
export async function updateMeeting(id: Types.ObjectId, input: MeetingEditForm, actor: Actor, now: Date): Promise<Meeting> {
  assertRole(actor, 'admin');
  checkStatusFitsDates(input, now);
  const before = await getMeeting(id);
  await checkNumberFree(input.number, String(id));
  const updated = await duplicateKeyAsFieldError({ number: 'meetings:errors.numberTaken' }, () =>
    MeetingModel.findOneAndUpdate(
      { _id: id, revision: input.revision },
      { $set: toDoc(input), $inc: { revision: 1 } },
      { returnDocument: 'after', runValidators: true },
    ).lean<Meeting>(),
  );
  if (!updated) throw new ConflictError('meetings:errors.conflict');
  await recordAudit({ actor, action: 'meeting.update', entity: 'Meeting', entityId: id, before: meetingSummary(before), after: meetingSummary(updated), summary: `meeting ${updated.number}` });
  return updated;
}
