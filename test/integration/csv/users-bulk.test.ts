import { expect } from 'chai';
import mongoose from 'mongoose';
import { AuditEntryModel } from '../../../src/features/audit/audit.model.js';
import { UserModel } from '../../../src/features/accounts/user.model.js';
import {
  createUser as createUserService,
  createUsers,
  findUserBySetPasswordToken,
  hashToken,
  UsersBatchWriteError,
  validateNewUsers,
} from '../../../src/features/accounts/users.service.js';
import { ValidationError } from '../../../src/errors.js';
import { runCsvImport } from '../../../src/features/csv/csv.engine.js';
import { createUsersCsv } from '../../../src/features/csv/formats/users.csv.js';
import { createCapturingMailer, type MailMessage, type Mailer } from '../../../src/mail/mailer.js';
import { createInstitution, createUser } from '../../helpers/fixtures.js';
import { signedIn, text as pageText, tokenFrom } from '../institutions/admin.helpers.js';

const NOW = new Date('2026-03-02T08:00:00Z');
const BASE_URL = 'http://maazimio.test';
const actor = { id: new mongoose.Types.ObjectId().toHexString(), role: 'admin' as const, institutionId: null, name: 'Afisa', email: 'afisa@ega.go.tz' };

function usersFile(n: number, codes: string[], edit?: (i: number, line: string) => string): string {
  const lines = ['email,name,role,institution_code,title,phone,language'];
  for (let i = 1; i <= n; i += 1) {
    const line = `mratibu${i}@taasisi.go.tz,Mratibu ${i},institution,${codes[i % codes.length]},Mratibu,,${i % 2 ? 'sw' : 'en'}`;
    lines.push(edit ? edit(i, line) : line);
  }
  return lines.join('\n');
}

async function institutionCodes(n: number): Promise<string[]> {
  const codes: string[] = [];
  for (let i = 0; i < n; i += 1) codes.push((await createInstitution()).code);
  return codes;
}

/** Counts database commands per collection while `work` runs. */
async function countQueries<T>(work: () => Promise<T>): Promise<{ result: T; ops: Array<[string, string]> }> {
  const ops: Array<[string, string]> = [];
  mongoose.set('debug', (collection: string, method: string) => {
    ops.push([collection, method]);
  });
  try {
    return { result: await work(), ops };
  } finally {
    mongoose.set('debug', false);
  }
}

