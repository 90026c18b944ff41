/**
 * Reporting window rules: submissions are accepted while reportingOpens <= now <= closes, where
 * `closes` is the meeting's reportingCloses or, for an institution with an extension, the later
 * of the two.
 */
export interface ReportingWindow {
  reportingOpens: Date;
  reportingCloses: Date;
}

/** The effective close for one institution given its extension (if any). */
export function effectiveClose(window: ReportingWindow, extendedUntil?: Date | null): Date {
  if (extendedUntil && extendedUntil.getTime() > window.reportingCloses.getTime()) return extendedUntil;
  return window.reportingCloses;
}

export type WindowState = 'not_open' | 'open' | 'closed';

export function windowState(window: ReportingWindow, now: Date, extendedUntil?: Date | null): WindowState {
  if (now.getTime() < window.reportingOpens.getTime()) return 'not_open';
  if (now.getTime() > effectiveClose(window, extendedUntil).getTime()) return 'closed';
  return 'open';
}

export function isWindowOpen(window: ReportingWindow, now: Date, extendedUntil?: Date | null): boolean {
  return windowState(window, now, extendedUntil) === 'open';
}

/** Whole days from `now` until the window closes (ceil), negative when closed. */
export function daysUntilClose(window: ReportingWindow, now: Date, extendedUntil?: Date | null): number {
  const ms = effectiveClose(window, extendedUntil).getTime() - now.getTime();
  return Math.ceil(ms / 86_400_000);
}
