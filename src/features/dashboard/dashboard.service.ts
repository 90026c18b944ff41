import { Types, trusted } from 'mongoose';
import type { LocalizedText } from '../../domain/reference-data.js';
import { eatToday } from '../../domain/calendar-date.js';
import { pickHomeMeetings } from '../home/home.service.js';
import { InstitutionModel } from '../institutions/institution.model.js';
import type { Meeting } from '../meetings/meeting.model.js';
import { MeetingModel } from '../meetings/meeting.model.js';
import { ProgressItemModel } from '../progress/progress.model.js';
import { WindowExtensionModel } from '../progress/window-extension.model.js';
import { getMeetingSummary } from '../public/public.service.js';
import { computeNow } from '../public/public-read.js';
import { ObjectionModel } from '../rankings/objection.model.js';

type DashboardMeeting = Pick<Meeting, '_id' | 'number' | 'title' | 'reportingOpens' | 'reportingCloses' | 'status'>;

export interface Dashboard {
  /** The meeting whose resolutions are being implemented (null before the first meeting is held). */
  meeting: DashboardMeeting | null;
  waiting: { count: number; oldestAt: Date | null; oldestItemId: string | null };
  silent: { count: number; active: number; list: Array<{ id: string; code: string; name: LocalizedText }> };
  overdue: Array<{ id: string; number: number; title: LocalizedText; dueDate: Date; open: number; applicable: number }>;
  objections: { count: number; oldestAt: Date | null; rankingId: string | null };
  window: { opens: Date; closes: Date; state: 'not_open' | 'open' | 'closed'; daysLeft: number; extensions: number } | null;
}

const DAY_MS = 24 * 3600 * 1000;

/** Active institutions with no report (claim, return, verification or assessment) for the meeting. */
async function silentInstitutions(meetingId: Types.ObjectId): Promise<Dashboard['silent']> {
  const [active, reporting] = await Promise.all([
    InstitutionModel.find({ active: true }, { code: 1, name: 1 }).sort({ code: 1 }).lean<Array<{ _id: Types.ObjectId; code: string; name: LocalizedText }>>(),
    ProgressItemModel.distinct('institution', { meeting: meetingId, lastVersion: trusted({ $gt: 0 }) }),
  ]);
  const reported = new Set(reporting.map(String));
  const silent = active.filter((i) => !reported.has(String(i._id)));
  return { count: silent.length, active: active.length, list: silent.map((i) => ({ id: String(i._id), code: i.code, name: i.name })) };
}

/**
 * The figures an e-GA officer acts on, in a handful of queries: reports waiting for review (and
 * the oldest), institutions silent for the meeting being implemented, overdue work by resolution
 * (verified values: a claim does not close an item until it is checked), open objections and the
 * reporting window.
 */
export async function getDashboard(now: Date): Promise<Dashboard> {
  const meetings = await MeetingModel.find({}, { number: 1, title: 1, reportingOpens: 1, reportingCloses: 1, status: 1 }).lean<DashboardMeeting[]>();
  const meeting = pickHomeMeetings(meetings).implemented;

  const [waitingCount, oldestWaiting, objectionCount, oldestObjection] = await Promise.all([
    ProgressItemModel.countDocuments({ state: 'submitted' }),
    ProgressItemModel.findOne({ state: 'submitted' }, { 'claimed.at': 1 }).sort({ 'claimed.at': 1 }).lean<{ _id: Types.ObjectId; claimed?: { at: Date } | null }>(),
    ObjectionModel.countDocuments({ state: 'open' }),
    ObjectionModel.findOne({ state: 'open' }, { filedAt: 1, ranking: 1 }).sort({ filedAt: 1 }).lean<{ filedAt: Date; ranking: Types.ObjectId }>(),
  ]);
  const dashboard: Dashboard = {
    meeting,
    waiting: { count: waitingCount, oldestAt: oldestWaiting?.claimed?.at ?? null, oldestItemId: oldestWaiting ? String(oldestWaiting._id) : null },
    silent: { count: 0, active: 0, list: [] },
    overdue: [],
    objections: { count: objectionCount, oldestAt: oldestObjection?.filedAt ?? null, rankingId: oldestObjection ? String(oldestObjection.ranking) : null },
    window: null,
  };
  if (!meeting) return dashboard;

  const [silent, summary, extensions] = await Promise.all([
    silentInstitutions(meeting._id),
    // Staff see the data as it is now, not the public memo.
    getMeetingSummary(computeNow, String(meeting._id), now),
    WindowExtensionModel.countDocuments({ meeting: meeting._id, until: trusted({ $gt: now }) }),
  ]);
  dashboard.silent = silent;
  dashboard.overdue = summary.resolutions
    .filter((r) => r.overdue)
    .map((r) => {
      const applicable = r.applicable - r.counts.not_applicable;
      return { id: r.resolution.id, number: r.resolution.number, title: r.resolution.title, dueDate: r.resolution.dueDate, open: applicable - r.counts.completed, applicable };
    })
    .filter((r) => r.open > 0)
    .sort((a, b) => b.open - a.open || a.number - b.number);
  const today = eatToday(now);
  const state = now < meeting.reportingOpens ? 'not_open' : now > meeting.reportingCloses ? 'closed' : 'open';
  dashboard.window = {
    opens: meeting.reportingOpens,
    closes: meeting.reportingCloses,
    state,
    daysLeft: Math.max(0, Math.ceil((eatToday(meeting.reportingCloses).getTime() - today.getTime()) / DAY_MS)),
    extensions,
  };
  return dashboard;
}
