import { AsyncLocalStorage } from 'node:async_hooks';
import { MeetingModel } from '../meetings/meeting.model.js';
import { ResolutionModel } from '../resolutions/resolution.model.js';
import { InstitutionModel } from '../institutions/institution.model.js';
import { ProgressItemModel, ProgressReportModel } from '../progress/progress.model.js';
import { AuditEntryModel } from '../audit/audit.model.js';
import { RankingModel } from '../rankings/ranking.model.js';

/**
 * An in-process memo for the public pages' aggregates and rendered pages.
 *
 * Entries are keyed by a data stamp made of cheap document counts: every verification adds a
 * ProgressReport, and every write through the services adds an audit entry, so a change to the
 * data that public pages show changes the stamp. When the stamp has changed, the old value is
 * still served (stale-while-revalidate) while one refresh runs in the background, so readers
 * never wait for the heavy aggregation after a write; a value older than `ttlMs` is never served.
 * The stamp itself is re-read at most every `stampTtlMs` (concurrent callers share one read, and
 * use the previous stamp while it is in flight — see currentStamp).
 * `ttlMs: 0` turns the memo off (tests: every request reads the database it just wrote).
 */
export interface PublicCacheOptions {
  ttlMs: number;
  stampTtlMs: number;
  maxEntries: number;
}

let options: PublicCacheOptions = { ttlMs: 0, stampTtlMs: 0, maxEntries: 500 };

interface Entry {
  stamp: string;
  at: number;
  value: Promise<unknown>;
  settled: boolean;
  /** The value once settled, for synchronous readers (peekFresh). */
  resolved?: unknown;
  /** The background refresh in flight, and the stamp it computes for. */
  refresh?: Promise<unknown>;
  refreshStamp?: string;
}

/**
 * Marks code running inside a memo computation. A value stored under stamp S must be built only
 * from values consistent with S, so nested memo calls never serve stale values: they wait for
 * the fresh one. Stale values are served only to top-level readers.
 */
const computing = new AsyncLocalStorage<true>();
const inComputation = <T>(fn: () => Promise<T>): Promise<T> => computing.run(true, fn);

const entries = new Map<string, Entry>();
let stampCache: { at: number; value: Promise<string>; settled?: string } | null = null;
/** The stamp of the last successful read, served while the next read is in flight. */
let knownStamp: string | undefined;

export function configurePublicCache(next: Partial<PublicCacheOptions>): void {
  options = { ...options, ...next };
  clearPublicCache();
}

export function publicCacheEnabled(): boolean {
  return options.ttlMs > 0;
}

/** Forgets everything (e.g. after a bulk import, or between tests). */
export function clearPublicCache(): void {
  entries.clear();
  stampCache = null;
  knownStamp = undefined;
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

/**
 * The data stamp, re-read at most every `stampTtlMs`. While a re-read is in flight, readers get
 * the stamp of the last successful read instead of waiting for the database (so a slow answer
 * from the database never stalls every public reader at once); a change is seen as soon as the
 * re-read lands. With `stampTtlMs: 0`, or after a failed read, readers wait for the read.
 */
function currentStamp(now: number): string | Promise<string> {
  if (!stampCache || now - stampCache.at >= options.stampTtlMs) {
    const value = readStamp();
    const read: { at: number; value: Promise<string>; settled?: string } = { at: now, value };
    stampCache = read;
    value.then(
      (stamp) => {
        read.settled = stamp;
        if (stampCache === read) knownStamp = stamp;
      },
      () => {
        if (stampCache === read) {
          stampCache = null;
          knownStamp = undefined;
        }
      },
    );
  }
  if (stampCache.settled !== undefined) return stampCache.settled;
  if (options.stampTtlMs > 0 && knownStamp !== undefined) return knownStamp;
  return stampCache.value;
}

function store(key: string, stamp: string, now: number, value: Promise<unknown>): Entry {
  const entry: Entry = { stamp, at: now, value, settled: false };
  value.then(
    (resolved) => {
      entry.settled = true;
      entry.resolved = resolved;
    },
    () => {
      if (entries.get(key) === entry) entries.delete(key);
    },
  );
  entries.delete(key);
  entries.set(key, entry);
  while (entries.size > options.maxEntries) {
    const oldest = entries.keys().next().value;
    if (oldest === undefined) break;
    entries.delete(oldest);
  }
  return entry;
}

/** Returns the memoised value for `key`, computing it when missing, refreshing it when stale. */
export async function memo<T>(key: string, compute: () => Promise<T>): Promise<T> {
  if (options.ttlMs <= 0) return compute();
  const nested = computing.getStore() === true;
  const now = Date.now();
  const stamp = await currentStamp(now);
  const hit = entries.get(key);
  if (hit && now - hit.at < options.ttlMs) {
    if (hit.stamp === stamp) return hit.value as Promise<T>;
    if (hit.refresh && hit.refreshStamp === stamp) {
      return (nested || !hit.settled ? hit.refresh : hit.value) as Promise<T>;
    }
    if (hit.settled && !nested) {
      const refresh = inComputation(compute);
      hit.refresh = refresh;
      hit.refreshStamp = stamp;
      refresh.then(
        (resolved) => {
          if (entries.get(key) !== hit) return;
          const fresh = store(key, stamp, Date.now(), refresh);
          fresh.settled = true;
          fresh.resolved = resolved;
        },
        () => {
          if (hit.refresh === refresh) hit.refresh = undefined;
        },
      );
      return hit.value as Promise<T>;
    }
  }
  return store(key, stamp, now, inComputation(compute)).value as Promise<T>;
}

/**
 * The value memoised under `key` when it is computed and current (same data stamp, within the
 * TTL), else undefined. Never computes nor refreshes: a caller that gets undefined takes the
 * normal path (memo), which serves stale values and starts refreshes as usual.
 */
export async function peekFresh<T>(key: string): Promise<T | undefined> {
  if (options.ttlMs <= 0) return undefined;
  const hit = entries.get(key);
  if (!hit?.settled) return undefined;
  const now = Date.now();
  if (now - hit.at >= options.ttlMs) return undefined;
  const stamp = await currentStamp(now);
  return hit.stamp === stamp && entries.get(key) === hit ? (hit.resolved as T) : undefined;
}
