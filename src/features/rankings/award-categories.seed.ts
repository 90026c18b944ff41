/**
 * The demo's award categories: the three e-GA gave for financial year 2023/24 (5th e-Government
 * working session, AICC, February 2025), each judged within e-Government maturity levels.
 * Criteria are the demo meeting's resolutions of the matching subject.
 */
import type { Types } from 'mongoose';
import type { CategoryDefinition } from '../../domain/award-categories.js';
import type { ResolutionCategory } from '../../domain/reference-data.js';
import { ResolutionModel } from '../resolutions/resolution.model.js';

interface DemoCategory {
  key: string;
  name: { sw: string; en: string };
  subjects: ResolutionCategory[];
}

const DEMO_CATEGORIES: DemoCategory[] = [
  {
    key: 'compliance',
    name: {
      sw: 'Utendaji Bora katika Kuzingatia Sheria ya Serikali Mtandao, Viwango na Miongozo',
      en: 'Best Performance in Compliance to the e-Government Act, Standards and Guidelines',
    },
    subjects: ['standards_compliance', 'cybersecurity'],
  },
  {
    key: 'citizen-engagement',
    name: { sw: 'Utendaji Bora katika Matumizi ya TEHAMA Kushirikisha Wananchi', en: 'Best Performance in Utilisation of ICT for Citizen Engagement' },
    subjects: ['digital_services', 'data_management'],
  },
  {
    key: 'govesb',
    name: { sw: 'Utendaji Bora katika Kuunganisha Mifumo ya Serikali Mtandao kupitia GovESB', en: 'Best Performance in e-Government System Integration through GovESB' },
    subjects: ['systems_integration'],
  },
];

/**
 * The three categories for a meeting: judged within maturity levels, up to four ranked winners
 * per level and only with a score of at least 60 (so a level may have fewer winners, or none,
 * as Level 3 had a single winner in 2023/24). A category whose subject has no resolution in the
 * meeting is left out.
 */
export async function demoCategories(meeting: Types.ObjectId): Promise<CategoryDefinition[]> {
  const resolutions = await ResolutionModel.find({ meeting, active: true, carriedOverFrom: null }, { category: 1 }).lean();
  return DEMO_CATEGORIES.flatMap((c) => {
    const criteria = resolutions.filter((r) => c.subjects.includes(r.category as ResolutionCategory)).map((r) => ({ resolutionId: String(r._id), weight: 1 }));
    if (criteria.length === 0) return [];
    return [
      {
        key: c.key,
        name: c.name,
        description: { sw: '' },
        grouping: 'maturity' as const,
        criteria,
        winners: { top: 4, minScore: 60, minGrade: null },
      },
    ];
  });
}
