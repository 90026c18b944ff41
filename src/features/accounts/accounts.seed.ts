import type { Types } from 'mongoose';
import { INSTITUTION_TYPES } from '../../domain/reference-data.js';
import { InstitutionModel } from '../institutions/institution.model.js';
import { recordAudit } from '../audit/audit.service.js';
import { UserModel } from './user.model.js';
import { generateReadablePassword, hashPassword } from './password.js';

export interface DemoAccount {
  role: 'admin' | 'reviewer' | 'institution';
  name: string;
  email: string;
  password: string;
  institution?: string;
}

/**
 * Demo accounts: one admin, one reviewer and one institution user for the first institution of
 * each type present. Passwords are random and readable; they are returned (for printing once)
 * and never stored in clear. Accounts whose email already exists are skipped (not returned).
 */
export async function seedAccounts(now: Date, passwordCost?: number): Promise<DemoAccount[]> {
  const accounts: DemoAccount[] = [
    { role: 'admin', name: 'Asha Mwakyusa', email: 'admin@maazimio.go.tz', password: generateReadablePassword() },
    { role: 'reviewer', name: 'Baraka Mollel', email: 'mhakiki@maazimio.go.tz', password: generateReadablePassword() },
  ];
  const institutionIds = new Map<string, Types.ObjectId>();
  for (const type of INSTITUTION_TYPES) {
    const inst = await InstitutionModel.findOne({ type, active: true }).sort({ code: 1 }).lean();
    if (!inst) continue;
    const slug = (inst.acronym || inst.code).toLowerCase().replace(/[^a-z0-9]+/g, '');
    const email = `${slug}@maazimio.go.tz`;
    institutionIds.set(email, inst._id);
    accounts.push({
      role: 'institution',
      name: `Mratibu ${inst.acronym || inst.code}`,
      email,
      password: generateReadablePassword(),
      institution: inst.name.sw,
    });
  }
  const created: DemoAccount[] = [];
  for (const a of accounts) {
    // Idempotent: `npm run seed -- --force` on a database that already has them skips them.
    if (!(await UserModel.exists({ email: a.email }))) created.push(a);
  }
  // The memory-hard hash dominates the first start: hash on the thread pool side by side.
  const hashes = await Promise.all(created.map((a) => hashPassword(a.password, passwordCost)));
  for (const [i, a] of created.entries()) {
    const user = await UserModel.create({
      name: a.name,
      email: a.email,
      role: a.role,
      institution: institutionIds.get(a.email) ?? null,
      passwordHash: hashes[i],
      title: a.role === 'institution' ? 'Mratibu wa Serikali Mtandao' : 'Afisa, e-GA',
    });
    await recordAudit({
      actor: null,
      actorKind: 'system',
      action: 'user.create',
      entity: 'User',
      entityId: user._id,
      summary: `${a.email} (${a.role}) — demo data`,
      after: { email: a.email, role: a.role },
      at: now,
    });
  }
  return created;
}
