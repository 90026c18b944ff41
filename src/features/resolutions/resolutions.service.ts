import { Types, trusted } from 'mongoose';
import { duplicateKeyAsFieldError, isDuplicateKey } from '../../db/duplicate-key.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Actor } from '../../domain/actor.js';
import { toIsoDate } from '../csv/fields.js';
import { escapeRegex } from '../../domain/escape-regex.js';
import { MeetingModel, type Meeting } from '../meetings/meeting.model.js';
import { ResolutionModel, type Resolution } from './resolution.model.js';
import type { ResolutionBulkChange, ResolutionEditForm, ResolutionForm, ResolutionListQuery } from './resolutions.validation.js';
import { assertRole } from '../access.js';

export const RESOLUTION_PAGE_SIZE = 25;

/** The fields an audit entry records for a resolution. */
export function resolutionSummary(r: Pick<Resolution, 'meeting' | 'number' | 'title' | 'category' | 'dueDate' | 'weight' | 'appliesTo' | 'active' | 'carriedOverFrom'>): Record<string, unknown> {
  return {
    meeting: String(r.meeting),
    number: r.number,
    title: { sw: r.title?.sw, en: r.title?.en ?? '' },
    category: r.category,
    dueDate: toIsoDate(r.dueDate),
    weight: r.weight,
    appliesTo: [...(r.appliesTo ?? [])],
    active: r.active,
    carriedOverFrom: r.carriedOverFrom ? String(r.carriedOverFrom) : null,
  };
}

function toDoc(input: ResolutionForm) {
  return {
    meeting: new Types.ObjectId(input.meeting),
    number: input.number,
    title: { sw: input.titleSw, en: input.titleEn },
    text: { sw: input.textSw, en: input.textEn },
    category: input.category,
    dueDate: input.dueDate,
    weight: input.weight,
    appliesTo: input.appliesTo,
    active: input.active,
  };
}

export type ResolutionListItem = Omit<Resolution, 'meeting'> & { meeting: Pick<Meeting, '_id' | 'number' | 'title'> };

export interface ResolutionPage {
  items: ResolutionListItem[];
  total: number;
  page: number;
  pageCount: number;
}

/**
 * One page of resolutions, newest meeting first, then by number. Meetings are few, so the page
 * is assembled meeting by meeting (counts first, then only the slices the page needs).
 */
export async function listResolutions(query: ResolutionListQuery): Promise<ResolutionPage> {
  const filter: Record<string, unknown> = {};
  if (query.category) filter.category = query.category;
  if (query.active) filter.active = query.active === 'true';
  const q = query.q?.trim().toLowerCase();
  if (q) filter.searchText = new RegExp(escapeRegex(q));
  const meetingFilter = query.meeting ? { _id: new Types.ObjectId(query.meeting) } : {};
  const meetings = await MeetingModel.find(meetingFilter, { number: 1, title: 1 }).sort({ number: -1 }).lean<Array<Pick<Meeting, '_id' | 'number' | 'title'>>>();
  const counts = await Promise.all(meetings.map((m) => ResolutionModel.countDocuments({ ...filter, meeting: m._id })));
  const total = counts.reduce((a, b) => a + b, 0);
  const pageCount = Math.max(1, Math.ceil(total / RESOLUTION_PAGE_SIZE));
  const page = Math.min(query.page ?? 1, pageCount);
  let skip = (page - 1) * RESOLUTION_PAGE_SIZE;
  let remaining = RESOLUTION_PAGE_SIZE;
  const items: ResolutionListItem[] = [];
  for (let i = 0; i < meetings.length && remaining > 0; i += 1) {
    const count = counts[i] ?? 0;
    if (skip >= count) {
      skip -= count;
      continue;
    }
    const meeting = meetings[i] as Pick<Meeting, '_id' | 'number' | 'title'>;
    const slice = await ResolutionModel.find({ ...filter, meeting: meeting._id }).sort({ number: 1 }).skip(skip).limit(remaining).lean<Resolution[]>();
    items.push(...slice.map((r) => ({ ...r, meeting })));
    remaining -= slice.length;
    skip = 0;
  }
  return { items, total, page, pageCount };
}

