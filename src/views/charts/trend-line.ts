import { escapeHtml, num, renderFigure, type Chart, type ChartTexts } from './markup.js';

export interface TrendPoint {
  /** E.g. "v1 (12 Mar 2025)". */
  label: string;
  value: number;
}

export interface TrendLineInput {
  title: string;
  points: TrendPoint[];
  /** Draw smaller values higher (ranks: 1 is best). */
  invert?: boolean;
  /** Table column headers: [point, value]. */
  headers: [string, string];
  texts: ChartTexts;
}

const W = 240;
const H = 72;
const PAD = 12;

/** Coordinates of each point in the 240×72 drawing (exported for tests). */
export function trendCoordinates(points: TrendPoint[], invert = false): Array<{ x: number; y: number }> {
  if (points.length === 0) return [];
  const values = points.map((p) => p.value);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min;
  return points.map((p, i) => {
    const x = points.length === 1 ? W / 2 : PAD + (i * (W - 2 * PAD)) / (points.length - 1);
    let t = span === 0 ? 0.5 : (p.value - min) / span; // 0 = smallest
    if (!invert) t = 1 - t; // larger values drawn higher (smaller y)
    return { x, y: PAD + t * (H - 2 * PAD) };
  });
}

/** A small line chart (e.g. rank over published versions), fixed size. */
export function trendLine(input: TrendLineInput): Chart {
  const coords = trendCoordinates(input.points, input.invert);
  const line =
    coords.length > 1
      ? `<polyline points="${coords.map((c) => `${num(c.x)},${num(c.y)}`).join(' ')}" fill="none" stroke="#1f5f8b" stroke-width="2"/>`
      : '';
  const dots = coords
    .map((c, i) => {
      const p = input.points[i];
      return (
        `<g><title>${escapeHtml(`${p.label}: ${p.value}`)}</title>` +
        `<circle cx="${num(c.x)}" cy="${num(c.y)}" r="4" fill="#1f5f8b"/>` +
        `<text x="${num(c.x)}" y="${num(c.y < H / 2 ? c.y + 16 : c.y - 7)}" text-anchor="middle" class="chart-value">${escapeHtml(String(p.value))}</text></g>`
      );
    })
    .join('');
  const summary = input.points.map((p) => `${p.label}: ${p.value}`).join(', ');
  const svg =
    `<svg class="chart-svg chart-trend-svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(`${input.title}: ${summary}`)}" focusable="false">` +
    `<title>${escapeHtml(input.title)}</title>${line}${dots}</svg>`;
  const table = {
    caption: input.title,
    headers: [...input.headers],
    rows: input.points.map((p) => [p.label, String(p.value)]),
  };
  return { html: renderFigure('trend', input.title, svg, '', table, input.texts), table };
}
