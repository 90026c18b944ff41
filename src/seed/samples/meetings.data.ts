import type { InstitutionType, MeetingStatus, ResolutionCategory } from '../../domain/reference-data.js';

export interface SampleMeeting {
  number: number;
  title: { sw: string; en: string };
  theme: { sw: string; en: string };
  venue: string;
  startDate: string;
  endDate: string;
  reportingOpens: string;
  /** A fixed date, or null for "60 days after the seed runs" (keeps the demo window open). */
  reportingCloses: string | null;
  status: MeetingStatus;
}

export interface SampleResolution {
  meeting: number;
  number: number;
  title: { sw: string; en: string };
  text: { sw: string; en: string };
  category: ResolutionCategory;
  dueDate: string;
  weight: number;
  appliesTo?: InstitutionType[];
  /** "meeting/number" of the resolution this one continues. */
  carriedOverFrom?: string;
}

export const SAMPLE_MEETINGS: SampleMeeting[] = [
  {
    number: 3,
    title: { sw: 'Kikao Kazi cha Tatu cha Serikali Mtandao', en: 'Third e-Government Working Session' },
    theme: {
      sw: 'Mifumo Jumuishi ya TEHAMA kwa Utoaji Bora wa Huduma kwa Umma',
      en: 'Integrated ICT Systems for Better Public Service Delivery',
    },
    venue: 'AICC, Arusha',
    startDate: '2023-02-07',
    endDate: '2023-02-09',
    reportingOpens: '2023-03-01',
    reportingCloses: '2024-01-31',
    status: 'closed',
  },
  {
    number: 4,
    title: { sw: 'Kikao Kazi cha Nne cha Serikali Mtandao', en: 'Fourth e-Government Working Session' },
    theme: {
      sw: 'Uzingatiaji wa Sheria, Sera, Kanuni, Viwango na Miongozo ya Serikali Mtandao kwa ubadilishanaji Salama wa Taarifa',
      en: 'Compliance with e-Government Laws, Policies, Regulations, Standards and Guidelines for the Secure Exchange of Information',
    },
    venue: 'AICC, Arusha',
    startDate: '2024-02-06',
    endDate: '2024-02-08',
    reportingOpens: '2024-03-01',
    reportingCloses: null,
    status: 'held',
  },
];

/**
 * Sample wording: paraphrased from what published news reports said the sessions resolved.
 * It is not the official text of the resolutions and is labelled as such in the interface.
 */
