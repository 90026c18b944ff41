/**
 * View models of the e-GA rankings pages (/admin/rankings…): the list with the new-draft form,
 * one ranking with its actions and objections, and the confirmation pages of the two
 * irreversible actions (publish, delete a draft).
 */
import { LAGGARD_VISIBILITY, recentFinancialYears } from '../../domain/assessment-period.js';
import { PROGRESS_STATUSES } from '../../domain/reference-data.js';
import type { Meeting } from '../meetings/meeting.model.js';
import type { Objection } from './objection.model.js';
import type { Ranking } from './ranking.model.js';
import type { PublishPreview } from './ranking-workflow.service.js';
import { PUBLIC_PAGE_SIZE, unrankedGroups } from './public.present.js';
import { categoryCards } from './categories.present.js';

type MeetingOption = Pick<Meeting, '_id' | 'number' | 'title'>;

const byIdOf = (meetings: MeetingOption[]) => new Map(meetings.map((m) => [String(m._id), m]));

/** Defaults of the new-draft form. */
const DRAFT_DEFAULTS = { gradeA: 75, gradeB: 50, gradeC: 25, winnersPerPeerGroup: 3, mostImproved: 'on', needsImprovementVisibility: 'public' };

export function adminListModel(input: {
  meetings: MeetingOption[];
  rankings: Ranking[];
  canEdit: boolean;
  values?: Record<string, unknown>;
  errors?: Record<string, string>;
  now: Date;
}) {
  const byId = byIdOf(input.meetings);
  return {
    periods: recentFinancialYears(input.now),
    laggardVisibility: LAGGARD_VISIBILITY,
    meetings: input.meetings,
    canEdit: input.canEdit,
    rankings: input.rankings.map((r) => ({ ...r, id: String(r._id), meeting: byId.get(String(r.meeting)), isDraft: r.status === 'draft' })),
    values: { ...DRAFT_DEFAULTS, ...input.values },
    errors: input.errors ?? {},
  };
}

/**
 * The values an acceptance pre-fills: what the institution asked for (completed is 100 %).
 * Answering is still an explicit choice; these only save retyping the request.
 */
function requestedCorrection(o: Pick<Objection, 'requestedStatus' | 'requestedPercent'>) {
  const status = o.requestedStatus ?? '';
  const percent = status === 'completed' ? 100 : (o.requestedPercent ?? null);
  return { status, percent: percent === null ? '' : String(percent) };
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The answer form of one objection: what was typed when it comes back with errors, else the pre-fill. */
function answerFormValues(o: Objection, sent: { objectionId: string; values: Record<string, unknown>; errors: Record<string, string> } | undefined) {
  if (sent && sent.objectionId === String(o._id)) {
    const v = sent.values;
    return { decision: text(v.decision), answer: text(v.answer), status: text(v.status), percent: text(v.percent), errors: Object.values(sent.errors) };
  }
  return { decision: '', answer: '', ...requestedCorrection(o), errors: [] };
}

/**
 * One ranking for staff. The overall table is paged (50 rows; `page` past the end shows the
 * last page): a draft of 1,000 institutions is read without its breakdown lines and shown a page
 * at a time, so the page stays light (issue 11: ≤ 200 ms).
 */
export function adminShowModel(input: {
  ranking: Ranking;
  meetings: MeetingOption[];
  objections: Objection[];
  canEdit: boolean;
  replyOpen: boolean;
  page?: number;
  /** An answer form sent back with errors: its objection, what was typed, the messages. */
  answer?: { objectionId: string; values: Record<string, unknown>; errors: Record<string, string> };
}) {
  const { ranking } = input;
  const codeOf = new Map(ranking.entries.map((e) => [String(e.institution), e.code]));
  const numberOf = new Map(ranking.parameters.resolutions.map((x) => [String(x.resolution), x.number]));
  const pages = Math.max(1, Math.ceil(ranking.entries.length / PUBLIC_PAGE_SIZE));
  const page = Math.min(Math.max(1, input.page ?? 1), pages);
  const start = (page - 1) * PUBLIC_PAGE_SIZE;
  const rows = ranking.entries.slice(start, start + PUBLIC_PAGE_SIZE);
  const categories = categoryCards(ranking);
  return {
    ranking,
    id: String(ranking._id),
    meeting: byIdOf(input.meetings).get(String(ranking.meeting)),
    isDraft: ranking.status === 'draft',
    categories,
    categoriesEditable: input.canEdit && ranking.status === 'draft',
    certificates: ranking.status === 'published',
    hasCategoryWinners: categories.some((c) => c.groups.some((g) => g.winners.length > 0)),
    replyOpen: input.replyOpen,
    canEdit: input.canEdit,
    table: { rows, page, pages, total: ranking.entries.length, first: rows.length ? start + 1 : 0, last: start + rows.length },
    unranked: unrankedGroups(ranking),
    objections: input.objections.map((o) => ({
      ...o,
      id: String(o._id),
      code: codeOf.get(String(o.institution)) ?? '',
      number: numberOf.get(String(o.resolution)) ?? '',
      isOpen: o.state === 'open',
      form: answerFormValues(o, input.answer),
    })),
    statuses: PROGRESS_STATUSES,
  };
}

/** The publish confirmation page: what will happen, or why it cannot. */
export function publishConfirmModel(input: { ranking: Ranking; meetings: MeetingOption[]; preview: PublishPreview }) {
  const { ranking, preview } = input;
  return {
    ranking,
    id: String(ranking._id),
    meeting: byIdOf(input.meetings).get(String(ranking.meeting)),
    preview,
    ranked: ranking.entries.length,
    unranked: ranking.unranked.length,
    noteRequired: preview.previousVersion !== null,
  };
}

/** The delete confirmation page. */
export function deleteConfirmModel(input: { ranking: Ranking; meetings: MeetingOption[]; objections: Objection[] }) {
  return {
    ranking: input.ranking,
    id: String(input.ranking._id),
    meeting: byIdOf(input.meetings).get(String(input.ranking.meeting)),
    openObjections: input.objections.filter((o) => o.state === 'open').length,
  };
}
