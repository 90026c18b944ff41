/**
 * View-model pieces every rankings audience shares: translated labels the views look up by
 * value, and an institution's breakdown lines with resolution titles.
 */
import type { Request } from 'express';
import { INSTITUTION_TYPES, PROGRESS_STATUSES } from '../../domain/reference-data.js';
import type { Ranking } from './ranking.model.js';

/** Translated labels the views look up by value: {{lookup @root.labels.types type}}. */
export function labelsFor(t: Request['t']) {
  const map = (keys: readonly string[], prefix: string) => Object.fromEntries(keys.map((k) => [k, t(`${prefix}.${k}`)]));
  return {
    types: map(INSTITUTION_TYPES, 'rankings:types'),
    statuses: map([...PROGRESS_STATUSES, 'not_reported'], 'rankings:statuses'),
    objectionStates: map(['open', 'accepted', 'rejected'], 'rankings:objectionStates'),
    objectionClass: { open: 'warning', accepted: 'success', rejected: 'muted' },
    gradeClass: { A: 'success', B: 'info', C: 'warning', D: 'danger' },
  };
}

export type RankedEntry = Ranking['entries'][number];

/** The entry of an institution code (any case), or null. */
export function findEntry(r: Pick<Ranking, 'entries'>, code: string): RankedEntry | null {
  const wanted = code.trim().toUpperCase();
  return r.entries.find((e) => e.code === wanted) ?? null;
}

/** Breakdown lines enriched with resolution titles for display. */
export function breakdownRows(r: Pick<Ranking, 'parameters'>, entry: RankedEntry) {
  const titles = new Map(r.parameters.resolutions.map((x) => [String(x.resolution), x.title]));
  // claimDiffers: the institution's own claim differs from the counted (verified) value.
  return entry.breakdown.map((b) => ({
    ...b,
    title: titles.get(String(b.resolution)),
    resolutionId: String(b.resolution),
    claimDiffers: b.claimedStatus != null && (b.claimedStatus !== b.status || b.claimedPercent !== b.percent),
  }));
}
