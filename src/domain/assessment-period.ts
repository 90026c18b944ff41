/**
 * Assessment periods: what a ranking assesses. Tanzania's public financial year runs 1 July to
 * 30 June and e-GA gives its awards per financial year ("2023/24"), so that is the default.
 */

export interface AssessmentPeriod {
  /** "2023/24" */
  label: string;
  /** First day, UTC midnight. */
  starts: Date;
  /** Last day, UTC midnight. */
  ends: Date;
}

/** Who may see a ranking's "needs improvement" list. */
export const LAGGARD_VISIBILITY = ['public', 'institutions', 'hidden'] as const;
export type LaggardVisibility = (typeof LAGGARD_VISIBILITY)[number];

const FY_LABEL = /^(\d{4})\/(\d{2})$/;

/** The financial year that starts on 1 July of `startYear`. */
export function financialYear(startYear: number): AssessmentPeriod {
  return {
    label: `${startYear}/${String((startYear + 1) % 100).padStart(2, '0')}`,
    starts: new Date(Date.UTC(startYear, 6, 1)),
    ends: new Date(Date.UTC(startYear + 1, 5, 30)),
  };
}

/** The financial year a moment falls in (in East Africa Time, UTC+3). */
export function financialYearOf(at: Date): AssessmentPeriod {
  const eat = new Date(at.getTime() + 3 * 3600 * 1000);
  const y = eat.getUTCFullYear();
  return financialYear(eat.getUTCMonth() >= 6 ? y : y - 1);
}

/** Parses "2023/24" (the second part must be the next year); null otherwise. */
export function parseFinancialYear(label: string): AssessmentPeriod | null {
  const m = FY_LABEL.exec(label.trim());
  if (!m) return null;
  const start = Number(m[1]);
  if ((start + 1) % 100 !== Number(m[2])) return null;
  return financialYear(start);
}

/** The financial years offered in forms: the one of `now` and the four before it, latest first. */
export function recentFinancialYears(now: Date, count = 5): AssessmentPeriod[] {
  const current = financialYearOf(now).starts.getUTCFullYear();
  return Array.from({ length: count }, (_, i) => financialYear(current - i));
}