export interface ResolutionDetail extends Resolution {
  meetingDoc: Meeting;
  origin: (Resolution & { meetingDoc: Meeting | null }) | null;
  copies: Array<Resolution & { meetingDoc: Meeting | null }>;
}

/** One resolution with its meeting, the resolution it was carried over from and its copies. */
export async function getResolution(id: Types.ObjectId): Promise<ResolutionDetail> {
  const r = await ResolutionModel.findById(id).lean<Resolution>();
  if (!r) throw new NotFoundError('resolutions:errors.notFound');
  const meetingDoc = await MeetingModel.findById(r.meeting).lean<Meeting>();
  if (!meetingDoc) throw new NotFoundError('meetings:errors.notFound');
  let origin: ResolutionDetail['origin'] = null;
  if (r.carriedOverFrom) {
    const o = await ResolutionModel.findById(r.carriedOverFrom).lean<Resolution>();
    if (o) origin = { ...o, meetingDoc: await MeetingModel.findById(o.meeting).lean<Meeting>() };
  }
  const copyDocs = await ResolutionModel.find({ carriedOverFrom: r._id }).lean<Resolution[]>();
  const copies = await Promise.all(copyDocs.map(async (c) => ({ ...c, meetingDoc: await MeetingModel.findById(c.meeting).lean<Meeting>() })));
  return { ...r, meetingDoc, origin, copies };
}

/** The next free resolution number in a meeting (1 for an empty meeting). */
export async function nextResolutionNumber(meetingId: string | Types.ObjectId): Promise<number> {
  const last = await ResolutionModel.findOne({ meeting: meetingId }, { number: 1 }).sort({ number: -1 }).lean<{ number: number }>();
  return (last?.number ?? 0) + 1;
}

async function checkMeetingAndNumber(meetingId: string, number: number, selfId: string | null): Promise<void> {
  if (!(await MeetingModel.exists({ _id: meetingId }))) throw new ValidationError({ meeting: 'resolutions:errors.meetingMissing' });
  const existing = await ResolutionModel.findOne({ meeting: meetingId, number }, { _id: 1 }).lean<{ _id: unknown }>();
  if (existing && String(existing._id) !== selfId) throw new ValidationError({ number: 'resolutions:errors.numberTaken' });
}

/** Creates a resolution; its number must be free within its meeting. */
export async function createResolution(input: ResolutionForm, actor: Actor): Promise<Resolution> {
  assertRole(actor, 'admin');
  await checkMeetingAndNumber(input.meeting, input.number, null);
  const created = await duplicateKeyAsFieldError({ number: 'resolutions:errors.numberTaken' }, () => ResolutionModel.create(toDoc(input)));
  const after = created.toObject() as Resolution;
  await recordAudit({ actor, action: 'resolution.create', entity: 'Resolution', entityId: String(created._id), before: null, after: resolutionSummary(after), summary: `resolution ${after.number}: ${after.title.sw}` });
  return after;
}

/** Updates a resolution if `input.revision` is current; otherwise ConflictError. */
export async function updateResolution(id: Types.ObjectId, input: ResolutionEditForm, actor: Actor): Promise<Resolution> {
  assertRole(actor, 'admin');
  const before = await ResolutionModel.findById(id).lean<Resolution>();
  if (!before) throw new NotFoundError('resolutions:errors.notFound');
  await checkMeetingAndNumber(input.meeting, input.number, String(id));
  const doc = toDoc(input);
  const searchText = [doc.title.sw, doc.title.en, doc.text.sw, doc.text.en].filter(Boolean).join(' ').toLowerCase();
  const updated = await duplicateKeyAsFieldError({ number: 'resolutions:errors.numberTaken' }, () =>
    ResolutionModel.findOneAndUpdate(
      { _id: id, revision: input.revision },
      { $set: { ...doc, searchText }, $inc: { revision: 1 } },
      { returnDocument: 'after', runValidators: true },
    ).lean<Resolution>(),
  );
  if (!updated) throw new ConflictError('resolutions:errors.conflict');
  await recordAudit({ actor, action: 'resolution.update', entity: 'Resolution', entityId: id, before: resolutionSummary(before), after: resolutionSummary(updated), summary: `resolution ${updated.number}: ${updated.title.sw}` });
  return updated;
}

