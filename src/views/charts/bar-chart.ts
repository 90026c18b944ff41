import { escapeHtml, num, truncate, renderFigure, type Chart, type ChartTexts } from './markup.js';

export interface BarItem {
  label: string;
  value: number;
  /** Text shown for the value (e.g. "75 %"); defaults to the number. */
  display?: string;
}

export interface BarChartInput {
  title: string;
  items: BarItem[];
  /** Value that fills the whole bar; defaults to the largest value (at least 1). */
  max?: number;
  /** Table column headers: [label column, value column]. */
  headers: [string, string];
  texts: ChartTexts;
  /**
   * A fuller table for the chart's one "show as a table" toggle (e.g. counts per status beside
   * the value), instead of label + value. Its value cells should use the same `display` text.
   */
  table?: { headers: string[]; rows: string[][] };
}

const LABEL_END = 38;
const BAR_START = 40;
const BAR_SPAN = 48;
const ROW = 28;

/** Width, in percent of the chart, of the bar drawn for `value` (clamped to 0..max). */
export function barWidthPercent(value: number, max: number): number {
  if (!(max > 0) || !Number.isFinite(value)) return 0;
  return (Math.min(Math.max(value, 0), max) / max) * BAR_SPAN;
}

/** Horizontal bar chart: one labelled bar per item, values printed at the bar ends. */
export function barChart(input: BarChartInput): Chart {
  const max = input.max ?? Math.max(1, ...input.items.map((i) => i.value));
  const height = Math.max(ROW, input.items.length * ROW);
  const rows = input.items
    .map((item, i) => {
      const y = i * ROW;
      const w = barWidthPercent(item.value, max);
      const display = item.display ?? String(item.value);
      return (
        `<g><title>${escapeHtml(`${item.label}: ${display}`)}</title>` +
        `<text x="0" y="${y + 18}" class="chart-label">${escapeHtml(truncate(item.label, 34))}</text>` +
        `<rect x="${BAR_START}%" y="${y + 5}" width="${num(w)}%" height="18" fill="#1f5f8b"/>` +
        `<text x="${num(BAR_START + w + 1)}%" y="${y + 18}" class="chart-value">${escapeHtml(display)}</text></g>`
      );
    })
    .join('');
  const summary = input.items.map((i) => `${i.label}: ${i.display ?? i.value}`).join('; ');
  const svg =
    `<svg class="chart-svg" width="100%" height="${height}" role="img" aria-label="${escapeHtml(`${input.title}. ${summary}`)}" focusable="false">` +
    `<title>${escapeHtml(input.title)}</title>` +
    `<line x1="${LABEL_END + 1}%" y1="0" x2="${LABEL_END + 1}%" y2="${height}" stroke="#767676"/>${rows}</svg>`;
  const table = {
    caption: input.title,
    headers: input.table ? [...input.table.headers] : [...input.headers],
    rows: input.table ? input.table.rows : input.items.map((i) => [i.label, i.display ?? String(i.value)]),
  };
  return { html: renderFigure('bar', input.title, svg, '', table, input.texts), table };
}
