import type { Meeting } from '../meetings/meeting.model.js';
import { MeetingModel } from '../meetings/meeting.model.js';
import { meetingResolutions } from '../meetings/meetings.service.js';
import type { Resolution } from '../resolutions/resolution.model.js';
import { getLatestRanking, getMeetingSummary, namedAwards } from '../public/public.service.js';
import type { MeetingSummary } from '../public/public.stats.js';
import type { Aggregates } from '../public/public-read.js';
import type { PublishedRanking } from '../rankings/rankings.query.js';

type HomeMeetingFields = Pick<Meeting, '_id' | 'number' | 'title' | 'theme' | 'venue' | 'startDate' | 'endDate' | 'reportingOpens' | 'reportingCloses' | 'status'>;

/** The meeting whose resolutions are being implemented, with its verified results. */
export interface ImplementedMeeting {
  meeting: HomeMeetingFields;
  summary: MeetingSummary;
  ranking: PublishedRanking | null;
  winners: ReturnType<typeof namedAwards>;
  mostImproved: ReturnType<typeof namedAwards>;
}

/** The next meeting, still being prepared, and the resolutions drafted for it so far. */
export interface PreparedMeeting {
  meeting: HomeMeetingFields;
  resolutions: Resolution[];
}

export interface HomePage {
  implemented: ImplementedMeeting | null;
  prepared: PreparedMeeting | null;
}

/** How many award holders the home page names per award (the ranking page has them all). */
const AWARDS_SHOWN = 3;

/**
 * Picks the two meetings a participant cares about before the next meeting: the newest one that
 * was held (its resolutions are being implemented; if none is held, the newest closed one) and
 * the newest planned one after it. Creating the next meeting therefore adds a section instead of
 * replacing the results of the one being implemented.
 */
export function pickHomeMeetings<M extends Pick<Meeting, 'number' | 'status'>>(meetings: M[]): { implemented: M | null; prepared: M | null } {
  const newestFirst = [...meetings].sort((a, b) => b.number - a.number);
  const implemented = newestFirst.find((m) => m.status === 'held') ?? newestFirst.find((m) => m.status === 'closed') ?? null;
  const prepared = newestFirst.find((m) => m.status === 'planned' && (!implemented || m.number > implemented.number)) ?? null;
  return { implemented, prepared };
}

/** Everything the public home page shows (verified values only; see README "What the public sees"). */
export async function getHomePage(aggregates: Aggregates, now: Date): Promise<HomePage> {
  const meetings = await MeetingModel.find(
    {},
    { number: 1, title: 1, theme: 1, venue: 1, startDate: 1, endDate: 1, reportingOpens: 1, reportingCloses: 1, status: 1 },
  ).lean<HomeMeetingFields[]>();
  const picked = pickHomeMeetings(meetings);
  let implemented: ImplementedMeeting | null = null;
  if (picked.implemented) {
    const id = String(picked.implemented._id);
    const [summary, ranking] = await Promise.all([getMeetingSummary(aggregates, id, now), getLatestRanking(aggregates, id)]);
    implemented = {
      meeting: picked.implemented,
      summary,
      ranking,
      winners: ranking ? namedAwards(ranking, 'winners').slice(0, AWARDS_SHOWN) : [],
      mostImproved: ranking ? namedAwards(ranking, 'mostImproved').slice(0, AWARDS_SHOWN) : [],
    };
  }
  const prepared = picked.prepared
    ? { meeting: picked.prepared, resolutions: await meetingResolutions(String(picked.prepared._id), { activeOnly: true }) }
    : null;
  return { implemented, prepared };
}
