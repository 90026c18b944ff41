import type { ProgressStatus } from './reference-data.js';

/**
 * Status/percent consistency and evidence rules for a progress claim.
 * Pure functions; every problem is reported as an i18n key in the "progress" namespace so the
 * caller can show it in the user's language.
 */

/** The value an institution claims or a reviewer records. */
export interface ProgressValue {
  status: ProgressStatus;
  percent: number;
}

export interface ClaimInput extends ProgressValue {
  /** What was done, what is left, obstacles; for not_applicable, the justification. */
  narrative: string;
  /** Files plus links attached to this version. */
  evidenceCount: number;
}

/** Field name -> i18n key of the problem ("progress:rules.…"). */
export type RuleIssues = Partial<Record<'status' | 'percent' | 'narrative' | 'evidence', string>>;

export const MAX_EVIDENCE_FILES = 5;
/** Evidence file size limit, in MB (messages) and bytes (multer, checks): one constant. */
export const MAX_EVIDENCE_FILE_MB = 10;
export const MAX_EVIDENCE_FILE_BYTES = MAX_EVIDENCE_FILE_MB * 1024 * 1024;
export const MAX_EVIDENCE_LINKS = 10;
export const MAX_NARRATIVE_LENGTH = 10_000;

/** The percent range a status allows: [min, max] inclusive. */
export function percentRange(status: ProgressStatus): readonly [number, number] {
  switch (status) {
    case 'not_started':
      return [0, 0];
    case 'in_progress':
      return [1, 99];
    case 'completed':
      return [100, 100];
    case 'not_applicable':
      return [0, 0];
  }
}

/**
 * The percent stored for a value: not_started -> 0, completed -> 100, not_applicable -> 0
 * (the percent is meaningless there and ignored), in_progress -> as given.
 */
export function normalizePercent(status: ProgressStatus, percent: number): number {
  if (status === 'not_started' || status === 'not_applicable') return 0;
  if (status === 'completed') return 100;
  return percent;
}

/** Problems with a status/percent pair, if any (not_applicable ignores the percent). */
export function checkValue(value: ProgressValue): RuleIssues {
  const issues: RuleIssues = {};
  if (!Number.isFinite(value.percent) || !Number.isInteger(value.percent) || value.percent < 0 || value.percent > 100) {
    issues.percent = 'progress:rules.percentRange';
    return issues;
  }
  if (value.status === 'not_applicable') return issues;
  const [min, max] = percentRange(value.status);
  if (value.percent < min || value.percent > max) {
    issues.percent = `progress:rules.percentFor.${value.status}`;
  }
  return issues;
}

/** Problems with a whole claim: value consistency, justification, evidence for completed. */
export function checkClaim(claim: ClaimInput): RuleIssues {
  const issues = checkValue(claim);
  const narrative = claim.narrative.trim();
  if (claim.status === 'not_applicable' && narrative.length === 0) {
    issues.narrative = 'progress:rules.justificationRequired';
  }
  if (narrative.length > MAX_NARRATIVE_LENGTH) {
    issues.narrative = 'progress:rules.narrativeTooLong';
  }
  if (claim.status === 'completed' && claim.evidenceCount < 1) {
    issues.evidence = 'progress:rules.evidenceRequired';
  }
  return issues;
}

export function hasIssues(issues: RuleIssues): boolean {
  return Object.keys(issues).length > 0;
}

/** True when a reviewer's value differs from the claim (a reason is then required). */
export function isAdjusted(claim: ProgressValue | null | undefined, verdict: ProgressValue): boolean {
  if (!claim) return true;
  return claim.status !== verdict.status || normalizePercent(claim.status, claim.percent) !== normalizePercent(verdict.status, verdict.percent);
}

/** What an institution still has to do for a row (shown on the dashboard). */
export type MissingReason = 'no_report' | 'returned' | 'evidence_missing';

export function missingFor(row: {
  state: string;
  claimed: ProgressValue | null | undefined;
  claimedEvidenceCount: number;
}): MissingReason[] {
  const missing: MissingReason[] = [];
  if (row.state === 'no_report' || !row.claimed) missing.push('no_report');
  if (row.state === 'returned') missing.push('returned');
  if (row.claimed && row.claimed.status === 'completed' && row.claimedEvidenceCount < 1) missing.push('evidence_missing');
  return missing;
}

/** Days a newly added institution has for a resolution whose due date is already (nearly) past. */
export const NEW_INSTITUTION_GRACE_DAYS = 90;
/** A row counts as "due soon" this many days before its due date. */
export const DUE_SOON_DAYS = 30;
const DAY_MS = 86_400_000;

/**
 * The due date that applies to one institution: the resolution's, unless the institution was
 * added to Maazimio less than NEW_INSTITUTION_GRACE_DAYS before it (or after it) — then it is
 * that many days after the institution was added, so an institution added mid-cycle does not
 * start with every row overdue.
 */
export function effectiveDueDate(resolutionDue: Date, institutionAddedAt: Date | null | undefined): Date {
  if (!institutionAddedAt) return resolutionDue;
  const grace = institutionAddedAt.getTime() + NEW_INSTITUTION_GRACE_DAYS * DAY_MS;
  return grace > resolutionDue.getTime() ? new Date(grace) : resolutionDue;
}

/** Not overdue yet, but due within DUE_SOON_DAYS and not completed/not applicable. */
export function isDueSoon(dueDate: Date, value: ProgressValue | null | undefined, now: Date): boolean {
  const left = dueDate.getTime() - now.getTime();
  if (left < 0 || left > DUE_SOON_DAYS * DAY_MS) return false;
  return !value || (value.status !== 'completed' && value.status !== 'not_applicable');
}

/** A row is overdue when its due date has passed and the best known value is not completed/not applicable. */
export function isOverdue(dueDate: Date, value: ProgressValue | null | undefined, now: Date): boolean {
  if (dueDate.getTime() >= now.getTime()) return false;
  return !value || (value.status !== 'completed' && value.status !== 'not_applicable');
}
