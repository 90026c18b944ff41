/**
 * A readable word diff for narratives in the progress history. Longest common subsequence over
 * tokens (words and the whitespace between them), so the output can be shown as
 * unchanged / inserted / deleted runs. Texts are capped so the quadratic table stays small.
 */
export type DiffPart = { op: 'same' | 'add' | 'del'; text: string };

const MAX_TOKENS = 1500;

function tokenize(text: string): string[] {
  return text.match(/\s+|[^\s]+/g) ?? [];
}

export function diffWords(before: string, after: string): DiffPart[] {
  const a = tokenize(before);
  const b = tokenize(after);
  if (a.length > MAX_TOKENS || b.length > MAX_TOKENS) {
    // Too long for a token diff: show a whole replacement instead.
    return merge([
      ...(before ? [{ op: 'del' as const, text: before }] : []),
      ...(after ? [{ op: 'add' as const, text: after }] : []),
    ]);
  }
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
  return merge(parts);
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