export const SAMPLE_RESOLUTIONS: SampleResolution[] = [
  // 3rd session (2023)
  {
    meeting: 3,
    number: 1,
    title: { sw: 'Kusajili mifumo yote ya TEHAMA kwa Mamlaka ya Serikali Mtandao', en: 'Register all ICT systems with the e-Government Authority' },
    text: {
      sw: 'Taasisi zote za umma ziwasilishe kwa Mamlaka ya Serikali Mtandao orodha ya mifumo yote ya TEHAMA inayotumika pamoja na taarifa zake za msingi ili kuwezesha usimamizi na uratibu wa mifumo Serikalini.',
      en: 'All public institutions submit to the e-Government Authority a list of every ICT system in use, with its basic details, so that government systems can be managed and coordinated.',
    },
    category: 'standards_compliance',
    dueDate: '2023-06-30',
    weight: 1,
  },
  {
    meeting: 3,
    number: 2,
    title: { sw: 'Kuunganisha mifumo kupitia Mfumo wa Ubadilishanaji Taarifa Serikalini', en: 'Integrate systems through the Government data exchange platform' },
    text: {
      sw: 'Taasisi za umma ziunganishe mifumo yao inayohitaji kubadilishana taarifa kupitia jukwaa la Serikali la ubadilishanaji taarifa badala ya kuunganisha mfumo mmoja mmoja moja kwa moja.',
      en: 'Public institutions connect their systems that need to exchange information through the Government data exchange platform instead of point-to-point connections.',
    },
    category: 'systems_integration',
    dueDate: '2023-12-31',
    weight: 2,
  },
  {
    meeting: 3,
    number: 3,
    title: { sw: 'Kutumia barua pepe rasmi za Serikali', en: 'Use official Government email' },
    text: {
      sw: 'Watumishi wa umma watumie barua pepe rasmi za Serikali kwa mawasiliano yote ya kikazi na kuacha kutumia huduma binafsi za barua pepe.',
      en: 'Public servants use official Government email for all work communication and stop using personal email services.',
    },
    category: 'digital_services',
    dueDate: '2023-06-30',
    weight: 1,
  },
  {
    meeting: 3,
    number: 4,
    title: { sw: 'Kuanzisha vitengo vya TEHAMA vyenye watumishi wa kutosha', en: 'Establish adequately staffed ICT units' },
    text: {
      sw: 'Taasisi ambazo hazina vitengo vya TEHAMA zianzishe vitengo hivyo na kuajiri au kupanga watumishi wenye ujuzi stahiki wa TEHAMA.',
      en: 'Institutions without ICT units establish them and recruit or deploy staff with the appropriate ICT skills.',
    },
    category: 'human_capacity',
    dueDate: '2023-12-31',
    weight: 1,
  },

  // 4th session (2024)
  {
    meeting: 4,
    number: 1,
    title: {
      sw: 'Kuzingatia Sheria ya Serikali Mtandao, kanuni, viwango na miongozo yake',
      en: 'Comply with the e-Government Act, its regulations, standards and guidelines',
    },
    text: {
      sw: 'Taasisi zote za umma zizingatie Sheria ya Serikali Mtandao Na. 10 ya mwaka 2019, Kanuni zake za mwaka 2020 pamoja na viwango na miongozo inayotolewa na Mamlaka ya Serikali Mtandao katika kupanga, kujenga, kununua na kuendesha mifumo na huduma za TEHAMA.',
      en: 'All public institutions comply with the e-Government Act No. 10 of 2019, its 2020 Regulations and the standards and guidelines issued by the e-Government Authority when planning, building, procuring and operating ICT systems and services.',
    },
    category: 'standards_compliance',
    dueDate: '2024-06-30',
    weight: 2,
  },
  {
    meeting: 4,
    number: 2,
    title: {
      sw: 'Kubadilishana taarifa kwa usalama kupitia GovESB',
      en: 'Share data securely through the Government Enterprise Service Bus (GovESB)',
    },
    text: {
      sw: 'Taasisi za umma zijiunge na Mfumo wa Ubadilishanaji Taarifa Serikalini (GovESB) na kuhakikisha kuwa mifumo yote inayobadilishana taarifa na taasisi nyingine inaunganishwa kupitia GovESB.',
      en: 'Public institutions join the Government Enterprise Service Bus (GovESB) and ensure that every system that exchanges data with other institutions is integrated through GovESB.',
    },
    category: 'systems_integration',
    dueDate: '2024-12-31',
    weight: 3,
  },
  {
    meeting: 4,
    number: 3,
    title: {
      sw: 'Kuimarisha usalama wa mifumo na taarifa za Serikali',
      en: 'Strengthen the security of government systems and information',
    },
    text: {
      sw: 'Taasisi ziandae na kutekeleza sera na mpango wa usalama wa TEHAMA, zifanye tathmini ya vihatarishi vya usalama mara kwa mara na ziripoti matukio ya kiusalama kwa Kituo cha Serikali cha Usalama wa Mtandao.',
      en: 'Institutions prepare and implement an ICT security policy and plan, assess security risks regularly and report security incidents to the Government cyber security operations centre.',
    },
    category: 'cybersecurity',
    dueDate: '2024-09-30',
    weight: 3,
  },
  {
    meeting: 4,
    number: 4,
    title: {
      sw: 'Kutumia Mtandao wa Mawasiliano Serikalini (GovNet)',
      en: 'Use the Government Communication Network (GovNet)',
    },
    text: {
      sw: 'Taasisi za umma zitumie Mtandao wa Mawasiliano Serikalini (GovNet) kwa mawasiliano ya ndani na kati ya taasisi, na kupunguza matumizi ya mitandao isiyo salama.',
      en: 'Public institutions use the Government Communication Network (GovNet) for communication within and between institutions and reduce their use of insecure networks.',
    },
    category: 'connectivity',
    dueDate: '2024-12-31',
    weight: 2,
  },
  {
    meeting: 4,
    number: 5,
    title: {
      sw: 'Kuhifadhi mifumo katika Kituo cha Taifa cha Data na wingu la Serikali',
      en: 'Host systems in the Government data centre and government cloud',
    },
    text: {
      sw: 'Mifumo na taarifa za Serikali zihifadhiwe katika vituo vya data vya Serikali na huduma ya wingu la Serikali, na taasisi zihamishe mifumo iliyohifadhiwa nje ya miundombinu ya Serikali.',
      en: 'Government systems and data are hosted in Government data centres and the government cloud service, and institutions migrate systems hosted outside government infrastructure.',
    },
    category: 'data_management',
    dueDate: '2025-06-30',
    weight: 2,
  },
  {
    meeting: 4,
    number: 6,
    title: {
      sw: 'Kujenga uwezo wa rasilimali watu katika TEHAMA',
      en: 'Build ICT human capacity',
    },
    text: {
      sw: 'Taasisi ziandae mpango wa mafunzo na kuwajengea uwezo watumishi wa TEHAMA na watumishi wengine katika matumizi salama ya TEHAMA, ikiwemo mafunzo ya uelewa wa usalama wa mtandao.',
      en: 'Institutions prepare a training plan and build the capacity of ICT staff and other staff in the safe use of ICT, including cyber security awareness training.',
    },
    category: 'human_capacity',
    dueDate: '2024-12-31',
    weight: 1,
  },
  {
    meeting: 4,
    number: 7,
    title: {
      sw: 'Kuboresha mifumo na huduma za Serikali Mtandao kwa wananchi',
      en: 'Improve e-Government systems and services for citizens',
    },
    text: {
      sw: 'Taasisi ziongeze idadi ya huduma zinazotolewa kwa njia ya kielektroniki, zihakikishe huduma hizo zinapatikana kupitia Tovuti Kuu ya Serikali na simu za mkononi, na zitumie mfumo wa e-Mrejesho kupokea maoni ya wananchi.',
      en: 'Institutions increase the number of services offered electronically, make them available through the Government portal and on mobile phones, and use the e-Mrejesho system to receive citizens\u2019 feedback.',
    },
    category: 'digital_services',
    dueDate: '2025-06-30',
    weight: 2,
  },
  {
    meeting: 4,
    number: 8,
    title: {
      sw: 'Kulinda taarifa binafsi kwa mujibu wa Sheria ya Ulinzi wa Taarifa Binafsi',
      en: 'Protect personal data in line with the Personal Data Protection Act',
    },
    text: {
      sw: 'Taasisi zinazokusanya na kuchakata taarifa binafsi zijisajili kama inavyotakiwa na Sheria ya Ulinzi wa Taarifa Binafsi ya mwaka 2022 na ziweke taratibu za kulinda taarifa hizo.',
      en: 'Institutions that collect and process personal data register as the Personal Data Protection Act of 2022 requires and put in place procedures to protect that data.',
    },
    category: 'data_management',
    dueDate: '2024-12-31',
    weight: 2,
  },
  {
    meeting: 4,
    number: 9,
    title: {
      sw: 'Kuwasilisha miradi ya TEHAMA kwa Mamlaka ya Serikali Mtandao kwa ushauri kabla ya utekelezaji',
      en: 'Submit ICT projects to the e-Government Authority for advice before implementation',
    },
    text: {
      sw: 'Kabla ya kuanza kutekeleza au kununua mifumo ya TEHAMA, taasisi ziwasilishe miradi hiyo kwa Mamlaka ya Serikali Mtandao ili kupata ushauri na kuepuka urudufu wa mifumo Serikalini.',
      en: 'Before building or procuring ICT systems, institutions submit the projects to the e-Government Authority for advice, to avoid duplicate systems across government.',
    },
    category: 'standards_compliance',
    dueDate: '2024-06-30',
    weight: 1,
  },
  {
    meeting: 4,
    number: 10,
    title: {
      sw: 'Kutenga bajeti kwa ajili ya utekelezaji wa Serikali Mtandao',
      en: 'Allocate budget for e-Government implementation',
    },
    text: {
      sw: 'Taasisi zitenge bajeti ya kutosha katika mipango yao ya kila mwaka kwa ajili ya kutekeleza maazimio ya Serikali Mtandao, ikiwemo usalama wa mifumo na kujenga uwezo wa watumishi.',
      en: 'Institutions allocate adequate funds in their annual plans to implement the e-Government resolutions, including system security and staff capacity building.',
    },
    category: 'other',
    dueDate: '2024-06-30',
    weight: 1,
  },
  {
    meeting: 4,
    number: 11,
    title: { sw: 'Kuanzisha vitengo vya TEHAMA vyenye watumishi wa kutosha', en: 'Establish adequately staffed ICT units' },
    text: {
      sw: 'Taasisi ambazo hazina vitengo vya TEHAMA zianzishe vitengo hivyo na kuajiri au kupanga watumishi wenye ujuzi stahiki wa TEHAMA.',
      en: 'Institutions without ICT units establish them and recruit or deploy staff with the appropriate ICT skills.',
    },
    category: 'human_capacity',
    dueDate: '2024-12-31',
    weight: 1,
    carriedOverFrom: '3/4',
  },
];