describe('users CSV import in one batch', () => {
  it('when 1,000 users are imported at once, then all exist with working one-time links, emailed, under one audit entry', async () => {
    const codes = await institutionCodes(5);
    const mailer = createCapturingMailer();
    const format = createUsersCsv({ baseUrl: BASE_URL, mailer, now: () => NOW });
    const text = usersFile(1000, codes);

    const dry = await runCsvImport(format, text, 'dryRun', actor);
    expect(dry.total).to.equal(1000);
    expect(dry.invalid).to.equal(0);
    expect(await UserModel.countDocuments()).to.equal(0);
    expect(mailer.outbox).to.have.length(0);

    const report = await runCsvImport(format, text, 'import', actor);
    expect(report.committed).to.equal(true);
    expect(report.inserted).to.equal(1000);
    expect(await UserModel.countDocuments({ email: /@taasisi\.go\.tz$/ })).to.equal(1000);

    // One link per user in the report, each stored only as its hash, valid 72 h, and usable.
    expect(report.notes).to.have.length(1000);
    expect(report.notes.some((n) => n.flag)).to.equal(false);
    const users = await UserModel.find().lean();
    const byEmail = new Map(users.map((u) => [u.email, u]));
    for (const note of report.notes) {
      const token = /\/set-password\/([A-Za-z0-9_-]{20,})$/.exec(note.value)?.[1] ?? '';
      const user = byEmail.get(note.label);
      expect(user?.setPasswordTokenHash, note.label).to.equal(hashToken(token));
      expect(user?.setPasswordExpires?.getTime()).to.equal(NOW.getTime() + 72 * 3600 * 1000);
    }
    expect(new Set(report.notes.map((n) => n.value)).size).to.equal(1000);
    const sample = report.notes[499];
    const found = await findUserBySetPasswordToken(sample?.value.split('/').pop() ?? '', NOW);
    expect(found?.email).to.equal(sample?.label);
    const mratibu7 = byEmail.get('mratibu7@taasisi.go.tz');
    expect(mratibu7?.role).to.equal('institution');
    expect(mratibu7?.name).to.equal('Mratibu 7');
    expect(mratibu7?.passwordHash).to.equal(null);
    expect(mratibu7?.active).to.equal(true);

    // Every user got their own link by email, in their language.
    expect(mailer.outbox).to.have.length(1000);
    const mail7 = mailer.outbox.find((m) => m.to === 'mratibu7@taasisi.go.tz');
    expect(mail7?.text).to.include(report.notes.find((n) => n.label === 'mratibu7@taasisi.go.tz')?.value);

    const audits = await AuditEntryModel.find({ entity: 'User' }).lean();
    expect(audits).to.have.length(1);
    expect(audits[0]?.action).to.equal('user.import');
    expect(String(audits[0]?.actor)).to.equal(actor.id);
    const after = audits[0]?.after as { count: number; emails: string[] };
    expect(after.count).to.equal(1000);
    expect(after.emails).to.have.length(1000);
    expect(after.emails).to.include('mratibu1000@taasisi.go.tz');
    expect(JSON.stringify(audits[0])).not.to.match(/set-password\/|TokenHash/);
  });

  it('when one row among 1,000 is bad, then the import writes nothing, sends nothing and names that row', async () => {
    const codes = await institutionCodes(3);
    const mailer = createCapturingMailer();
    const format = createUsersCsv({ baseUrl: BASE_URL, mailer, now: () => NOW });
    const text = usersFile(1000, codes, (i, line) => (i === 640 ? line.replace(/,institution,[^,]+,/, ',institution,NOPE-404,') : line));

    const report = await runCsvImport(format, text, 'import', actor);
    expect(report.committed).to.equal(false);
    expect(report.invalid).to.equal(1);
    const bad = report.rows.filter((r) => r.status === 'error');
    expect(bad.map((r) => r.line)).to.deep.equal([641]);
    expect(bad[0]?.messages).to.deep.equal([{ key: 'csv:errors.unknownReference', params: { value: 'NOPE-404' }, column: 'institution_code' }]);
    expect(await UserModel.countDocuments()).to.equal(0);
    expect(await AuditEntryModel.countDocuments({ entity: 'User' })).to.equal(0);
    expect(mailer.outbox).to.have.length(0);
  });

  it('when rows repeat an email, use a taken one, or miss an institution, then each is reported once in its column', async () => {
    const [code] = await institutionCodes(1);
    const existing = await createUser({ role: 'reviewer' });
    const format = createUsersCsv({ baseUrl: BASE_URL, mailer: createCapturingMailer(), now: () => NOW });
    const text = [
      'email,name,role,institution_code',
      `a@ega.go.tz,A,institution,${code}`,
      'A@ega.go.tz,A again,reviewer,',
      `${existing.user.email},Taken,reviewer,`,
      'b@ega.go.tz,B,institution,',
      `c@ega.go.tz,C,admin,${code}`,
    ].join('\n');
    const report = await runCsvImport(format, text, 'dryRun', actor);
    expect(report.rows.map((r) => r.messages.map((m) => `${m.column}:${m.key}`))).to.deep.equal([
      [],
      ['email:csv:errors.duplicateInFile'],
      ['email:accounts:emailTaken'],
      ['institution_code:accounts:institutionRequired'],
      ['institution_code:accounts:institutionNotForAdmin'],
    ]);
  });

  it('when the write fails part-way, then the users this import inserted are removed again and no email is sent', async () => {
    const codes = await institutionCodes(2);
    const mailer = createCapturingMailer();
    const format = createUsersCsv({ baseUrl: BASE_URL, mailer, now: () => NOW });
    const text = usersFile(300, codes);
    // Someone else creates one of the users between the check and the write.
    const original = UserModel.insertMany.bind(UserModel);
    const patched = async (docs: unknown, options: unknown) => {
      await UserModel.collection.insertOne({ email: 'mratibu150@taasisi.go.tz', name: 'Interloper', role: 'reviewer', active: true });
      return (original as (d: unknown, o: unknown) => Promise<unknown>)(docs, options);
    };
    (UserModel as unknown as { insertMany: unknown }).insertMany = patched;
    let report;
    try {
      report = await runCsvImport(format, text, 'import', actor);
    } finally {
      (UserModel as unknown as { insertMany: unknown }).insertMany = original;
    }
    expect(report.committed).to.equal(false);
    expect(report.writeFailed).to.equal(true);
    expect(report.rolledBack).to.equal(true);
    expect((await UserModel.find().lean()).map((u) => u.name)).to.deep.equal(['Interloper']);
    expect(await AuditEntryModel.countDocuments({ entity: 'User' })).to.equal(0);
    expect(mailer.outbox).to.have.length(0);
  });

  it('when some emails fail, then the import stays written, the failed ones are flagged and the rest are sent a few at a time', async () => {
    const codes = await institutionCodes(2);
    const sent: MailMessage[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const mailer: Mailer = {
      async send(message) {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 2));
        inFlight -= 1;
        if (/^mratibu(3|17)@/.test(message.to)) throw new Error('SMTP 550');
        sent.push(message);
      },
    };
    const format = createUsersCsv({ baseUrl: BASE_URL, mailer, now: () => NOW });
    const report = await runCsvImport(format, usersFile(40, codes), 'import', actor);
    expect(report.committed).to.equal(true);
    expect(await UserModel.countDocuments()).to.equal(40);
    expect(report.notes.filter((n) => n.flag).map((n) => [n.label, n.flag])).to.deep.equal([
      ['mratibu3@taasisi.go.tz', 'csv:report.mailFailed'],
      ['mratibu17@taasisi.go.tz', 'csv:report.mailFailed'],
    ]);
    expect(sent).to.have.length(38);
    expect(maxInFlight).to.be.greaterThan(1);
    expect(maxInFlight).to.be.at.most(8);
  });
});

