/**
 * Whole-meeting scenarios shared by the browser tests: the Fourth e-Government Stakeholders
 * Session with its three resolutions, a set of real-looking institutions, and verified progress.
 */
import type { InstitutionType, Region } from '../../src/domain/reference-data.js';
import type { InstitutionDocument } from '../../src/features/institutions/institution.model.js';
import type { ResolutionDocument } from '../../src/features/resolutions/resolution.model.js';
import { createInstitution, createMeeting, createResolution } from './fixtures.js';
import { daysAgo, progressRow, DAY, type ValueSpec } from '../integration/public/public-fixtures.js';

/** Code, Kiswahili name, English name, type, region. */
const STAKEHOLDER_INSTITUTIONS: ReadonlyArray<readonly [string, string, string, InstitutionType, Region]> = [
  ['MOF', 'Wizara ya Fedha', 'Ministry of Finance', 'ministry', 'Dodoma'],
  ['MOH', 'Wizara ya Afya', 'Ministry of Health', 'ministry', 'Dodoma'],
  ['MOE', 'Wizara ya Elimu', 'Ministry of Education', 'ministry', 'Dodoma'],
  ['TRA', 'Mamlaka ya Mapato Tanzania', 'Tanzania Revenue Authority', 'executive_agency', 'Dar es Salaam'],
  ['EGA', 'Mamlaka ya Serikali Mtandao', 'e-Government Authority', 'executive_agency', 'Dodoma'],
  ['TANESCO', 'Shirika la Umeme Tanzania', 'Tanzania Electric Supply Company', 'public_corporation', 'Dar es Salaam'],
  ['ARU-CC', 'Halmashauri ya Jiji la Arusha', 'Arusha City Council', 'lga', 'Arusha'],
  ['MWZ-CC', 'Halmashauri ya Jiji la Mwanza', 'Mwanza City Council', 'lga', 'Mwanza'],
  ['DOM-CC', 'Halmashauri ya Jiji la Dodoma', 'Dodoma City Council', 'lga', 'Dodoma'],
  ['RS-ARU', 'Sekretarieti ya Mkoa wa Arusha', 'Arusha Regional Secretariat', 'regional_secretariat', 'Arusha'],
  ['RS-MWZ', 'Sekretarieti ya Mkoa wa Mwanza', 'Mwanza Regional Secretariat', 'regional_secretariat', 'Mwanza'],
  ['NBS', 'Ofisi ya Taifa ya Takwimu', 'National Bureau of Statistics', 'independent_department', 'Dodoma'],
];

type MeetingOverrides = NonNullable<Parameters<typeof createMeeting>[0]>;

export interface StakeholderMeetingOptions {
  /** Extra meeting fields (e.g. the reporting window). */
  meeting?: MeetingOverrides;
  /** Resolution 1 fell due this many days ago. */
  firstDueDaysAgo: number;
  /** Title and text of resolution 3 (capacity building); leave out `en` to test the Kiswahili fallback. */
  capacity: { title: { sw: string; en?: string }; text?: { sw: string; en?: string } };
  /** Which institutions to create (in the list's order); all twelve when left out. */
  institutionCodes?: readonly string[];
}

/** Creates the meeting, its three resolutions (in order) and the chosen institutions (in order). */
export async function seedStakeholderMeeting(opts: StakeholderMeetingOptions) {
  const meeting = await createMeeting({
    number: 4,
    title: { sw: 'Kikao cha Nne cha Wadau wa Serikali Mtandao', en: 'Fourth e-Government Stakeholders Session' },
    theme: { sw: 'Ubadilishanaji salama wa taarifa', en: 'Secure information sharing' },
    venue: 'AICC, Arusha',
    ...opts.meeting,
  });
  const resolutions = [
    await createResolution({
      meeting,
      number: 1,
      title: { sw: 'Kuimarisha usalama wa mifumo ya TEHAMA', en: 'Strengthen ICT systems security' },
      text: { sw: 'Kila taasisi ianzishe timu ya kukabiliana na matukio ya usalama wa mtandao.', en: 'Every institution shall set up a cybersecurity incident response team.' },
      dueDate: new Date(Date.now() - opts.firstDueDaysAgo * DAY),
    }),
    await createResolution({ meeting, number: 2, title: { sw: 'Kuunganisha mifumo na GovESB', en: 'Connect systems to GovESB' }, category: 'systems_integration', appliesTo: ['ministry', 'executive_agency'] }),
    await createResolution({ meeting, number: 3, ...opts.capacity, category: 'human_capacity' }),
  ];
  const codes = opts.institutionCodes;
  const institutions: InstitutionDocument[] = [];
  for (const [code, sw, en, type, region] of STAKEHOLDER_INSTITUTIONS) {
    if (codes && !codes.includes(code)) continue;
    institutions.push(await createInstitution({ code, acronym: code, name: { sw, en }, type, region }));
  }
  return { meeting, resolutions, institutions };
}

export interface ProgressPlan {
  /** The latest verified values, picked in turn (by the running count of applicable pairs). */
  values: ReadonlyArray<Omit<ValueSpec, 'at'>>;
  /** Every this-many-th applicable pair never reported. */
  skipEvery: number;
  /** Days ago of the latest verification for the n-th applicable pair. */
  verifiedDaysAgo: (n: number) => number;
  /** A pair that only has a claim waiting for a reviewer (checked before skipping). */
  claimOnly?: (institution: InstitutionDocument, resolution: ResolutionDocument) => ValueSpec | undefined;
}

/**
 * For every resolution × applicable institution: a completed claim 12 days ago, verified at 20%
 * 30 days ago and then at the plan's value; some pairs left unreported or only claimed.
 */
export async function seedVerifiedProgress(resolutions: ResolutionDocument[], institutions: InstitutionDocument[], plan: ProgressPlan): Promise<void> {
  let n = 0;
  for (const r of resolutions) {
    for (const inst of institutions) {
      if (!r.appliesTo.includes(inst.type)) continue;
      n += 1;
      const claim = plan.claimOnly?.(inst, r);
      if (claim) {
        await progressRow(inst, r, { claimed: claim });
        continue;
      }
      if (n % plan.skipEvery === 0) continue; // never reported
      await progressRow(inst, r, {
        claimed: { status: 'completed', percent: 100, at: daysAgo(12) },
        verified: [{ status: 'in_progress', percent: 20, at: daysAgo(30) }, { ...plan.values[n % plan.values.length], at: daysAgo(plan.verifiedDaysAgo(n)) }],
      });
    }
  }
}

/**
 * The meeting the public-review browser tests walk through: the stakeholder meeting with its 12
 * institutions, a mix of four verified values (every fifth pair never reported).
 */
export async function seedReviewedMeeting(meeting: MeetingOverrides = {}) {
  const seeded = await seedStakeholderMeeting({
    meeting,
    firstDueDaysAgo: 20,
    capacity: { title: { sw: 'Kuwajengea uwezo watumishi wa TEHAMA', en: 'Build the capacity of ICT staff' } },
  });
  await seedVerifiedProgress(seeded.resolutions, seeded.institutions, {
    values: [
      { status: 'completed', percent: 100 },
      { status: 'in_progress', percent: 60 },
      { status: 'not_started', percent: 0 },
      { status: 'in_progress', percent: 30 },
    ],
    skipEvery: 5,
    verifiedDaysAgo: (n) => 10 - (n % 7),
  });
  return seeded;
}
