/**
 * Demo progress so a newcomer sees a living system: most institutions have claims on most
 * resolutions with a spread of statuses, most claims verified (some adjusted), some returned,
 * some waiting, and a few institutions that never reported. Deterministic (seeded PRNG).
 *
 * Seed data is trusted and large (60+ institutions x 10+ resolutions), so it is built in memory
 * following the same state machine (src/domain/progress-workflow.ts) and written with
 * insertMany, instead of one conditional update per action.
 */
import { Types } from 'mongoose';
import type { Logger } from '../../logger.js';
import type { ProgressStatus } from '../../domain/reference-data.js';
import { prng } from '../../domain/prng.js';
import { nextState, REPORT_KIND_OF, type WorkflowAction, type WorkflowState } from '../../domain/progress-workflow.js';
import { InstitutionModel, type Institution } from '../institutions/institution.model.js';
import { MeetingModel, type Meeting } from '../meetings/meeting.model.js';
import { UserModel, type User } from '../accounts/user.model.js';
import { recordAudit } from '../audit/audit.service.js';
import { ProgressItemModel, ProgressReportModel, type ProgressItem } from './progress.model.js';
import { ResolutionModel, type Resolution } from '../resolutions/resolution.model.js';
import { op } from './query.js';

export interface ProgressSeedContext {
  now: Date;
  logger?: Logger;
}

export interface ProgressSeedResult {
  focalPersons: number;
  items: number;
  reports: number;
}

const DAY = 24 * 3600 * 1000;

const NARRATIVES: Record<ProgressStatus, Array<{ lang: 'sw' | 'en'; text: string }>> = {
  not_started: [
    { lang: 'sw', text: 'Utekelezaji bado haujaanza. Tunasubiri kuidhinishwa kwa bajeti ya mwaka wa fedha ujao.' },
    { lang: 'en', text: 'Not started yet. The activity is planned for the next financial year once the budget is approved.' },
  ],
  in_progress: [
    { lang: 'sw', text: 'Kamati ya Serikali Mtandao imeundwa na rasimu ya sera imeandaliwa. Kilichobaki ni kuidhinishwa na Menejimenti. Changamoto: uhaba wa wataalamu wa TEHAMA.' },
    { lang: 'sw', text: 'Mifumo mitatu kati ya mitano imeunganishwa na GovESB. Mifumo miwili iliyobaki inasubiri maboresho kutoka kwa mtoa huduma.' },
    { lang: 'en', text: 'Staff training has started: 40 of 120 officers completed the cybersecurity awareness course. Remaining sessions are scheduled next quarter.' },
    { lang: 'en', text: 'Data centre migration is under way; the e-Office and HR systems are already hosted at the Government Data Centre. Obstacle: limited bandwidth at regional offices.' },
    { lang: 'sw', text: 'Tathmini ya usalama wa mifumo imefanyika na mapendekezo yameanza kutekelezwa. Kilichobaki ni kufunga ngome (firewall) mpya.' },
  ],
  completed: [
    { lang: 'sw', text: 'Utekelezaji umekamilika. Sera ya Usalama wa Taarifa imeidhinishwa na kusambazwa kwa watumishi wote.' },
    { lang: 'en', text: 'Completed: all public services of the institution are now available through the Government e-Services portal.' },
    { lang: 'sw', text: 'Mifumo yote imeunganishwa na GovESB na inabadilishana taarifa kwa usalama. Ripoti ya majaribio imeambatishwa.' },
  ],
  not_applicable: [
    { lang: 'sw', text: 'Azimio hili halituhusu kwa kuwa taasisi haina mifumo inayotoa huduma moja kwa moja kwa wananchi.' },
    { lang: 'en', text: 'This resolution does not apply: the institution runs no citizen-facing systems; all services are provided by the parent ministry.' },
  ],
};

const RETURN_COMMENTS = [
  'Tafadhali ambatisheni barua ya idhini ya sera husika.',
  'Ushahidi ulioambatishwa haujaonyesha mifumo iliyounganishwa. Ongezeni ripoti ya majaribio.',
  'Please attach the signed approval minutes; the link provided does not open.',
  'Asilimia iliyoripotiwa haiendani na maelezo. Fafanueni kilichobaki.',
];

const ADJUST_REASONS = [
  'Ushahidi unaonyesha mifumo miwili tu kati ya mitano imeunganishwa.',
  'Training records show fewer officers trained than reported.',
  'Sera bado haijaidhinishwa rasmi na Bodi; hatua imerekebishwa.',
];

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)];
}

