/**
 * A readable word diff for narratives in the progress history. Longest common subsequence over
 * tokens (words and the whitespace between them), so the output can be shown as
 * unchanged / inserted / deleted runs. Texts are capped so the quadratic table stays small.
 */
export type DiffPart = { op: 'same' | 'add' | 'del'; text: string };

/**
 * The most LCS table cells one diff may fill (a 500 × 500-token change). Above it the changed
 * middle is shown as one replacement: the table grows with the product of the two texts, so
 * without a cap a history of long narratives costs seconds to render.
 */
export const MAX_DIFF_CELLS = 250_000;

/** Work done by diffs, for callers that account for it (the history page, its tests). */
export interface DiffWork {
  diffs: number;
  cells: number;
}

function tokenize(text: string): string[] {
  return text.match(/\s+|[^\s]+/g) ?? [];
}

/**
 * Word diff of two texts. The common start and end are cut off first (linear), so the usual
 * edit of a long narrative — a paragraph added or changed — diffs only the part that changed;
 * the LCS table then covers at most MAX_DIFF_CELLS cells. Whitespace tokens (newlines included)
 * are kept, so paragraph breaks survive.
 */
export function diffWords(before: string, after: string, work?: DiffWork): DiffPart[] {
  const a = tokenize(before);
  const b = tokenize(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const head: DiffPart[] = start > 0 ? [{ op: 'same', text: a.slice(0, start).join('') }] : [];
  const tail: DiffPart[] = endA < a.length ? [{ op: 'same', text: a.slice(endA).join('') }] : [];
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  if (work) work.diffs += 1;
  if (midA.length * midB.length > MAX_DIFF_CELLS) {
    // Too long for a token diff: the changed middle as one replacement.
    return merge([...head, ...(midA.length ? [{ op: 'del' as const, text: midA.join('') }] : []), ...(midB.length ? [{ op: 'add' as const, text: midB.join('') }] : []), ...tail]);
  }
  if (work) work.cells += midA.length * midB.length;
  return merge([...head, ...lcsDiff(midA, midB), ...tail]);
}

function lcsDiff(a: readonly string[], b: readonly string[]): DiffPart[] {
  const n = a.length;
  const m = b.length;
  // lcs[i][j] = LCS length of a[i..] and b[j..]
  const lcs: Uint16Array[] = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  const parts: DiffPart[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      parts.push({ op: 'same', text: a[i] });
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
      parts.push({ op: 'del', text: a[i++] });
    } else {
      parts.push({ op: 'add', text: b[j++] });
    }
  }
  while (i < n) parts.push({ op: 'del', text: a[i++] });
  while (j < m) parts.push({ op: 'add', text: b[j++] });
  return parts;
}

/** Joins neighbouring parts with the same op; whitespace between two changes joins the change. */
function merge(parts: DiffPart[]): DiffPart[] {
  const out: DiffPart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (last && last.op === p.op) last.text += p.text;
    else out.push({ ...p });
  }
  return out;
}

/** True when the diff contains any change. */
export function hasChanges(parts: readonly DiffPart[]): boolean {
  return parts.some((p) => p.op !== 'same');
}
