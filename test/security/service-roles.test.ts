import type { Types } from 'mongoose';
import { expect } from 'chai';
import mongoose from 'mongoose';
import type { Actor } from '../../src/domain/actor.js';
import { ForbiddenError } from '../../src/errors.js';
import { createInstitution as createInstitutionService, updateInstitution, setInstitutionActive, bulkUpdateInstitutions } from '../../src/features/institutions/institutions.service.js';
import { createMeeting as createMeetingService, updateMeeting } from '../../src/features/meetings/meetings.service.js';
import { createResolution as createResolutionService, updateResolution, carryOverResolution, bulkUpdateResolutions } from '../../src/features/resolutions/resolutions.service.js';
import { createUser as createUserService, createUsers, issueSetPasswordLink, setUserActive, listUsers, exportUsers } from '../../src/features/accounts/users.service.js';
import { runCsvImport } from '../../src/features/csv/csv.engine.js';
import { institutionsCsv } from '../../src/features/csv/formats/institutions.csv.js';
import { verifyClaim, returnClaim, assessDirectly, listQueue, claimedVsVerified, extendWindow } from '../../src/features/review/review.service.js';
import { createCapturingMailer } from '../../src/mail/mailer.js';
import { createInstitution, createMeeting, createResolution, createUser } from '../helpers/fixtures.js';

const NOW = new Date('2026-03-01T08:00:00Z');

/** Every document of every collection, to prove a refused call wrote nothing. */
async function snapshot(): Promise<string> {
  const db = mongoose.connection.db!;
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => !n.startsWith('system.')).sort();
  const all: Record<string, unknown[]> = {};
  for (const n of names) all[n] = await db.collection(n).find({}).sort({ _id: 1 }).toArray();
  return JSON.stringify(all);
}

describe('security: admin-only services check the actor role themselves', () => {
  it('when a reviewer or a focal person calls an admin-only service, then 403 and nothing is written', async () => {
    const inst = await createInstitution();
    const meeting = await createMeeting();
    const other = await createMeeting();
    const resolution = await createResolution({ meeting });
    const target = await createUser({ role: 'reviewer' });
    const reviewer: Actor = { id: String((await createUser({ role: 'reviewer' })).user._id), role: 'reviewer', institutionId: null };
    const focal: Actor = { id: String((await createUser({ role: 'institution', institution: inst })).user._id), role: 'institution', institutionId: String(inst._id) };
    const mailer = createCapturingMailer();
    const id = (d: { _id: unknown }) => String(d._id);
    const oid = (d: { _id: unknown }) => d._id as Types.ObjectId;
    const adminOnly: Array<[string, (a: Actor) => Promise<unknown>]> = [
      ['createInstitution', (a) => createInstitutionService({ code: 'MIN-777', name: { sw: 'Wizara' }, type: 'ministry', region: 'Dodoma' } as never, a)],
      ['updateInstitution', (a) => updateInstitution(oid(inst), { name: { sw: 'Jina jipya' } } as never, a)],
      ['setInstitutionActive', (a) => setInstitutionActive(oid(inst), false, a)],
      ['bulkUpdateInstitutions', (a) => bulkUpdateInstitutions({ ids: [id(inst)], active: false } as never, a)],
      ['createMeeting', (a) => createMeetingService({ number: 99 } as never, a, NOW)],
      ['updateMeeting', (a) => updateMeeting(oid(meeting), { status: 'closed' } as never, a, NOW)],
      ['createResolution', (a) => createResolutionService({ meeting: id(meeting) } as never, a)],
      ['updateResolution', (a) => updateResolution(oid(resolution), { weight: 5 } as never, a)],
      ['carryOverResolution', (a) => carryOverResolution(oid(resolution), id(other), a)],
      ['bulkUpdateResolutions', (a) => bulkUpdateResolutions({ ids: [id(resolution)], weight: 3 } as never, a)],
      ['createUser', (a) => createUserService({ name: 'Mpya', email: 'mpya@ega.go.tz', role: 'admin' }, a, { now: NOW })],
      ['createUsers', (a) => createUsers([{ name: 'Mpya', email: 'mpya@ega.go.tz', role: 'admin' }], a, { baseUrl: 'http://x', now: NOW })],
      ['issueSetPasswordLink', (a) => issueSetPasswordLink(id(target.user), a, { baseUrl: 'http://x', mailer, now: NOW })],
      ['setUserActive', (a) => setUserActive(id(target.user), false, a, NOW)],
      ['listUsers', (a) => listUsers({ page: 1 }, a)],
      ['exportUsers', (a) => exportUsers(a)],
      ['runCsvImport', (a) => runCsvImport(institutionsCsv, 'code,name_sw,type,region\nMIN-778,Wizara,ministry,Dodoma\n', 'import', a)],
      ['extendWindow', (a) => extendWindow(a, { meetingId: id(meeting), institutionId: id(inst), until: new Date(NOW.getTime() + 864e5), reason: 'Sababu' }, NOW)],
    ];
    const staffOnly: Array<[string, (a: Actor) => Promise<unknown>]> = [
      ['verifyClaim', (a) => verifyClaim({ now: NOW }, a, id(resolution), { expectedRevision: 0, reason: '' } as never)],
      ['returnClaim', (a) => returnClaim({ now: NOW }, a, id(resolution), { expectedRevision: 0, comment: 'Hapana' } as never)],
      ['assessDirectly', (a) => assessDirectly(a, { institutionId: id(inst), resolutionId: id(resolution), status: 'completed', percent: 100, reason: 'x' } as never, { now: NOW })],
      ['listQueue', (a) => listQueue(a, {} as never)],
      ['claimedVsVerified', (a) => claimedVsVerified(a, null)],
    ];
    const before = await snapshot();
    const calls = [
      ...adminOnly.flatMap(([name, call]) => [[`${name} as reviewer`, () => call(reviewer)] as const, [`${name} as focal person`, () => call(focal)] as const]),
      ...staffOnly.map(([name, call]) => [`${name} as focal person`, () => call(focal)] as const),
    ];
    for (const [label, call] of calls) {
      let error: unknown;
      try {
        await call();
      } catch (err) {
        error = err;
      }
      expect(error, label).to.be.instanceOf(ForbiddenError);
    }
    expect(await snapshot()).to.equal(before);
    expect(mailer.outbox).to.have.length(0);
  });
});
