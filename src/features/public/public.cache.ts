import { MeetingModel } from '../meetings/meeting.model.js';
import { ResolutionModel } from '../resolutions/resolution.model.js';
import { InstitutionModel } from '../institutions/institution.model.js';
import { ProgressItemModel, ProgressReportModel } from '../progress/progress.model.js';
import { AuditEntryModel } from '../audit/audit.model.js';
import { RankingModel } from '../rankings/ranking.model.js';

/**
 * A short-lived in-process memo for the public pages' aggregates.
 *
 * An entry is reused only while (a) it is younger than the TTL and (b) the data stamp is
 * unchanged. The stamp is made of cheap document counts: every verification adds a
 * ProgressReport, and every write through the services adds an audit entry, so a change to the
 * data that public pages show changes the stamp. The TTL bounds staleness for writes that
 * bypass both (direct database edits) and for other app instances' in-flight writes.
 * The stamp itself is re-read at most every `stampTtlMs` (concurrent callers share one read).
 */
export interface PublicCacheOptions {
  /** 0 disables the memo (every call recomputes). */
  ttlMs: number;
  stampTtlMs: number;
  maxEntries: number;
}

let options: PublicCacheOptions = { ttlMs: 0, stampTtlMs: 0, maxEntries: 200 };

interface Entry {
  stamp: string;
  at: number;
  value: Promise<unknown>;
}

const entries = new Map<string, Entry>();
let stampCache: { at: number; value: Promise<string> } | null = null;

export function configurePublicCache(next: Partial<PublicCacheOptions>): void {
  options = { ...options, ...next };
  clearPublicCache();
}

/** Forgets everything (e.g. after a bulk import, or between tests). */
export function clearPublicCache(): void {
  entries.clear();
  stampCache = null;
}

async function readStamp(): Promise<string> {
  const counts = await Promise.all([
    MeetingModel.estimatedDocumentCount(),
    ResolutionModel.estimatedDocumentCount(),
    InstitutionModel.estimatedDocumentCount(),
    ProgressItemModel.estimatedDocumentCount(),
    ProgressReportModel.estimatedDocumentCount(),
    AuditEntryModel.estimatedDocumentCount(),
    RankingModel.estimatedDocumentCount(),
  ]);
  return counts.join(':');
}

function currentStamp(now: number): Promise<string> {
  if (!stampCache || now - stampCache.at >= options.stampTtlMs) {
    const value = readStamp();
    stampCache = { at: now, value };
    value.catch(() => {
      if (stampCache?.value === value) stampCache = null;
    });
  }
  return stampCache.value;
}

/** Returns the memoised value for `key`, computing it when missing, stale or disabled. */
export async function memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
  if (options.ttlMs <= 0) return compute();
  const now = Date.now();
  const stamp = await currentStamp(now);
  const hit = entries.get(key);
  if (hit && hit.stamp === stamp && now - hit.at < options.ttlMs) return hit.value as Promise<T>;
  const value = compute();
  entries.set(key, { stamp, at: now, value });
  value.catch(() => {
    if (entries.get(key)?.value === value) entries.delete(key);
  });
  if (entries.size > options.maxEntries) {
    const oldest = entries.keys().next().value;
    if (oldest !== undefined) entries.delete(oldest);
  }
  return value;
}
