import { createHash, randomBytes } from 'node:crypto';
import { Types, trusted } from 'mongoose';
import { z } from 'zod';
import { ROLES, LANGUAGES, type Role, type Language } from '../../domain/reference-data.js';
import { NotFoundError, ValidationError, BadRequestError } from '../../errors.js';
import { InstitutionModel } from '../institutions/institution.model.js';
import type { Actor } from '../../domain/actor.js';
import { recordAudit } from '../audit/audit.service.js';
import type { MailMessage, Mailer } from '../../mail/mailer.js';
import { logger } from '../../logger.js';
import { translator } from '../../i18n/index.js';
import type { SessionUser } from '../../middleware/express-augment.js';
import { UserModel, type User, type UserDocument } from './user.model.js';
import { hashPassword, passwordProblem, verifyPassword } from './password.js';
import { clearAllFailures, clearFailures, recordFailure, throttledUntil, type LoginClient } from './login-throttle.js';
import { isDuplicateKey } from '../../db/duplicate-key.js';
import { escapeRegex } from '../../domain/escape-regex.js';
import { assertRole } from '../access.js';
import { objectId } from '../../middleware/validate.js';

const log = logger.child({ module: 'users' });

/** Set-password links are valid for 72 hours. */
export const SET_PASSWORD_TTL_MS = 72 * 3600 * 1000;

export function toSessionUser(user: Pick<User, '_id' | 'role' | 'institution' | 'name' | 'email'>): SessionUser {
  return {
    id: user._id.toString(),
    role: user.role as Role,
    institutionId: user.institution ? user.institution.toString() : null,
    name: user.name,
    email: user.email,
  };
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The fields an admin (form or CSV row) gives for a new user. */
export const newUserSchema = z.object({
  name: z.string().trim().min(1).max(200),
  email: z.string().trim().toLowerCase().max(254).pipe(z.email()),
  role: z.enum(ROLES),
  /** Institution id (24 hex) or empty. */
  institutionId: z.preprocess(
    (v) => (v === '' || v === undefined ? null : v),
    objectId().nullable(),
  ),
  title: z.preprocess((v) => v ?? '', z.string().trim().max(200)),
  phone: z.preprocess((v) => v ?? '', z.string().trim().max(50)),
  language: z.preprocess((v) => (v === '' || v === undefined ? 'sw' : v), z.enum(LANGUAGES)),
});
export type NewUserInput = z.input<typeof newUserSchema>;
export type NewUser = z.output<typeof newUserSchema>;

export type NewUserCheck = { ok: true; data: NewUser } | { ok: false; errors: Record<string, string> };

/** Schema check of one new user (no I/O). Errors are field → i18n key. */
function parseNewUser(input: unknown): NewUserCheck {
  const parsed = newUserSchema.safeParse(input ?? {});
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? '_form');
    if (field in errors) continue;
    if (issue.message.startsWith('validation:')) errors[field] = issue.message;
    else if (field === 'email') errors[field] = 'validation:email';
    else if (field === 'role' || field === 'language') errors[field] = 'validation:invalidOption';
    else if (issue.code === 'too_big') errors[field] = 'validation:tooLong';
    else errors[field] = 'validation:required';
  }
  return { ok: false, errors };
}

/** The rules that need the database, given what the database said (shared by single and batch checks). */
function referenceProblems(data: NewUser, facts: { emailTaken: boolean; institutionExists: boolean }): NewUserCheck {
  const errors: Record<string, string> = {};
  if (facts.emailTaken) errors.email = 'accounts:emailTaken';
  if (data.role === 'institution' && !data.institutionId) errors.institutionId = 'accounts:institutionRequired';
  if (data.institutionId && !facts.institutionExists) errors.institutionId = 'accounts:institutionUnknown';
  if (data.role === 'admin' && data.institutionId) errors.institutionId = 'accounts:institutionNotForAdmin';
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, data };
}

/**
 * Validates a new user without writing anything (used by the form and by dry-run CSV imports).
 * Errors are field → i18n key (translate with req.t). `takenEmails` lets an import reject
 * duplicates within the same file.
 */