/**
 * Copies a resolution into a later meeting with `carriedOverFrom` pointing at the original.
 * The copy takes the next free number there. A resolution is carried into a given meeting once.
 */
export async function carryOverResolution(id: Types.ObjectId, targetMeetingId: string, actor: Actor): Promise<Resolution> {
  assertRole(actor, 'admin');
  const source = await ResolutionModel.findById(id).lean<Resolution>();
  if (!source) throw new NotFoundError('resolutions:errors.notFound');
  const [sourceMeeting, target] = await Promise.all([
    MeetingModel.findById(source.meeting).lean<Meeting>(),
    MeetingModel.findById(targetMeetingId).lean<Meeting>(),
  ]);
  if (!target) throw new ValidationError({ targetMeeting: 'resolutions:errors.meetingMissing' });
  if (!sourceMeeting || target.number <= sourceMeeting.number) {
    throw new ValidationError({ targetMeeting: 'resolutions:errors.carryOverLater' });
  }
  if (await ResolutionModel.exists({ carriedOverFrom: source._id, meeting: target._id })) {
    throw new ValidationError({ targetMeeting: 'resolutions:errors.alreadyCarried' });
  }
  // Two admins carrying over at once may race for the same number; retry with the next one.
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const number = await nextResolutionNumber(target._id);
    try {
      const copy = await ResolutionModel.create({
        meeting: target._id,
        number,
        title: source.title,
        text: source.text,
        category: source.category,
        dueDate: source.dueDate,
        weight: source.weight,
        appliesTo: source.appliesTo,
        active: true,
        carriedOverFrom: source._id,
        sampleWording: source.sampleWording,
      });
      const after = copy.toObject() as Resolution;
      await recordAudit({ actor, action: 'resolution.carryOver', entity: 'Resolution', entityId: String(copy._id), before: { from: String(source._id), meeting: sourceMeeting.number, number: source.number }, after: resolutionSummary(after), summary: `resolution ${sourceMeeting.number}/${source.number} -> ${target.number}/${number}` });
      return after;
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }
  throw new ConflictError('resolutions:errors.conflict');
}

/** Changes one field on several resolutions at once after checking every id exists. */
export async function bulkUpdateResolutions(change: ResolutionBulkChange, actor: Actor): Promise<number> {
  assertRole(actor, 'admin');
  const ids = [...new Set(change.ids)];
  const found = await ResolutionModel.find({ _id: trusted({ $in: ids }) }, { number: 1, meeting: 1, [change.field]: 1 }).lean<Resolution[]>();
  if (found.length !== ids.length) throw new ValidationError({ ids: 'resolutions:errors.bulkMissing' });
  const result = await ResolutionModel.updateMany({ _id: trusted({ $in: ids }) }, { $set: { [change.field]: change.value }, $inc: { revision: 1 } });
  const show = (v: unknown): unknown => (v instanceof Date ? toIsoDate(v) : v);
  await recordAudit({ actor, action: 'resolution.bulkUpdate', entity: 'Resolution', entityId: null, before: { field: change.field, values: found.map((d) => ({ id: String(d._id), value: show((d as Record<string, unknown>)[change.field]) })) }, after: { field: change.field, value: show(change.value), ids }, summary: `${found.length} resolutions: ${change.field}` });
  return result.modifiedCount ?? ids.length;
}
