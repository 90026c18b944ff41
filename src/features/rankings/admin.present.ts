/**
 * View models of the e-GA rankings pages (/admin/rankings…): the list with the new-draft form,
 * and one ranking with its actions and objections.
 */
import { PROGRESS_STATUSES } from '../../domain/reference-data.js';
import type { Meeting } from '../meetings/meeting.model.js';
import type { Objection } from './objection.model.js';
import type { Ranking } from './ranking.model.js';

type MeetingOption = Pick<Meeting, '_id' | 'number' | 'title'>;

const byIdOf = (meetings: MeetingOption[]) => new Map(meetings.map((m) => [String(m._id), m]));

/** Defaults of the new-draft form. */
const DRAFT_DEFAULTS = { gradeA: 75, gradeB: 50, gradeC: 25, winnersPerPeerGroup: 3, mostImproved: 'on' };

export function adminListModel(input: {
  meetings: MeetingOption[];
  rankings: Ranking[];
  canEdit: boolean;
  values?: Record<string, unknown>;
  errors?: Record<string, string>;
}) {
  const byId = byIdOf(input.meetings);
  return {
    meetings: input.meetings,
    canEdit: input.canEdit,
    rankings: input.rankings.map((r) => ({ ...r, id: String(r._id), meeting: byId.get(String(r.meeting)), isDraft: r.status === 'draft' })),
    values: { ...DRAFT_DEFAULTS, ...input.values },
    errors: input.errors ?? {},
  };
}

export function adminShowModel(input: {
  ranking: Ranking;
  meetings: MeetingOption[];
  objections: Objection[];
  canEdit: boolean;
  replyOpen: boolean;
}) {
  const { ranking } = input;
  const codeOf = new Map(ranking.entries.map((e) => [String(e.institution), e.code]));
  const numberOf = new Map(ranking.parameters.resolutions.map((x) => [String(x.resolution), x.number]));
  return {
    ranking,
    meeting: byIdOf(input.meetings).get(String(ranking.meeting)),
    isDraft: ranking.status === 'draft',
    replyOpen: input.replyOpen,
    canEdit: input.canEdit,
    objections: input.objections.map((o) => ({
      ...o,
      id: String(o._id),
      code: codeOf.get(String(o.institution)) ?? '',
      number: numberOf.get(String(o.resolution)) ?? '',
      isOpen: o.state === 'open',
    })),
    statuses: PROGRESS_STATUSES,
  };
}
