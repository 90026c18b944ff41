import { z } from 'zod';
import { Types } from 'mongoose';
import { INSTITUTION_TYPES, RESOLUTION_CATEGORIES } from '../../../domain/reference-data.js';
import { MeetingModel } from '../../meetings/meeting.model.js';
import { ResolutionModel, type Resolution } from '../../resolutions/resolution.model.js';
import { recordAudit } from '../../audit/audit.service.js';
import { insertAllOrNothing, type CsvFormat, type CsvMessage } from '../csv.engine.js';
import { booleanField, dateField, enumField, enumListField, numberField, optionalText, requiredText, toIsoDate } from '../fields.js';

export const RESOLUTION_COLUMNS = [
  'meeting_number',
  'number',
  'title_sw',
  'title_en',
  'text_sw',
  'text_en',
  'category',
  'due_date',
  'weight',
  'applies_to',
  'active',
  'carried_over_from',
  'sample_wording',
] as const;

/** "3/2" = resolution 2 of meeting 3. */
const REFERENCE = /^(\d+)\s*\/\s*(\d+)$/;

const resolutionRowSchema = z.object({
  meeting_number: numberField({ integer: true, positive: true }),
  number: numberField({ integer: true, positive: true }),
  title_sw: requiredText(300),
  title_en: optionalText(300),
  text_sw: requiredText(10000),
  text_en: optionalText(10000),
  category: enumField(RESOLUTION_CATEGORIES),
  due_date: dateField(),
  weight: numberField({ positive: true, defaultValue: 1 }),
  applies_to: enumListField(INSTITUTION_TYPES).transform((list) => (list.length === 0 ? [...INSTITUTION_TYPES] : list)),
  active: booleanField(true),
  carried_over_from: z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : ''),
    z.string().refine((s) => s === '' || REFERENCE.test(s), { error: 'resolutions:errors.referenceFormat' }),
  ),
  sample_wording: booleanField(false),
});
type ResolutionRow = z.infer<typeof resolutionRowSchema>;

interface PreparedResolution {
  _id: Types.ObjectId;
  meeting: Types.ObjectId;
  number: number;
  title: { sw: string; en: string };
  text: { sw: string; en: string };
  category: string;
  dueDate: Date;
  weight: number;
  appliesTo: string[];
  active: boolean;
  carriedOverFrom: Types.ObjectId | null;
  sampleWording: boolean;
  searchText: string;
  revision: number;
}

const key = (meetingNumber: number, number: number): string => `${meetingNumber}/${number}`;

