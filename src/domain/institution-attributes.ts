import { MATURITY_LEVELS, type CouncilType, type InstitutionType, type MaturityLevel } from './reference-data.js';

/** Budget vote (Fungu) codes: letters and digits, e.g. "50", "2001", "B6". */
export const VOTE_CODE = /^[A-Z0-9]{1,10}$/;

export interface InstitutionAttributes {
  type: InstitutionType;
  maturityLevel: MaturityLevel | null;
  maturityAssessedOn: Date | null;
  voteCode: string;
  councilType: CouncilType | null;
}

/** Parses a maturity level cell/field ("3", " 4 "); null for anything that is not a level. */
export function parseMaturityLevel(value: string): MaturityLevel | null {
  const n = Number(value.trim());
  return (MATURITY_LEVELS as readonly number[]).includes(n) ? (n as MaturityLevel) : null;
}

/**
 * The rules that tie an institution's attributes together, as field -> i18n key. Shared by the
 * form, the bulk edit and the CSV import so the three cannot disagree:
 * - only a local government authority has a council type;
 * - a maturity level and its assessment date go together (a level without a date cannot be
 *   placed in an assessment period, a date without a level means nothing).
 */
export function attributeErrors(a: InstitutionAttributes): Record<string, string> {
  const errors: Record<string, string> = {};
  if (a.councilType && a.type !== 'lga') errors.councilType = 'institutions:errors.councilTypeNotLga';
  if (a.maturityLevel !== null && !a.maturityAssessedOn) errors.maturityAssessedOn = 'institutions:errors.maturityDateMissing';
  if (a.maturityLevel === null && a.maturityAssessedOn) errors.maturityLevel = 'institutions:errors.maturityLevelMissing';
  return errors;
}