export async function validateNewUser(input: unknown, options: { takenEmails?: Set<string> } = {}): Promise<NewUserCheck> {
  const parsed = parseNewUser(input);
  if (!parsed.ok) return parsed;
  const data = parsed.data;
  return referenceProblems(data, {
    emailTaken: Boolean(options.takenEmails?.has(data.email) || (await UserModel.exists({ email: data.email }))),
    institutionExists: data.institutionId ? Boolean(await InstitutionModel.exists({ _id: data.institutionId })) : false,
  });
}

/**
 * Validates many new users at once with two queries in all (every email with one `$in`, every
 * institution with one `$in`), whatever the number of users. Same rules and messages as
 * validateNewUser; an email that appears again later in `inputs` is reported as taken on
 * the later entry. Results are in input order.
 */
export async function validateNewUsers(inputs: unknown[]): Promise<NewUserCheck[]> {
  const parsed = inputs.map(parseNewUser);
  const valid = parsed.flatMap((p) => (p.ok ? [p.data] : []));
  const emails = [...new Set(valid.map((d) => d.email))];
  const institutionIds = [...new Set(valid.flatMap((d) => (d.institutionId ? [d.institutionId.toLowerCase()] : [])))];
  const [existingUsers, existingInstitutions] = await Promise.all([
    emails.length > 0 ? UserModel.find({ email: trusted({ $in: emails }) }, { email: 1 }).lean<Array<{ email: string }>>() : [],
    institutionIds.length > 0
      ? InstitutionModel.find({ _id: trusted({ $in: institutionIds.map((id) => new Types.ObjectId(id)) }) }, { _id: 1 }).lean<Array<{ _id: Types.ObjectId }>>()
      : [],
  ]);
  const taken = new Set(existingUsers.map((u) => u.email));
  const institutions = new Set(existingInstitutions.map((i) => i._id.toHexString()));
  const seen = new Set<string>();
  return parsed.map((p) => {
    if (!p.ok) return p;
    const facts = {
      emailTaken: taken.has(p.data.email) || seen.has(p.data.email),
      institutionExists: p.data.institutionId ? institutions.has(p.data.institutionId.toLowerCase()) : false,
    };
    seen.add(p.data.email);
    return referenceProblems(p.data, facts);
  });
}

/** The stored document of a new user (no password yet), shared by createUser and createUsers. */
function newUserDocument(d: NewUser, extra: { _id?: Types.ObjectId; setPasswordTokenHash?: string; setPasswordExpires?: Date } = {}) {
  return {
    ...(extra._id ? { _id: extra._id } : {}),
    name: d.name,
    email: d.email,
    role: d.role,
    institution: d.institutionId ? new Types.ObjectId(d.institutionId) : null,
    title: d.title,
    phone: d.phone,
    language: d.language,
    ...(extra.setPasswordTokenHash ? { setPasswordTokenHash: extra.setPasswordTokenHash, setPasswordExpires: extra.setPasswordExpires } : {}),
  };
}

/** Creates a user with no password yet (they set it through a one-time link). Audited. */
export async function createUser(input: unknown, actor: Actor, options: { now?: Date } = {}): Promise<UserDocument> {
  assertRole(actor, 'admin');
  const check = await validateNewUser(input);
  if (!check.ok) throw new ValidationError(check.errors);
  const d = check.data;
  let user: UserDocument;
  try {
    user = await UserModel.create(newUserDocument(d));
  } catch (err) {
    if (isDuplicateKey(err)) throw new ValidationError({ email: 'accounts:emailTaken' });
    throw err;
  }
  await recordAudit({
    actor,
    actorKind: 'system',
    action: 'user.create',
    entity: 'User',
    entityId: user._id,
    summary: `${d.name} <${d.email}> (${d.role})`,
    after: { name: d.name, email: d.email, role: d.role, institution: d.institutionId, title: d.title },
    at: options.now,
  });
  return user;
}

export interface SetPasswordLink {
  url: string;
  token: string;
  expiresAt: Date;
}

/** A fresh one-time token: the link to hand out and the hash to store (the token itself is never stored). */
function newSetPasswordToken(baseUrl: string, now: Date): SetPasswordLink & { hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token), url: `${baseUrl}/set-password/${token}`, expiresAt: new Date(now.getTime() + SET_PASSWORD_TTL_MS) };
}

