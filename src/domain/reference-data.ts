/** Reference lists shared by models, validation, views and the seed. */

export const LANGUAGES = ['sw', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const INSTITUTION_TYPES = [
  'ministry',
  'independent_department',
  'executive_agency',
  'regional_secretariat',
  'lga',
  'public_corporation',
  'other',
] as const;
export type InstitutionType = (typeof INSTITUTION_TYPES)[number];

/**
 * e-Government capability-maturity levels as e-GA assesses them (1 lowest, 5 highest); awards
 * are judged within a level (the 2023/24 awards judged Level 3 and Level 4 separately).
 */
export const MATURITY_LEVELS = [1, 2, 3, 4, 5] as const;
export type MaturityLevel = (typeof MATURITY_LEVELS)[number];

/** Kinds of local government council (only for institutions of type `lga`). */
export const COUNCIL_TYPES = ['city', 'municipal', 'town', 'district'] as const;
export type CouncilType = (typeof COUNCIL_TYPES)[number];

/** Regions under Zanzibar's own e-Government body: kept in the data, out of e-GA's scope by default. */
export const ZANZIBAR_REGIONS = ['Kaskazini Pemba', 'Kusini Pemba', 'Kaskazini Unguja', 'Kusini Unguja', 'Mjini Magharibi'] as const;

/** The 31 administrative regions of Tanzania (26 mainland, 5 Zanzibar). */
export const REGIONS = [
  'Arusha', 'Dar es Salaam', 'Dodoma', 'Geita', 'Iringa', 'Kagera', 'Katavi', 'Kigoma',
  'Kilimanjaro', 'Lindi', 'Manyara', 'Mara', 'Mbeya', 'Morogoro', 'Mtwara', 'Mwanza',
  'Njombe', 'Pwani', 'Rukwa', 'Ruvuma', 'Shinyanga', 'Simiyu', 'Singida', 'Songwe',
  'Tabora', 'Tanga',
  'Kaskazini Pemba', 'Kusini Pemba', 'Kaskazini Unguja', 'Kusini Unguja', 'Mjini Magharibi',
] as const;
export type Region = (typeof REGIONS)[number];

export const RESOLUTION_CATEGORIES = [
  'cybersecurity',
  'connectivity',
  'systems_integration',
  'standards_compliance',
  'human_capacity',
  'data_management',
  'digital_services',
  'other',
] as const;
export type ResolutionCategory = (typeof RESOLUTION_CATEGORIES)[number];

export const MEETING_STATUSES = ['planned', 'held', 'closed'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

export const ROLES = ['admin', 'reviewer', 'institution'] as const;
export type Role = (typeof ROLES)[number];

export const PROGRESS_STATUSES = ['not_started', 'in_progress', 'completed', 'not_applicable'] as const;
export type ProgressStatus = (typeof PROGRESS_STATUSES)[number];

/** A text people read, stored in both languages; English may be missing. */
export interface LocalizedText {
  sw: string;
  en?: string;
}

/** The text in `lang`, falling back to the other language (Kiswahili is always present). */
export function localize(text: LocalizedText | undefined, lang: Language): string {
  if (!text) return '';
  return lang === 'en' ? text.en || text.sw : text.sw || text.en || '';
}
