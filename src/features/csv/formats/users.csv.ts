import { z } from 'zod';
import { trusted, type Types } from 'mongoose';
import type { Mailer } from '../../../mail/mailer.js';
import { UserModel } from '../../accounts/user.model.js';
import { createUser, exportUsers, issueSetPasswordLink, validateNewUser, type NewUser } from '../../accounts/users.service.js';
import { InstitutionModel } from '../../institutions/institution.model.js';
import { auditWrite } from '../audit.js';
import { CsvCommitError, type CsvFormat, type CsvMessage } from '../csv.engine.js';

export const USER_COLUMNS = ['email', 'name', 'role', 'institution_code', 'title', 'phone', 'language'] as const;

const cell = z.preprocess((v) => (typeof v === 'string' ? v.trim() : ''), z.string());
const userRowSchema = z.object({
  email: cell,
  name: cell,
  role: cell,
  institution_code: cell.transform((s) => s.toUpperCase()),
  title: cell,
  phone: cell,
  language: cell,
});
type UserRow = z.infer<typeof userRowSchema>;

/** validateNewUser reports by its own field names; the report names CSV columns. */
const COLUMN_OF_FIELD: Record<string, string> = { institutionId: 'institution_code' };

/** Rows checked / users written at the same time (each is a few database round trips). */
const CHECK_CONCURRENCY = 25;
const WRITE_CONCURRENCY = 10;

/** Runs `work` over `items`, at most `size` at a time; rejects with the first failure after the batch settles. */
async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += size) {
    const results = await Promise.allSettled(items.slice(start, start + size).map(work));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}

export interface UsersCsvDeps {
  baseUrl: string;
  mailer: Mailer;
  now: () => Date;
}

/**
 * Users: validated by the accounts service (validateNewUser); each imported user is created
 * with createUser and gets a one-time set-password link, listed in the report.
 */
export function createUsersCsv(deps: UsersCsvDeps): CsvFormat<UserRow, NewUser> {
  return {
    name: 'users',
    columns: USER_COLUMNS,
    requiredColumns: ['email', 'name', 'role'],
    rowSchema: userRowSchema,
    label: (raw) => (raw.email ?? '').trim().toLowerCase(),

    async check(rows) {
      const institutions = await InstitutionModel.find({}, { code: 1 }).lean<Array<{ _id: Types.ObjectId; code: string }>>();
      const idByCode = new Map(institutions.map((i) => [i.code, String(i._id)]));
      const messages: CsvMessage[][] = rows.map(() => []);
      // Duplicates inside the file are found here (order matters); each row is then checked by
      // the accounts service, several at a time (each check asks the database about its email).
      const firstLine = new Map<string, number>();
      rows.forEach((row, i) => {
        if (!row?.email) return;
        const email = row.email.toLowerCase();
        if (firstLine.has(email)) messages[i]?.push({ key: 'csv:errors.duplicateInFile', params: { line: firstLine.get(email) }, column: 'email' });
        else firstLine.set(email, i + 2);
      });
      const checked: Array<NewUser | null> = rows.map(() => null);
      await inBatches(rows.map((row, i) => ({ row, i })), CHECK_CONCURRENCY, async ({ row, i }) => {
        const rowMessages = messages[i] as CsvMessage[];
        if (!row) return;
        let institutionId: string | null = null;
        if (row.institution_code) {
          institutionId = idByCode.get(row.institution_code) ?? null;
          if (!institutionId) {
            rowMessages.push({ key: 'csv:errors.unknownReference', params: { value: row.institution_code }, column: 'institution_code' });
          }
        }
        const check = await validateNewUser({
          name: row.name,
          email: row.email,
          role: row.role,
          institutionId: institutionId ?? '',
          title: row.title,
          phone: row.phone,
          language: row.language,
        });
        if (!check.ok) {
          for (const [field, key] of Object.entries(check.errors)) {
            // An unknown institution code is already reported above.
            if (field === 'institutionId' && row.institution_code && !institutionId) continue;
            rowMessages.push({ key, column: COLUMN_OF_FIELD[field] ?? field });
          }
        } else if (rowMessages.length === 0) {
          checked[i] = check.data;
        }
      });
      const prepared = checked.filter((u): u is NewUser => u !== null);
      return { messages, prepared };
    },

    async commit(prepared, actor) {
      const created: string[] = [];
      const notes: Array<{ label: string; value: string }> = [];
      try {
        await inBatches(prepared, WRITE_CONCURRENCY, async (input) => {
          const user = await createUser(input, actor, { now: deps.now() });
          created.push(String(user._id));
        });
      } catch (err) {
        let rolledBack = false;
        try {
          await UserModel.deleteMany({ _id: trusted({ $in: created }) });
          rolledBack = true;
        } catch {
          rolledBack = false;
        }
        throw new CsvCommitError('user import failed', rolledBack, { cause: err });
      }
      // Links are issued only once every user exists, so a rollback never leaves sent links behind.
      const users = await UserModel.find({ _id: trusted({ $in: created }) }, { email: 1 }).lean<Array<{ _id: Types.ObjectId; email: string }>>();
      const idByEmail = new Map(users.map((u) => [u.email, String(u._id)]));
      const links = new Map<string, string>();
      await inBatches(prepared, WRITE_CONCURRENCY, async (input) => {
        const id = idByEmail.get(input.email);
        if (!id) return;
        const link = await issueSetPasswordLink(id, actor, { baseUrl: deps.baseUrl, mailer: deps.mailer, now: deps.now() });
        links.set(input.email, link.url);
      });
      for (const input of prepared) notes.push({ label: input.email, value: links.get(input.email) ?? '' });
      await auditWrite(actor, 'user.import', 'User', null, null, { count: created.length, emails: prepared.map((p) => p.email) }, `CSV import: ${created.length} users`);
      return { inserted: created.length, notes };
    },

    async exportRows() {
      const users = await exportUsers();
      return users.map((u) => ({
        email: u.email,
        name: u.name,
        role: u.role,
        institution_code: (u.institution as unknown as { code?: string } | null)?.code ?? '',
        title: u.title ?? '',
        phone: u.phone ?? '',
        language: u.language ?? 'sw',
      }));
    },
  };
}
