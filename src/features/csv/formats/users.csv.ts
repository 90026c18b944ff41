import { z } from 'zod';
import { trusted, type Types } from 'mongoose';
import type { Mailer } from '../../../mail/mailer.js';
import { createUsers, exportUsers, sendSetPasswordMails, UsersBatchWriteError, validateNewUsers, type CreatedUserLink, type NewUser } from '../../accounts/users.service.js';
import { ValidationError } from '../../../errors.js';
import { InstitutionModel } from '../../institutions/institution.model.js';
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

/** The accounts service reports by its own field names; the report names CSV columns. */
const COLUMN_OF_FIELD: Record<string, string> = { institutionId: 'institution_code' };

export interface UsersCsvDeps {
  baseUrl: string;
  mailer: Mailer;
  now: () => Date;
}

/**
 * Users: every row is checked by the accounts service in one batch (validateNewUsers: two
 * queries whatever the number of rows); an import creates them all with createUsers (one
 * insertMany, one audit entry), then emails the set-password links a few at a time. Links are
 * listed in the report; a link whose email failed is marked so the admin hands it over.
 */
export function createUsersCsv(deps: UsersCsvDeps): CsvFormat<UserRow, NewUser> {
  return {
    name: 'users',
    columns: USER_COLUMNS,
    requiredColumns: ['email', 'name', 'role'],
    rowSchema: userRowSchema,
    label: (raw) => (raw.email ?? '').trim().toLowerCase(),

    async check(rows) {
      const codes = [...new Set(rows.flatMap((row) => (row?.institution_code ? [row.institution_code] : [])))];
      const institutions = codes.length > 0 ? await InstitutionModel.find({ code: trusted({ $in: codes }) }, { code: 1 }).lean<Array<{ _id: Types.ObjectId; code: string }>>() : [];
      const idByCode = new Map(institutions.map((i) => [i.code, String(i._id)]));
      const messages: CsvMessage[][] = rows.map(() => []);
      // Duplicates inside the file are reported here with the line of the first occurrence.
      const firstLine = new Map<string, number>();
      const duplicate = rows.map(() => false);
      rows.forEach((row, i) => {
        if (!row?.email) return;
        const email = row.email.toLowerCase();
        if (firstLine.has(email)) {
          messages[i]?.push({ key: 'csv:errors.duplicateInFile', params: { line: firstLine.get(email) }, column: 'email' });
          duplicate[i] = true;
        } else firstLine.set(email, i + 2);
      });
      const present = rows.flatMap((row, i) => (row ? [{ row, i }] : []));
      const unknownCode = new Set<number>();
      const checks = await validateNewUsers(
        present.map(({ row, i }) => {
          let institutionId = '';
          if (row.institution_code) {
            institutionId = idByCode.get(row.institution_code) ?? '';
            if (!institutionId) {
              unknownCode.add(i);
              messages[i]?.push({ key: 'csv:errors.unknownReference', params: { value: row.institution_code }, column: 'institution_code' });
            }
          }
          return { name: row.name, email: row.email, role: row.role, institutionId, title: row.title, phone: row.phone, language: row.language };
        }),
      );
      const checked: Array<NewUser | null> = rows.map(() => null);
      checks.forEach((check, k) => {
        const i = (present[k] as { i: number }).i;
        const rowMessages = messages[i] as CsvMessage[];
        if (!check.ok) {
          for (const [field, key] of Object.entries(check.errors)) {
            // Already reported above: an unknown institution code, a repeat of an earlier row.
            if (field === 'institutionId' && unknownCode.has(i)) continue;
            if (field === 'email' && key === 'accounts:emailTaken' && duplicate[i]) continue;
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
      let links: CreatedUserLink[];
      try {
        links = await createUsers(prepared, actor, {
          baseUrl: deps.baseUrl,
          now: deps.now(),
          action: 'user.import',
          summary: `CSV import: ${prepared.length} users`,
        });
      } catch (err) {
        if (err instanceof UsersBatchWriteError) throw new CsvCommitError('user import failed', err.rolledBack, { cause: err });
        // Rows were checked just before; a ValidationError here means someone else wrote in between.
        if (err instanceof ValidationError) throw new CsvCommitError('user import failed', true, { cause: err });
        throw err;
      }
      // Emails go out only once every user exists (a rollback never leaves sent links behind),
      // several at a time; a failed email does not undo the import, it is marked in the report.
      const { failed } = await sendSetPasswordMails(links, deps.mailer);
      const failedSet = new Set(failed);
      const notes = links.map((l) => ({ label: l.email, value: l.url, ...(failedSet.has(l.email) ? { flag: 'csv:report.mailFailed' } : {}) }));
      return { inserted: links.length, notes };
    },

    async exportRows(actor) {
      const users = await exportUsers(actor);
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