/** The set-password email, in the user's language. */
function setPasswordMail(user: { email: string; name: string; language?: string | null }, url: string): MailMessage {
  const t = translator((user.language as Language) ?? 'sw');
  return {
    to: user.email,
    subject: t('accounts:mail.setPasswordSubject') as string,
    text: t('accounts:mail.setPasswordBody', { name: user.name, url, hours: 72 }) as string,
  };
}

/**
 * Issues a one-time set-password link (72 h) for a user, replacing any earlier link.
 * Only the sha256 of the token is stored. The link is emailed and also returned for the admin.
 */
export async function issueSetPasswordLink(
  userId: string,
  actor: Actor,
  ctx: { baseUrl: string; mailer: Mailer; now: Date },
): Promise<SetPasswordLink> {
  assertRole(actor, 'admin');
  const { hash, ...link } = newSetPasswordToken(ctx.baseUrl, ctx.now);
  const user = await UserModel.findOneAndUpdate(
    { _id: new Types.ObjectId(userId) },
    { $set: { setPasswordTokenHash: hash, setPasswordExpires: link.expiresAt } },
    { returnDocument: 'after' },
  );
  if (!user) throw new NotFoundError();
  await ctx.mailer.send(setPasswordMail(user, link.url));
  await recordAudit({
    actor,
    actorKind: 'system',
    action: 'user.setPasswordLink',
    entity: 'User',
    entityId: user._id,
    summary: `${user.email}`,
    after: { setPasswordExpires: link.expiresAt },
    at: ctx.now,
  });
  return link;
}

/** A batch write failed part-way; `rolledBack` tells whether what it had written was removed again. */
export class UsersBatchWriteError extends Error {
  constructor(
    readonly rolledBack: boolean,
    options?: { cause?: unknown },
  ) {
    super('creating users failed part-way', options);
    this.name = 'UsersBatchWriteError';
  }
}

/** One user written by createUsers, with the one-time link to hand out. */
export interface CreatedUserLink extends SetPasswordLink {
  id: string;
  email: string;
  name: string;
  language: Language;
}

/**
 * Creates many users at once, all or nothing: validates them together (validateNewUsers;
 * throws ValidationError keyed "<index>.<field>" if any is invalid), builds every document
 * with its set-password token hash in memory, writes them with one ordered insertMany and, if
 * that fails part-way, deletes the documents this call inserted (fresh ids, so nobody else's
 * are touched) and throws UsersBatchWriteError. Records ONE audit entry listing the emails.
 * Sends no email: pass the result to sendSetPasswordMails once the write has succeeded.
 */
export async function createUsers(
  inputs: unknown[],
  actor: Actor,
  ctx: { baseUrl: string; now: Date; action?: string; summary?: string },
): Promise<CreatedUserLink[]> {
  assertRole(actor, 'admin');
  const checks = await validateNewUsers(inputs);
  const errors: Record<string, string> = {};
  checks.forEach((c, i) => {
    if (!c.ok) for (const [field, key] of Object.entries(c.errors)) errors[`${i}.${field}`] = key;
  });
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
  const users = checks.map((c) => (c as { ok: true; data: NewUser }).data);
  if (users.length === 0) return [];
  const created = users.map((d) => ({ d, id: new Types.ObjectId(), link: newSetPasswordToken(ctx.baseUrl, ctx.now) }));
  const docs = created.map(({ d, id, link }) => newUserDocument(d, { _id: id, setPasswordTokenHash: link.hash, setPasswordExpires: link.expiresAt }));
  try {
    await UserModel.insertMany(docs, { ordered: true });
  } catch (err) {
    let rolledBack = false;
    try {
      await UserModel.deleteMany({ _id: trusted({ $in: created.map((c) => c.id) }) });
      rolledBack = true;
    } catch (cleanupErr) {
      log.error({ err: cleanupErr }, 'could not remove the users of a failed batch');
    }
    throw new UsersBatchWriteError(rolledBack, { cause: err });
  }
  const emails = users.map((d) => d.email);
  const roles: Record<string, number> = {};
  for (const d of users) roles[d.role] = (roles[d.role] ?? 0) + 1;
  await recordAudit({
    actor,
    actorKind: 'system',
    action: ctx.action ?? 'user.createMany',
    entity: 'User',
    entityId: null,
    summary: ctx.summary ?? `${users.length} users created`,
    after: { count: users.length, roles, emails, setPasswordExpires: created[0]?.link.expiresAt },
    at: ctx.now,
  });
  return created.map(({ d, id, link }) => ({
    id: id.toHexString(),
    email: d.email,
    name: d.name,
    language: d.language,
    url: link.url,
    token: link.token,
    expiresAt: link.expiresAt,
  }));
}