/** Resolutions: identified by "meeting number/resolution number"; the meeting must exist. */
export const resolutionsCsv: CsvFormat<ResolutionRow, PreparedResolution> = {
  name: 'resolutions',
  columns: RESOLUTION_COLUMNS,
  requiredColumns: ['meeting_number', 'number', 'title_sw', 'text_sw', 'category', 'due_date'],
  rowSchema: resolutionRowSchema,
  label: (raw) => `${(raw.meeting_number ?? '').trim()}/${(raw.number ?? '').trim()}`,

  async check(rows) {
    const meetings = await MeetingModel.find({}, { number: 1 }).lean<Array<{ _id: Types.ObjectId; number: number }>>();
    const meetingByNumber = new Map(meetings.map((m) => [m.number, m._id]));
    const numberByMeetingId = new Map(meetings.map((m) => [String(m._id), m.number]));
    const existing = await ResolutionModel.find({}, { meeting: 1, number: 1 }).lean<Array<{ _id: Types.ObjectId; meeting: Types.ObjectId; number: number }>>();
    const existingByKey = new Map(existing.map((r) => [key(numberByMeetingId.get(String(r.meeting)) ?? 0, r.number), r._id]));
    const messages: CsvMessage[][] = rows.map(() => []);
    const fileIds = new Map<string, Types.ObjectId>();
    const firstLine = new Map<string, number>();
    rows.forEach((row, i) => {
      if (!row) return;
      if (!meetingByNumber.has(row.meeting_number)) {
        messages[i].push({ key: 'csv:errors.unknownReference', params: { value: row.meeting_number }, column: 'meeting_number' });
      }
      const k = key(row.meeting_number, row.number);
      if (existingByKey.has(k)) messages[i].push({ key: 'resolutions:errors.numberTaken', column: 'number' });
      if (firstLine.has(k)) {
        messages[i].push({ key: 'csv:errors.duplicateInFile', params: { line: firstLine.get(k) }, column: 'number' });
      } else {
        firstLine.set(k, i + 2);
        fileIds.set(k, new Types.ObjectId());
      }
    });
    rows.forEach((row, i) => {
      if (!row || !row.carried_over_from) return;
      const m = REFERENCE.exec(row.carried_over_from) as RegExpExecArray;
      const fromMeeting = Number(m[1]);
      const ref = key(fromMeeting, Number(m[2]));
      if (fromMeeting >= row.meeting_number) {
        messages[i].push({ key: 'resolutions:errors.carryOverLater', column: 'carried_over_from' });
      } else if (!existingByKey.has(ref) && !fileIds.has(ref)) {
        messages[i].push({ key: 'csv:errors.unknownReference', params: { value: row.carried_over_from }, column: 'carried_over_from' });
      }
    });
    const prepared: PreparedResolution[] = [];
    rows.forEach((row, i) => {
      if (!row || messages[i].length > 0) return;
      const k = key(row.meeting_number, row.number);
      let carriedOverFrom: Types.ObjectId | null = null;
      if (row.carried_over_from) {
        const m = REFERENCE.exec(row.carried_over_from) as RegExpExecArray;
        const ref = key(Number(m[1]), Number(m[2]));
        carriedOverFrom = existingByKey.get(ref) ?? fileIds.get(ref) ?? null;
      }
      const title = { sw: row.title_sw, en: row.title_en };
      const text = { sw: row.text_sw, en: row.text_en };
      prepared.push({
        _id: fileIds.get(k) as Types.ObjectId,
        meeting: meetingByNumber.get(row.meeting_number) as Types.ObjectId,
        number: row.number,
        title,
        text,
        category: row.category,
        dueDate: row.due_date,
        weight: row.weight,
        appliesTo: row.applies_to,
        active: row.active,
        carriedOverFrom,
        sampleWording: row.sample_wording,
        searchText: [title.sw, title.en, text.sw, text.en].filter(Boolean).join(' ').toLowerCase(),
        revision: 0,
      });
    });
    return { messages, prepared };
  },

  async commit(prepared, actor) {
    const inserted = await insertAllOrNothing(ResolutionModel, prepared);
    const numbers = new Map((await MeetingModel.find({}, { number: 1 }).lean<Array<{ _id: Types.ObjectId; number: number }>>()).map((m) => [String(m._id), m.number]));
    const refs = prepared.map((p) => key(numbers.get(String(p.meeting)) ?? 0, p.number));
    await recordAudit({ actor, action: 'resolution.import', entity: 'Resolution', entityId: null, before: null, after: { count: inserted, resolutions: refs }, summary: `CSV import: ${inserted} resolutions` });
    return { inserted };
  },

  async exportRows() {
    const meetings = await MeetingModel.find({}, { number: 1 }).lean<Array<{ _id: Types.ObjectId; number: number }>>();
    const meetingNumber = new Map(meetings.map((m) => [String(m._id), m.number]));
    const docs = await ResolutionModel.find().lean<Resolution[]>();
    const refById = new Map(docs.map((d) => [String(d._id), key(meetingNumber.get(String(d.meeting)) ?? 0, d.number)]));
    docs.sort((a, b) => (meetingNumber.get(String(a.meeting)) ?? 0) - (meetingNumber.get(String(b.meeting)) ?? 0) || a.number - b.number);
    return docs.map((d) => ({
      meeting_number: String(meetingNumber.get(String(d.meeting)) ?? ''),
      number: String(d.number),
      title_sw: d.title.sw,
      title_en: d.title.en ?? '',
      text_sw: d.text.sw,
      text_en: d.text.en ?? '',
      category: d.category,
      due_date: toIsoDate(d.dueDate),
      weight: String(d.weight),
      applies_to: (d.appliesTo ?? []).join(';'),
      active: d.active ? 'true' : 'false',
      carried_over_from: d.carriedOverFrom ? (refById.get(String(d.carriedOverFrom)) ?? '') : '',
      sample_wording: d.sampleWording ? 'true' : 'false',
    }));
  },
};
