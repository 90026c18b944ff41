/**
 * Builders for test data. Each call creates fresh documents with unique codes/emails;
 * pass overrides for the fields a test cares about.
 */
import { Types } from 'mongoose';
import type { InstitutionType, Region, ResolutionCategory, Role } from '../../src/domain/reference-data.js';
import { InstitutionModel, type InstitutionDocument } from '../../src/features/institutions/institution.model.js';
import { MeetingModel, type MeetingDocument } from '../../src/features/meetings/meeting.model.js';
import { ResolutionModel, type ResolutionDocument } from '../../src/features/resolutions/resolution.model.js';
import { UserModel, type UserDocument } from '../../src/features/accounts/user.model.js';
import { hashPassword } from '../../src/features/accounts/password.js';
import { testConfig } from './config.js';

let counter = 0;
const next = () => ++counter;

export const DEFAULT_PASSWORD = 'mti-mrefu-wa-mbuyu-2024';

/** scrypt is deliberately slow; cache one hash per password so tests stay quick. */
const hashCache = new Map<string, Promise<string>>();
function cachedHash(password: string): Promise<string> {
  let h = hashCache.get(password);
  if (!h) {
    // The test config's cost, so sign-ins neither take a second each nor rehash.
    h = hashPassword(password, testConfig().passwordCost);
    hashCache.set(password, h);
  }
  return h;
}

const DAY = 24 * 3600 * 1000;

export async function createInstitution(
  overrides: Partial<{ code: string; name: { sw: string; en?: string }; acronym: string; type: InstitutionType; region: Region; active: boolean; parent: Types.ObjectId | null; createdAt: Date }> = {},
): Promise<InstitutionDocument> {
  const n = next();
  return InstitutionModel.create({
    code: `TST-${String(n).padStart(4, '0')}`,
    name: { sw: `Taasisi ya Majaribio ${n}`, en: `Test Institution ${n}` },
    acronym: `TI${n}`,
    type: 'ministry',
    region: 'Dodoma',
    ...overrides,
  });
}

export interface CreatedUser {
  user: UserDocument;
  /** Clear-text password (sign in with it). */
  password: string;
}

/**
 * A user with a password. Role "institution" gets a new institution unless one is given.
 * `password: null` creates a user who has not set a password yet.
 */
export async function createUser(
  options: {
    role?: Role;
    institution?: InstitutionDocument | Types.ObjectId | null;
    password?: string | null;
    email?: string;
    name?: string;
    active?: boolean;
    language?: 'sw' | 'en';
  } = {},
): Promise<CreatedUser> {
  const n = next();
  const role = options.role ?? 'admin';
  let institution: Types.ObjectId | null = null;
  if (options.institution) {
    institution = options.institution instanceof Types.ObjectId ? options.institution : options.institution._id;
  } else if (role === 'institution' && options.institution === undefined) {
    institution = (await createInstitution())._id;
  }
  const password = options.password === undefined ? DEFAULT_PASSWORD : options.password;
  const user = await UserModel.create({
    email: options.email ?? `user${n}-${role}@example.go.tz`,
    name: options.name ?? `Mtumiaji ${n}`,
    role,
    institution,
    passwordHash: password === null ? null : await cachedHash(password),
    active: options.active ?? true,
    language: options.language ?? 'sw',
  });
  return { user, password: password ?? '' };
}

export async function createMeeting(
  overrides: Partial<{
    number: number;
    title: { sw: string; en?: string };
    theme: { sw: string; en?: string };
    venue: string;
    startDate: Date;
    endDate: Date;
    reportingOpens: Date;
    reportingCloses: Date;
    status: 'planned' | 'held' | 'closed';
  }> = {},
): Promise<MeetingDocument> {
  const n = next();
  const start = new Date(Date.now() - 30 * DAY);
  return MeetingModel.create({
    number: 100 + n,
    title: { sw: `Kikao cha ${n} cha Serikali Mtandao`, en: `e-Government session ${n}` },
    theme: { sw: 'Ubadilishanaji salama wa taarifa', en: 'Secure information sharing' },
    venue: 'AICC, Arusha',
    startDate: start,
    endDate: new Date(start.getTime() + 2 * DAY),
    reportingOpens: new Date(start.getTime() + 3 * DAY),
    reportingCloses: new Date(Date.now() + 60 * DAY),
    status: 'held',
    ...overrides,
  });
}

export async function createResolution(
  overrides: Partial<{
    meeting: MeetingDocument | Types.ObjectId;
    number: number;
    title: { sw: string; en?: string };
    text: { sw: string; en?: string };
    category: ResolutionCategory;
    dueDate: Date;
    weight: number;
    appliesTo: InstitutionType[];
    active: boolean;
    carriedOverFrom: Types.ObjectId | null;
  }> = {},
): Promise<ResolutionDocument> {
  const n = next();
  const { meeting: m, ...rest } = overrides;
  const meeting = m ?? (await createMeeting());
  const meetingId = meeting instanceof Types.ObjectId ? meeting : meeting._id;
  return ResolutionModel.create({
    meeting: meetingId,
    number: n,
    title: { sw: `Azimio la majaribio ${n}`, en: `Test resolution ${n}` },
    text: { sw: `Taasisi zote zitekeleze jambo la ${n}.`, en: `All institutions shall implement item ${n}.` },
    category: 'cybersecurity',
    dueDate: new Date(Date.now() + 90 * DAY),
    ...rest,
  });
}