/** Emails sent at the same time by sendSetPasswordMails. */
export const MAIL_CONCURRENCY = 8;

/**
 * Emails each user their set-password link, at most `concurrency` at a time. Never throws:
 * a failed email is logged and its address returned, so the caller can report it (the
 * users stay created and the admin still has every link).
 */
export async function sendSetPasswordMails(
  links: Array<Pick<CreatedUserLink, 'email' | 'name' | 'language' | 'url'>>,
  mailer: Mailer,
  concurrency = MAIL_CONCURRENCY,
): Promise<{ failed: string[] }> {
  const failed = new Set<string>();
  let next = 0;
  const worker = async () => {
    while (next < links.length) {
      const link = links[next++] as (typeof links)[number];
      try {
        await mailer.send(setPasswordMail(link, link.url));
      } catch (err) {
        log.warn({ err, to: link.email }, 'set-password email failed');
        failed.add(link.email);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, links.length)) }, worker));
  return { failed: links.filter((l) => failed.has(l.email)).map((l) => l.email) };
}

/** The user a still-valid set-password token belongs to, or null. */
export async function findUserBySetPasswordToken(token: string, now: Date): Promise<UserDocument | null> {
  if (typeof token !== 'string' || token.length < 20 || token.length > 200) return null;
  return UserModel.findOne({
    setPasswordTokenHash: hashToken(token),
    setPasswordExpires: trusted({ $gt: now }),
    active: true,
  });
}

function assertAcceptablePassword(password: string, confirm: string, field = 'password'): void {
  const problem = passwordProblem(password);
  if (problem) throw new ValidationError({ [field]: problem });
  if (password !== confirm) throw new ValidationError({ confirm: 'accounts:passwordMismatch' });
}

/**
 * Sets the password from a one-time link; the link is consumed, sign-in throttling cleared and
 * other sessions ended. Throws NotFoundError for unknown/expired/used tokens.
 */
export async function setPasswordWithToken(token: string, password: string, confirm: string, now: Date, cost?: number): Promise<UserDocument> {
  const user = await findUserBySetPasswordToken(token, now);
  if (!user) throw new NotFoundError('accounts:linkInvalid');
  assertAcceptablePassword(password, confirm);
  const passwordHash = await hashPassword(password, cost);
  // The token hash in the filter makes the link single-use even under concurrent submits.
  const updated = await UserModel.findOneAndUpdate(
    { _id: user._id, setPasswordTokenHash: hashToken(token) },
    {
      $set: { passwordHash, setPasswordTokenHash: null, setPasswordExpires: null },
      $inc: { sessionVersion: 1 },
    },
    { returnDocument: 'after' },
  );
  if (!updated) throw new NotFoundError('accounts:linkInvalid');
  await clearAllFailures(updated._id);
  await recordAudit({
    actor: toSessionUser(updated),
    action: 'user.setPassword',
    entity: 'User',
    entityId: updated._id,
    summary: `${updated.email}`,
    at: now,
  });
  return updated;
}

/**
 * Changes the signed-in user's password after checking the current one; other sessions end.
 * Wrong current passwords count towards the same per-(account, client) throttle as sign-in
 * (a stolen session must not become a way to guess the password).
 */
export async function changePassword(
  userId: string,
  input: { current: string; password: string; confirm: string },
  now: Date,
  ctx: { client: LoginClient; cost?: number },
): Promise<UserDocument> {
  const user = await UserModel.findById(userId);
  if (!user || !user.active) throw new NotFoundError();
  if (await throttledUntil(user._id, ctx.client, now)) throw new ValidationError({ current: 'accounts:tooManyAttempts' });
  if (!(await verifyPassword(input.current, user.passwordHash))) {
    await recordFailure(user._id, ctx.client, now);
    throw new ValidationError({ current: 'accounts:currentPasswordWrong' });
  }
  await clearFailures(user._id, ctx.client);
  assertAcceptablePassword(input.password, input.confirm);
  if (input.password === input.current) throw new ValidationError({ password: 'accounts:passwordSame' });
  const updated = await UserModel.findOneAndUpdate(
    { _id: user._id, passwordHash: user.passwordHash },
    { $set: { passwordHash: await hashPassword(input.password, ctx.cost) }, $inc: { sessionVersion: 1 } },
    { returnDocument: 'after' },
  );
  if (!updated) throw new NotFoundError();
  await recordAudit({
    actor: toSessionUser(updated),
    action: 'user.changePassword',
    entity: 'User',
    entityId: updated._id,
    summary: updated.email,
    at: now,
  });
  return updated;
}

