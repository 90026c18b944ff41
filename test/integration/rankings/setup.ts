/** Shared arrangement for the rankings integration tests: a meeting, resolutions, institutions and verified values. */
import { Types } from 'mongoose';
import type { ProgressStatus } from '../../../src/domain/reference-data.js';
import { ProgressItemModel, ProgressReportModel } from '../../../src/features/progress/progress.model.js';
import type { InstitutionDocument } from '../../../src/features/institutions/institution.model.js';
import type { ResolutionDocument } from '../../../src/features/resolutions/resolution.model.js';
import type { MeetingDocument } from '../../../src/features/meetings/meeting.model.js';
import { createInstitution, createMeeting, createResolution, createUser, type CreatedUser } from '../../helpers/fixtures.js';

export const DAY = 86_400_000;


/** Writes a verification (or claim) report and keeps the item row in step, as the progress feature does. */
export async function record(
  inst: InstitutionDocument,
  res: ResolutionDocument,
  by: Types.ObjectId,
  value: { status: ProgressStatus; percent: number; at: Date; kind?: 'claim' | 'verification' | 'assessment' },
): Promise<void> {
  const kind = value.kind ?? 'verification';
  let item = await ProgressItemModel.findOne({ institution: inst._id, resolution: res._id });
  if (!item) {
    item = await ProgressItemModel.create({ institution: inst._id, resolution: res._id, meeting: res.meeting, state: 'no_report' });
  }
  const version = item.lastVersion + 1;
  await ProgressReportModel.create({
    item: item._id,
    institution: inst._id,
    resolution: res._id,
    meeting: res.meeting,
    version,
    kind,
    status: value.status,
    percent: value.percent,
    by,
    at: value.at,
  });
  const v = { status: value.status, percent: value.percent, at: value.at, by, version };
  await ProgressItemModel.updateOne(
    { _id: item._id },
    { $set: { lastVersion: version, ...(kind === 'claim' ? { claimed: v, state: 'submitted' } : { verified: v, state: 'verified' }) } },
  );
}

export interface Scenario {
  meeting: MeetingDocument;
  r1: ResolutionDocument;
  r2: ResolutionDocument;
  a: InstitutionDocument;
  b: InstitutionDocument;
  c: InstitutionDocument;
  admin: CreatedUser;
  reviewer: CreatedUser;
  userA: CreatedUser;
  userB: CreatedUser;
  cutoff: Date;
}

/**
 * Ministries A and B and LGA C; resolution 1 (weight 2) and 2 (weight 1), both for every type.
 * Before the cutoff: A r1 completed, r2 in progress 40% → (200+40)/3 = 80 (A);
 * B r1 50%, r2 completed → (100+100)/3 = 66.67 (B); C nothing verified (claims only) → 0 (D).
 */
export async function arrange(): Promise<Scenario> {
  const meeting = await createMeeting();
  const r1 = await createResolution({ meeting, number: 1, weight: 2 });
  const r2 = await createResolution({ meeting, number: 2, weight: 1 });
  // Registered well before any cutoff of these tests (an institution that joined after a
  // ranking's cutoff is not ranked).
  const createdAt = new Date(Date.now() - 100 * DAY);
  const a = await createInstitution({ code: 'MIN-A', type: 'ministry', region: 'Dodoma', name: { sw: 'Wizara A', en: 'Ministry A' }, createdAt });
  const b = await createInstitution({ code: 'MIN-B', type: 'ministry', region: 'Arusha', name: { sw: 'Wizara B', en: 'Ministry B' }, createdAt });
  const c = await createInstitution({ code: 'LGA-C', type: 'lga', region: 'Mwanza', name: { sw: 'Halmashauri C', en: 'Council C' }, createdAt });
  const admin = await createUser({ role: 'admin', name: 'Afisa Mkuu' });
  const reviewer = await createUser({ role: 'reviewer' });
  const userA = await createUser({ role: 'institution', institution: a });
  const userB = await createUser({ role: 'institution', institution: b });
  const t0 = Date.now() - 20 * DAY;
  const by = reviewer.user._id;
  await record(a, r1, by, { status: 'completed', percent: 100, at: new Date(t0) });
  await record(a, r2, by, { status: 'in_progress', percent: 40, at: new Date(t0 + DAY) });
  await record(b, r1, by, { status: 'in_progress', percent: 50, at: new Date(t0) });
  await record(b, r2, by, { status: 'completed', percent: 100, at: new Date(t0 + DAY) });
  await record(c, r1, c._id, { status: 'completed', percent: 100, at: new Date(t0), kind: 'claim' });
  const cutoff = new Date(t0 + 5 * DAY);
  return { meeting, r1, r2, a, b, c, admin, reviewer, userA, userB, cutoff };
}

/** datetime-local text in Dar es Salaam time for a Date. */
export function localInput(d: Date): string {
  return new Date(d.getTime() + 3 * 3600_000).toISOString().slice(0, 16);
}