describe('users CSV import page', () => {
  it('when an email cannot be sent, then the page still reports the import and marks that link in the admin language', async () => {
    const { agent, deps, outbox } = await signedIn('admin');
    const [code] = await institutionCodes(1);
    const send = deps.mailer.send.bind(deps.mailer);
    deps.mailer.send = async (message) => {
      if (message.to === 'b@taasisi.go.tz') throw new Error('SMTP down');
      await send(message);
    };
    const csv = ['email,name,role,institution_code', `a@taasisi.go.tz,A,institution,${code}`, 'b@taasisi.go.tz,B,reviewer,'].join('\n');
    const token = await tokenFrom(agent, '/admin/users/import');
    const res = await agent
      .post(`/admin/users/import`).field('_csrf', token)
      .field('mode', 'import')
      .attach('file', Buffer.from(csv, 'utf8'), { filename: 'users.csv', contentType: 'text/csv' });
    expect(res.status).to.equal(200);
    const page = pageText(res.text);
    expect(page).to.include('Safu 2 zimeingizwa.');
    expect(page).to.match(/<th scope="row">b@taasisi\.go\.tz<\/th><td><code>http:\/\/[^<]+\/set-password\/[A-Za-z0-9_-]{20,}<\/code> <strong class="note-flag">Barua pepe haikuweza kutumwa/);
    expect(page).to.match(/<th scope="row">a@taasisi\.go\.tz<\/th><td><code>http:\/\/[^<]+<\/code><\/td>/);
    expect(outbox.map((m) => m.to)).to.deep.equal(['a@taasisi.go.tz']);
    expect(await UserModel.countDocuments({ email: /@taasisi\.go\.tz$/ })).to.equal(2);
  });
});

