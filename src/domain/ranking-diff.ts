/**
 * The difference between two versions of a ranking: who moved, by how much, and which counted
 * values changed. Pure: plain data in, plain data out (the rankings feature stores the result
 * with the new version, and the public page shows it).
 */

/** One ranked institution as the diff reads it (a stored entry with its breakdown lines). */
export interface DiffEntry<Id = unknown> {
  institution: Id;
  code: string;
  name: { sw: string; en?: string | null };
  rank: number;
  score: number;
  breakdown: readonly { number: number; status: string; percent?: number | null; corrected?: boolean | null }[];
}

/** A resolution whose counted value changed between the two versions. */
export interface DiffReason {
  number: number;
  fromStatus: string;
  fromPercent: number | null;
  toStatus: string;
  toPercent: number | null;
  corrected: boolean;
}

/** One institution whose rank, score or counted values changed (or that entered or left). */
export interface DiffLine<Id = unknown> {
  institution: Id;
  code: string;
  name: { sw: string; en?: string };
  fromRank: number | null;
  toRank: number | null;
  fromScore: number | null;
  toScore: number | null;
  reasons: DiffReason[];
}

/** Who moved, by how much and why; biggest movers first, then by code. */
export function diffEntries<Id>(before: readonly DiffEntry<Id>[], after: readonly DiffEntry<Id>[]): DiffLine<Id>[] {
  const prev = new Map(before.map((e) => [String(e.institution), e]));
  const next = new Map(after.map((e) => [String(e.institution), e]));
  const lines: DiffLine<Id>[] = [];
  for (const id of new Set([...prev.keys(), ...next.keys()])) {
    const a = prev.get(id);
    const b = next.get(id);
    const src = (b ?? a) as DiffEntry<Id>;
    const fromLines = new Map((a?.breakdown ?? []).map((l) => [l.number, l]));
    const toLines = new Map((b?.breakdown ?? []).map((l) => [l.number, l]));
    const reasons: DiffReason[] = [];
    for (const n of [...new Set([...fromLines.keys(), ...toLines.keys()])].sort((x, y) => x - y)) {
      const f = fromLines.get(n);
      const t = toLines.get(n);
      if (f?.status === t?.status && (f?.percent ?? null) === (t?.percent ?? null)) continue;
      reasons.push({
        number: n,
        fromStatus: f?.status ?? '',
        fromPercent: f?.percent ?? null,
        toStatus: t?.status ?? '',
        toPercent: t?.percent ?? null,
        corrected: Boolean(t?.corrected),
      });
    }
    if (a && b && a.rank === b.rank && a.score === b.score && reasons.length === 0) continue;
    lines.push({
      institution: src.institution,
      code: src.code,
      name: { sw: src.name.sw, ...(src.name.en ? { en: src.name.en } : {}) },
      fromRank: a?.rank ?? null,
      toRank: b?.rank ?? null,
      fromScore: a?.score ?? null,
      toScore: b?.score ?? null,
      reasons,
    });
  }
  const move = (l: DiffLine<Id>) => (l.fromRank === null || l.toRank === null ? Number.MAX_SAFE_INTEGER : Math.abs(l.fromRank - l.toRank));
  return lines.sort((x, y) => move(y) - move(x) || x.code.localeCompare(y.code));
}