/** Deactivates or reactivates a user. Deactivation ends the user's sessions. Admins cannot deactivate themselves. */
export async function setUserActive(userId: string, active: boolean, actor: Actor, now: Date): Promise<UserDocument> {
  assertRole(actor, 'admin');
  if (!active && actor.id === userId) throw new BadRequestError('accounts:cannotDeactivateSelf');
  const update = active
    ? { $set: { active: true } }
    : { $set: { active: false, setPasswordTokenHash: null, setPasswordExpires: null }, $inc: { sessionVersion: 1 } };
  const before = await UserModel.findById(userId);
  if (!before) throw new NotFoundError();
  if (before.active === active) return before;
  const user = await UserModel.findByIdAndUpdate(userId, update, { returnDocument: 'after' });
  if (!user) throw new NotFoundError();
  if (active) await clearAllFailures(user._id);
  await recordAudit({
    actor,
    action: active ? 'user.reactivate' : 'user.deactivate',
    entity: 'User',
    entityId: user._id,
    summary: user.email,
    before: { active: before.active },
    after: { active },
    at: now,
  });
  return user;
}

export interface UserListFilter {
  q?: string;
  role?: Role;
  institution?: string;
  active?: boolean;
  page: number;
  pageSize?: number;
}


/** Users matching the filter, sorted by name, with their institution's names. */
export async function listUsers(filter: UserListFilter, actor: Actor) {
  assertRole(actor, 'admin');
  const pageSize = filter.pageSize ?? 25;
  const query: Record<string, unknown> = {};
  if (filter.q) {
    const rx = new RegExp(escapeRegex(filter.q.trim()), 'i');
    query.$or = [{ name: rx }, { email: rx }];
  }
  if (filter.role) query.role = filter.role;
  if (filter.institution) query.institution = new Types.ObjectId(filter.institution);
  if (filter.active !== undefined) query.active = filter.active;
  const total = await UserModel.countDocuments(query);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(filter.page, pages);
  const users = await UserModel.find(query)
    .sort({ name: 1, _id: 1 })
    .skip((page - 1) * pageSize)
    .limit(pageSize)
    .populate('institution', 'name code acronym')
    .select('-passwordHash -setPasswordTokenHash')
    .lean();
  return { users, total, page, pages };
}

export async function getUser(id: string): Promise<UserDocument> {
  if (!/^[a-f0-9]{24}$/i.test(id)) throw new NotFoundError();
  const user = await UserModel.findById(id).populate('institution', 'name code acronym');
  if (!user) throw new NotFoundError();
  return user;
}

/** All users for CSV export (no secrets). */
export async function exportUsers(actor: Actor) {
  assertRole(actor, 'admin');
  return UserModel.find({}).sort({ email: 1 }).populate('institution', 'code').select('-passwordHash -setPasswordTokenHash').lean();
}


/**
 * Creates an administrator with a password directly (CLI `npm run create-admin`, first setup
 * against a real MongoDB). Same validation as the admin form plus the password rules. Audited as system.
 */
export async function createAdminAccount(input: { email: string; name: string; password: string }, now: Date): Promise<UserDocument> {
  const check = await validateNewUser({ email: input.email, name: input.name, role: 'admin' });
  if (!check.ok) throw new ValidationError(check.errors);
  const problem = passwordProblem(input.password);
  if (problem) throw new ValidationError({ password: problem });
  const user = await UserModel.create({
    email: check.data.email,
    name: check.data.name,
    role: 'admin',
    passwordHash: await hashPassword(input.password),
  });
  await recordAudit({
    actor: null,
    actorKind: 'system',
    action: 'user.create',
    entity: 'User',
    entityId: user._id,
    summary: `${user.email} (admin) — create-admin`,
    after: { email: user.email, role: 'admin' },
    at: now,
  });
  return user;
}