describe('users service batch functions', () => {
  it('when many users are validated, then emails and institutions are looked up with one query each', async () => {
    const inst = await createInstitution();
    const existing = await createUser({ role: 'reviewer' });
    const inputs = Array.from({ length: 200 }, (_, i) => ({ name: `U ${i}`, email: `u${i}@ega.go.tz`, role: 'institution', institutionId: String(inst._id) }));
    inputs.push({ name: 'Taken', email: existing.user.email.toUpperCase(), role: 'reviewer', institutionId: '' });
    inputs.push({ name: 'Ghost', email: 'ghost@ega.go.tz', role: 'institution', institutionId: '0123456789abcdef01234567' });
    inputs.push({ name: 'Again', email: 'u5@ega.go.tz', role: 'reviewer', institutionId: '' });
    const { result, ops } = await countQueries(() => validateNewUsers(inputs));
    expect(ops.filter(([c]) => c === 'users')).to.have.length(1);
    expect(ops.filter(([c]) => c === 'institutions')).to.have.length(1);
    expect(result.slice(0, 200).every((r) => r.ok)).to.equal(true);
    expect(result.slice(200).map((r) => (r.ok ? 'ok' : r.errors))).to.deep.equal([
      { email: 'accounts:emailTaken' },
      { institutionId: 'accounts:institutionUnknown' },
      { email: 'accounts:emailTaken' },
    ]);
    expect(await UserModel.countDocuments()).to.equal(1);
  });

  it('when createUsers gets an invalid entry, then it throws ValidationError keyed by index and writes nothing', async () => {
    let caught: unknown;
    try {
      await createUsers([{ name: 'Ok', email: 'ok@ega.go.tz', role: 'reviewer' }, { name: 'Bad', email: 'nope', role: 'reviewer' }], actor, { baseUrl: BASE_URL, now: NOW });
    } catch (err) {
      caught = err;
    }
    expect(caught).to.be.instanceOf(ValidationError);
    expect((caught as ValidationError).fields).to.deep.equal({ '1.email': 'validation:email' });
    expect(await UserModel.countDocuments()).to.equal(0);
    expect(await AuditEntryModel.countDocuments()).to.equal(0);
  });

  it('when createUsers writes, then it uses one insert and one audit entry and returns links that match the stored hashes', async () => {
    const inputs = Array.from({ length: 50 }, (_, i) => ({ name: `R ${i}`, email: `r${i}@ega.go.tz`, role: 'reviewer' }));
    const { result, ops } = await countQueries(() => createUsers(inputs, actor, { baseUrl: BASE_URL, now: NOW }));
    expect(ops.filter(([c, m]) => c === 'users' && m.startsWith('insert'))).to.have.length(1);
    expect(ops.filter(([c]) => c === 'auditentries')).to.have.length(1);
    expect(result).to.have.length(50);
    const stored = await UserModel.findById(result[10]?.id).lean();
    expect(stored?.setPasswordTokenHash).to.equal(hashToken(result[10]?.token ?? ''));
    expect(result[10]?.url).to.equal(`${BASE_URL}/set-password/${result[10]?.token}`);
    const audit = await AuditEntryModel.findOne().lean();
    expect(audit?.action).to.equal('user.createMany');
  });

  it('when the batch insert fails part-way, then createUsers removes what it wrote and says so', async () => {
    const original = UserModel.insertMany.bind(UserModel);
    (UserModel as unknown as { insertMany: unknown }).insertMany = async (docs: unknown, options: unknown) => {
      await UserModel.collection.insertOne({ email: 'r20@ega.go.tz', name: 'Interloper', role: 'reviewer' });
      return (original as (d: unknown, o: unknown) => Promise<unknown>)(docs, options);
    };
    let caught: unknown;
    try {
      await createUsers(Array.from({ length: 40 }, (_, i) => ({ name: `R ${i}`, email: `r${i}@ega.go.tz`, role: 'reviewer' })), actor, { baseUrl: BASE_URL, now: NOW });
    } catch (err) {
      caught = err;
    } finally {
      (UserModel as unknown as { insertMany: unknown }).insertMany = original;
    }
    expect(caught).to.be.instanceOf(UsersBatchWriteError);
    expect((caught as UsersBatchWriteError).rolledBack).to.equal(true);
    expect((await UserModel.find().lean()).map((u) => u.email)).to.deep.equal(['r20@ega.go.tz']);
  });

  it('when the admin form creates one user, then the single-user path still validates and audits it', async () => {
    const user = await createUserService({ name: 'Moja', email: 'moja@ega.go.tz', role: 'reviewer' }, actor, { now: NOW });
    expect(user.email).to.equal('moja@ega.go.tz');
    expect(await AuditEntryModel.countDocuments({ action: 'user.create', entityId: String(user._id) })).to.equal(1);
  });
});
