import { escapeHtml, num, renderFigure, type Chart, type ChartTexts } from './markup.js';

export interface HistogramInput {
  title: string;
  /** Values between 0 and 100 (e.g. scores). */
  values: number[];
  /** Width of a bin (default 10 → 0–9.99, 10–19.99, …, 90–100). */
  binSize?: number;
  /** Table column headers: [range, count]. */
  headers: [string, string];
  texts: ChartTexts;
}

export interface Bin {
  from: number;
  to: number;
  count: number;
}

/** Counts values into equal bins over 0..100; 100 falls into the last bin. */
export function histogramBins(values: number[], binSize = 10): Bin[] {
  const n = Math.max(1, Math.ceil(100 / binSize));
  const bins: Bin[] = Array.from({ length: n }, (_, i) => ({ from: i * binSize, to: Math.min(100, (i + 1) * binSize), count: 0 }));
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    const i = Math.min(n - 1, Math.max(0, Math.floor(v / binSize)));
    bins[i].count += 1;
  }
  return bins;
}

const PLOT_TOP = 16;
const PLOT_HEIGHT = 120;

/** Vertical-bar distribution of values over 0..100. */
export function histogram(input: HistogramInput): Chart {
  const bins = histogramBins(input.values, input.binSize);
  const maxCount = Math.max(1, ...bins.map((b) => b.count));
  const slot = 100 / bins.length;
  const bars = bins
    .map((b, i) => {
      const h = (b.count / maxCount) * PLOT_HEIGHT;
      const y = PLOT_TOP + PLOT_HEIGHT - h;
      const x = i * slot;
      const range = `${b.from}–${b.to}`;
      return (
        `<g><title>${escapeHtml(`${range}: ${b.count}`)}</title>` +
        `<rect x="${num(x + slot * 0.1)}%" y="${num(y)}" width="${num(slot * 0.8)}%" height="${num(h)}" fill="#1f5f8b"/>` +
        `<text x="${num(x + slot / 2)}%" y="${num(y - 3)}" text-anchor="middle" class="chart-value">${b.count}</text>` +
        `<text x="${num(x + slot / 2)}%" y="${PLOT_TOP + PLOT_HEIGHT + 16}" text-anchor="middle" class="chart-label">${escapeHtml(range)}</text></g>`
      );
    })
    .join('');
  const height = PLOT_TOP + PLOT_HEIGHT + 22;
  const summary = bins.map((b) => `${b.from}–${b.to}: ${b.count}`).join(', ');
  const svg =
    `<svg class="chart-svg" width="100%" height="${height}" role="img" aria-label="${escapeHtml(`${input.title}: ${summary}`)}" focusable="false">` +
    `<title>${escapeHtml(input.title)}</title>` +
    `<line x1="0" y1="${PLOT_TOP + PLOT_HEIGHT}" x2="100%" y2="${PLOT_TOP + PLOT_HEIGHT}" stroke="#767676"/>${bars}</svg>`;
  const table = {
    caption: input.title,
    headers: [...input.headers],
    rows: bins.map((b) => [`${b.from}–${b.to}`, String(b.count)]),
  };
  return { html: renderFigure('histogram', input.title, svg, '', table, input.texts), table };
}
