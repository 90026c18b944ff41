/**
 * The stored form of a ranking entry's breakdown lines.
 *
 * A ranking of 1,000 institutions × 20 resolutions has 20,000 breakdown lines. As sub-documents
 * they made a 5 MB document, half of it field names, encoded and decoded three times per write
 * (driver, server, journal) and held as 20,000 objects by the server. Each entry now stores its
 * lines as one string `lines`: lines separated by ";", fields by ",":
 *
 *   number,status,percent,verifiedAt,gainIfCompletedExact,gainIfCompleted,claimedStatus,claimedPercent,corrected
 *
 * - status and claimedStatus: one-letter codes (STATUS_CODES); an unknown status is written in full.
 * - percent, gainIfCompleted, claimedPercent: numbers as JavaScript prints them (`String(n)`),
 *   read back with `Number()` (an exact round trip); empty = null.
 * - verifiedAt: milliseconds since 1970 (UTC); empty = null. corrected: "1" or empty.
 * - The resolution id and weight are those of `parameters.resolutions` with the same number
 *   (numbers are unique within a meeting, and the ranking scores with exactly those weights);
 *   `counted` and `points` follow from status and percent by the rule of src/domain/scoring.ts.
 *
 * Rankings stored before this layout carry `breakdown` sub-documents and read unchanged.
 * Whatever is read through rankings.read.ts has `breakdown` either way (expandEntries).
 *
 * Why it is kept (issue 14, bench/ranking-fastpaths.bench.ts, one draft of 1,000 entries × 20
 * lines, engine in-process, 2-core VM at load average ≈ 20 from other work, medians of 7):
 *   lines as strings, driver insertOne             112 ms wall,    28 ms CPU   (1.0 MB stored)
 *   lines as strings, RankingModel.create        1,160 ms wall,   262 ms CPU
 *   lines as sub-documents, RankingModel.create 12,701 ms wall, 3,124 ms CPU   (4.9 MB stored)
 *   reading it back with its lines: strings + decode 155 ms wall / 33 ms CPU; sub-documents
 *   493 ms wall / 131 ms CPU.
 * Without the compact lines every draft write costs seconds (target 500 ms per ranking), so this
 * codec stays; and so does the driver write (validation through the model adds 234 ms CPU per
 * write). What the model would check is guaranteed where the snapshot is built
 * (snapshot.builder.ts checks every line against the ranking's parameters).
 */
import type { Types } from 'mongoose';
import type { BreakdownLine } from '../domain/scoring.js';

/**
 * One breakdown line as the rankings feature uses it (and as old rankings store it): the scored
 * line of src/domain/scoring.ts with the resolution as an ObjectId, plus the institution's claim
 * and whether an accepted objection corrected it.
 */
export type StoredBreakdownLine = Omit<BreakdownLine, 'resolutionId' | 'status'> & {
  resolution: Types.ObjectId;
  status: string;
  claimedStatus: string | null;
  claimedPercent: number | null;
  corrected: boolean;
};

/** The ranked resolutions of a ranking (its `parameters.resolutions`). */
export interface CodecResolution {
  resolution: Types.ObjectId;
  number: number;
  weight: number;
}

/** Fixed forever: stored rankings depend on these letters. */
const STATUS_CODES: Readonly<Record<string, string>> = {
  not_started: 's',
  in_progress: 'p',
  completed: 'c',
  not_applicable: 'n',
  not_reported: 'r',
};
const STATUS_OF_CODE: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(STATUS_CODES).map(([k, v]) => [v, k]));

const encStatus = (s: string | null): string => (s === null ? '' : (STATUS_CODES[s] ?? s));
const decStatus = (s: string): string | null => (s === '' ? null : (STATUS_OF_CODE[s] ?? s));
const encNum = (n: number | null): string => (n === null ? '' : String(n));
const decNum = (s: string): number | null => (s === '' ? null : Number(s));

/** The points a line counts, exactly as computeRanking derives them. */
export function pointsOf(status: string, percent: number | null): number | null {
  if (status === 'not_applicable') return null;
  if (status === 'not_reported') return 0;
  return status === 'completed' ? 100 : percent;
}

/** The fields a line's string holds (the rest follows from the ranking's parameters). */
export interface EncodableLine {
  number: number;
  status: string;
  percent: number | null;
  verifiedAt: Date | null;
  gainIfCompletedExact: string | null;
  gainIfCompleted: number | null;
  claimedStatus: string | null;
  claimedPercent: number | null;
  corrected: boolean;
}

/** One line's string (no separators inside: statuses, numbers and "n/d" never hold , or ;). */
export function encodeLine(l: EncodableLine): string {
  return `${l.number},${encStatus(l.status)},${encNum(l.percent)},${l.verifiedAt === null ? '' : l.verifiedAt.getTime()},${l.gainIfCompletedExact ?? ''},${encNum(l.gainIfCompleted)},${encStatus(l.claimedStatus)},${encNum(l.claimedPercent)},${l.corrected ? '1' : ''}`;
}

/** An entry's `lines` string. */
export function encodeLines(lines: readonly EncodableLine[]): string {
  return lines.map(encodeLine).join(';');
}

/** Decodes an entry's `lines` string; `byNumber` maps resolution numbers to the ranking's resolutions. */
export function decodeLines(text: string, byNumber: ReadonlyMap<number, CodecResolution>): StoredBreakdownLine[] {
  if (text === '') return [];
  const parts = text.split(';');
  const out: StoredBreakdownLine[] = new Array<StoredBreakdownLine>(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const f = parts[i].split(',');
    const number = Number(f[0]);
    const res = byNumber.get(number);
    if (!res) throw new Error(`ranking breakdown line names resolution ${number}, which the ranking's parameters do not list`);
    const status = decStatus(f[1]) as string;
    const percent = decNum(f[2]);
    out[i] = {
      resolution: res.resolution,
      number,
      weight: res.weight,
      status,
      percent,
      points: pointsOf(status, percent),
      verifiedAt: f[3] === '' ? null : new Date(Number(f[3])),
      counted: status !== 'not_applicable',
      gainIfCompletedExact: f[4] === '' ? null : f[4],
      gainIfCompleted: decNum(f[5]),
      claimedStatus: decStatus(f[6]),
      claimedPercent: decNum(f[7]),
      corrected: f[8] === '1',
    };
  }
  return out;
}

interface EntryLike {
  lines?: string | null;
  breakdown?: unknown[];
}

interface RankingLike {
  parameters?: { resolutions?: readonly CodecResolution[] } | null;
  entries?: EntryLike[] | null;
}

/**
 * Gives every entry of a ranking read from the database its `breakdown` array: entries stored
 * in the compact layout are decoded (and lose `lines`), older ones are left as they are.
 * Mutates and returns `doc` (a fresh lean document). Needs `parameters.resolutions` when any
 * entry is compact.
 */
export function expandEntries<T extends RankingLike>(doc: T): T {
  const entries = doc.entries;
  if (!entries) return doc;
  let byNumber: Map<number, CodecResolution> | undefined;
  for (const e of entries) {
    if (typeof e.lines !== 'string') continue;
    byNumber ??= new Map((doc.parameters?.resolutions ?? []).map((r) => [r.number, r]));
    e.breakdown = decodeLines(e.lines, byNumber);
    delete e.lines;
  }
  return doc;
}
