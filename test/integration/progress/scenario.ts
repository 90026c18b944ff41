/**
 * A small world for progress tests: one open meeting with two resolutions, institutions A and B
 * with one focal person each, a reviewer and an admin. Built fresh in each test.
 */
import { expect } from 'chai';
import type { InstitutionDocument } from '../../../src/features/institutions/institution.model.js';
import type { MeetingDocument } from '../../../src/features/meetings/meeting.model.js';
import type { ResolutionDocument } from '../../../src/features/resolutions/resolution.model.js';
import { ProgressItemModel, type ProgressItem } from '../../../src/features/progress/progress.model.js';
import { buildTestApp, type TestApp } from '../../helpers/app.js';
import { createInstitution, createMeeting, createResolution, createUser, type CreatedUser } from '../../helpers/fixtures.js';
import { csrfFrom, signIn, type Agent } from '../../helpers/http.js';

export const DAY = 24 * 3600 * 1000;

export interface Scenario extends TestApp {
  meeting: MeetingDocument;
  r1: ResolutionDocument;
  r2: ResolutionDocument;
  instA: InstitutionDocument;
  instB: InstitutionDocument;
  userA: CreatedUser;
  userA2: CreatedUser;
  userB: CreatedUser;
  reviewer: CreatedUser;
  admin: CreatedUser;
}

export async function buildScenario(options: { now?: () => Date; windowClosesInDays?: number } = {}): Promise<Scenario> {
  const app = buildTestApp({ now: options.now });
  const now = app.deps.now();
  const meeting = await createMeeting({
    reportingOpens: new Date(now.getTime() - 10 * DAY),
    reportingCloses: new Date(now.getTime() + (options.windowClosesInDays ?? 30) * DAY),
  });
  const r1 = await createResolution({ meeting, number: 1 });
  const r2 = await createResolution({ meeting, number: 2, dueDate: new Date(now.getTime() - 2 * DAY) });
  const instA = await createInstitution({ type: 'ministry', region: 'Dodoma' });
  const instB = await createInstitution({ type: 'lga', region: 'Mwanza' });
  const userA = await createUser({ role: 'institution', institution: instA, name: 'Asha Mwinyi' });
  const userA2 = await createUser({ role: 'institution', institution: instA, name: 'Baraka Said' });
  const userB = await createUser({ role: 'institution', institution: instB, name: 'Chausiku Ali' });
  const reviewer = await createUser({ role: 'reviewer', name: 'Daudi Mhakiki' });
  const admin = await createUser({ role: 'admin', name: 'Esther Msimamizi' });
  return { ...app, meeting, r1, r2, instA, instB, userA, userA2, userB, reviewer, admin };
}

/** Opens the dashboard (creating the rows lazily) and returns the row of `resolution`. */
export async function itemOf(agent: Agent, institution: InstitutionDocument, resolution: ResolutionDocument): Promise<ProgressItem> {
  const res = await agent.get('/progress');
  expect(res.status).to.equal(200);
  const item = await ProgressItemModel.findOne({ institution: institution._id, resolution: resolution._id }).lean<ProgressItem>();
  if (!item) throw new Error('item not created');
  return item;
}

export async function tokenOf(agent: Agent, url: string): Promise<string> {
  return csrfFrom((await agent.get(url)).text);
}

export { signIn };

/** A minimal valid PDF (file-type detects it by its %PDF header). */
export function pdfBytes(text = 'Ripoti'): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n% ${text}\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
  );
}

/** A 1x1 PNG. */
export const PNG_BYTES = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** Posts a report (multipart) for an item. */
export async function submitReport(
  agent: Agent,
  itemId: string,
  fields: { revision: number; status: string; percent?: number | string; narrative?: string; links?: string; keep?: string[] },
  files: Array<{ name: string; data: Buffer }> = [],
) {
  const token = await tokenOf(agent, `/progress/items/${itemId}`);
  let req = agent.post(`/progress/items/${itemId}/reports`).field('_csrf', token);
  req = req.field('revision', String(fields.revision)).field('status', fields.status);
  if (fields.percent !== undefined) req = req.field('percent', String(fields.percent));
  req = req.field('narrative', fields.narrative ?? '');
  req = req.field('links', fields.links ?? '');
  for (const k of fields.keep ?? []) req = req.field('keep', k);
  for (const f of files) req = req.attach('files', f.data, f.name);
  return req;
}