function drawStatus(rand: () => number): ProgressStatus {
  const x = rand();
  if (x < 0.1) return 'not_started';
  if (x < 0.62) return 'in_progress';
  if (x < 0.96) return 'completed';
  return 'not_applicable';
}

function slug(inst: Institution): string {
  return (inst.code || inst.acronym).toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/**
 * Adds a focal person (without a password: an admin issues a set-password link) to every active
 * institution that has no institution user, so every row has an owner.
 */
async function ensureFocalPersons(institutions: Institution[]): Promise<number> {
  const withUsers = new Set((await UserModel.distinct('institution', { role: 'institution' })).map(String));
  const docs = institutions
    .filter((i) => !withUsers.has(String(i._id)))
    .map((i) => ({
      email: `mratibu.${slug(i)}@maazimio.go.tz`,
      name: `Mratibu ${i.acronym || i.code}`,
      role: 'institution' as const,
      institution: i._id,
      title: 'Mratibu wa Serikali Mtandao',
      passwordHash: null,
    }));
  if (docs.length === 0) return 0;
  const existing = new Set((await UserModel.find({ email: op({ $in: docs.map((d) => d.email) }) }).select({ email: 1 }).lean<User[]>()).map((u) => u.email));
  const fresh = docs.filter((d) => !existing.has(d.email));
  if (fresh.length > 0) await UserModel.insertMany(fresh);
  return fresh.length;
}

/** Seeds progress for every meeting with resolutions; does nothing when reports already exist. */
export async function seedProgress(ctx: ProgressSeedContext): Promise<ProgressSeedResult> {
  const result: ProgressSeedResult = { focalPersons: 0, items: 0, reports: 0 };
  if ((await ProgressReportModel.estimatedDocumentCount()) > 0) return result;
  const reviewers = await UserModel.find({ role: op({ $in: ['reviewer', 'admin'] as Array<'reviewer' | 'admin'> }), active: true, institution: null }).sort({ role: -1, createdAt: 1 }).lean<User[]>();
  if (reviewers.length === 0) return result;
  const institutions = await InstitutionModel.find({ active: true }).sort({ code: 1 }).lean<Institution[]>();
  result.focalPersons = await ensureFocalPersons(institutions);
  const meetings = await MeetingModel.find().sort({ number: 1 }).lean<Meeting[]>();
  const resolutions = await ResolutionModel.find({ active: true }).sort({ number: 1 }).lean<Resolution[]>();
  const users = await UserModel.find({ role: 'institution', active: true }).sort({ createdAt: 1, _id: 1 }).select({ institution: 1 }).lean<User[]>();
  const ownerOf = new Map<string, Types.ObjectId>();
  for (const u of users) if (u.institution && !ownerOf.has(String(u.institution))) ownerOf.set(String(u.institution), u._id);
  const existing = new Map(
    (await ProgressItemModel.find().select({ institution: 1, resolution: 1 }).lean<ProgressItem[]>()).map((i) => [`${String(i.institution)}|${String(i.resolution)}`, i._id]),
  );
  const rand = prng(20240206);
  const now = ctx.now.getTime();

  const reports: Record<string, unknown>[] = [];
  const newItems: Record<string, unknown>[] = [];
  const itemUpdates: Array<{ _id: Types.ObjectId; set: Record<string, unknown> }> = [];

  for (const meeting of meetings) {
    const opens = meeting.reportingOpens.getTime();
    const end = Math.min(now, meeting.reportingCloses.getTime());
    if (opens >= end) continue;
    const meetingResolutions = resolutions.filter((r) => String(r.meeting) === String(meeting._id));
    for (const [index, inst] of institutions.entries()) {
      const owner = ownerOf.get(String(inst._id)) ?? null;
      // A few institutions never reported (every 9th, deterministic so the demo is stable).
      const neverReported = index % 9 === 4;
      for (const resolution of meetingResolutions.filter((r) => r.appliesTo.includes(inst.type))) {
        const key = `${String(inst._id)}|${String(resolution._id)}`;
        const item = { _id: existing.get(key) ?? new Types.ObjectId(), institution: inst._id, resolution: resolution._id, meeting: meeting._id };
        // lean insertMany below skips Mongoose defaults and timestamps: every field is set here.
        const created = new Date(opens);
        const base = { ...item, owner, state: 'no_report', lastVersion: 0, revision: 0, claimed: null, verified: null, returnComment: '', claimedEvidence: 0, pending: null, createdAt: created, updatedAt: created };
        result.items += 1;
        if (neverReported || !owner || rand() < 0.12) {
          if (!existing.has(key)) newItems.push(base);
          continue;
        }
        let state: WorkflowState = 'no_report';
        let version = 0;
        let t = opens + rand() * (end - opens) * 0.6;
        const set: Record<string, unknown> = {};
        const by = owner;
        let lastAt = created;
        const push = (
          action: WorkflowAction,
          data: { status?: ProgressStatus | null; percent?: number | null; narrative?: string; comment?: string; evidence?: unknown[]; by: Types.ObjectId },
        ) => {
          version += 1;
          state = nextState(state, action);
          const at = new Date(Math.min(t, now - 60_000));
          lastAt = at;
          reports.push({
            item: item._id,
            institution: inst._id,
            resolution: resolution._id,
            meeting: meeting._id,
            version,
            kind: REPORT_KIND_OF[action],
            status: data.status ?? null,
            percent: data.percent ?? null,
            narrative: data.narrative ?? '',
            comment: data.comment ?? '',
            evidence: data.evidence ?? [],
            by: data.by,
            at,
          });
          if (action === 'submit') {
            set.claimed = { status: data.status, percent: data.percent, at, by: data.by, version };
            set.claimedEvidence = (data.evidence ?? []).length;
            set.returnComment = '';
          } else if (action === 'return') {
            set.returnComment = data.comment;
          } else {
            set.verified = { status: data.status, percent: data.percent, at, by: data.by, version };
            set.returnComment = '';
          }
        };
        const claimOnce = () => {
          const status = drawStatus(rand);
          const percent = status === 'completed' ? 100 : status === 'in_progress' ? 10 + Math.floor(rand() * 86) : 0;
          const evidence =
            status === 'completed' || rand() < 0.3
              ? [{ kind: 'link', url: `https://www.${slug(inst)}.go.tz/serikali-mtandao/ripoti-${meeting.number}-${resolution.number}`, label: '' }]
              : [];
          push('submit', { status, percent, narrative: pick(rand, NARRATIVES[status]).text, evidence, by });
          return { status, percent };
        };

        let claim = claimOnce();
        const reviewer = pick(rand, reviewers)._id;
        const outcome = rand();
        t += (2 + rand() * 20) * DAY;
        if (outcome < 0.14 && t < now) {
          push('return', { comment: pick(rand, RETURN_COMMENTS), by: reviewer });
          if (rand() < 0.4) {
            // Corrected and resubmitted: waiting again.
            t += (1 + rand() * 10) * DAY;
            claim = claimOnce();
            if (meeting.status === 'closed') {
              t += (1 + rand() * 10) * DAY;
              push('verify', { status: claim.status, percent: claim.percent, by: reviewer });
            }
          }
        } else if ((outcome < 0.8 || meeting.status === 'closed') && t < now) {
          // In a closed meeting nothing is still waiting: every claim got its verdict.
          const adjust = (claim.status === 'in_progress' || claim.status === 'completed') && rand() < 0.22;
          if (adjust) {
            const percent = claim.status === 'completed' ? 90 : Math.max(claim.percent - 10 - Math.floor(rand() * 20), 1);
            push('verify', { status: 'in_progress', percent, comment: pick(rand, ADJUST_REASONS), by: reviewer });
          } else {
            push('verify', { status: claim.status, percent: claim.percent, by: reviewer });
          }
        }
        // Otherwise the claim is still waiting for verification.
        const final = { ...set, state, lastVersion: version, revision: version, updatedAt: lastAt };
        if (existing.has(key)) itemUpdates.push({ _id: item._id, set: final });
        else newItems.push({ ...base, ...final });
      }
    }
  }

  if (newItems.length > 0) await ProgressItemModel.insertMany(newItems, { ordered: false, lean: true });
  if (reports.length > 0) await ProgressReportModel.insertMany(reports, { ordered: false, lean: true });
  for (const u of itemUpdates) await ProgressItemModel.updateOne({ _id: u._id }, { $set: u.set });
  result.reports = reports.length;
  await recordAudit({
    actor: null,
    actorKind: 'system',
    action: 'progress.seed',
    entity: 'ProgressReport',
    summary: `demo progress: ${result.reports} report versions on ${result.items} rows`,
    after: { ...result },
    at: ctx.now,
  });
  ctx.logger?.info(result, 'demo progress created');
  return result;
}
