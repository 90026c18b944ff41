import { chartId, escapeHtml, num, renderFigure, type Chart, type ChartTexts } from './markup.js';
import { STATUS_KEYS, STATUS_STYLES, patternDef, type StatusKey } from './status-colors.js';

export type StatusCounts = Record<StatusKey, number>;

export interface StatusBarInput {
  title: string;
  counts: StatusCounts;
  /** Translated status names. */
  labels: Record<StatusKey, string>;
  /** Table column headers: [status, count, share]. */
  headers: [string, string, string];
  texts: ChartTexts;
  /** Show the legend under the bar (default true); pages with many bars show one legend instead. */
  legend?: boolean;
  /** Formats a share in percent for the table and labels (default: rounded integer + " %"). */
  formatPercent?: (value: number) => string;
}

export interface Segment {
  key: StatusKey;
  count: number;
  /** Start and width in percent of the bar. */
  x: number;
  width: number;
}

/** Splits 100 % of the bar between the statuses in display order; empty statuses get no segment. */
export function statusSegments(counts: StatusCounts): Segment[] {
  const total = STATUS_KEYS.reduce((s, k) => s + Math.max(0, counts[k] ?? 0), 0);
  if (total === 0) return [];
  let x = 0;
  const out: Segment[] = [];
  for (const key of STATUS_KEYS) {
    const count = Math.max(0, counts[key] ?? 0);
    if (count === 0) continue;
    const width = (count / total) * 100;
    out.push({ key, count, x, width });
    x += width;
  }
  return out;
}

const defaultPercent = (v: number): string => `${Math.round(v)} %`;

/** A legend naming every status with its colour and pattern (self-contained markup). */
export function statusLegend(labels: Record<StatusKey, string>): string {
  const items = STATUS_KEYS.map((key) => {
    const id = `legend-${key}`;
    return (
      `<li><svg width="16" height="16" aria-hidden="true" focusable="false"><defs>${patternDef(id, key)}</defs>` +
      `<rect x="0.5" y="0.5" width="15" height="15" fill="url(#${id})" stroke="#333"/></svg> ${escapeHtml(labels[key])}</li>`
    );
  }).join('');
  return `<ul class="chart-legend">${items}</ul>`;
}

/** Stacked horizontal bar of institutions by verified status, with counts, legend and table. */
export function statusBar(input: StatusBarInput): Chart {
  const id = chartId('sb', input.counts);
  const fmt = input.formatPercent ?? defaultPercent;
  const total = STATUS_KEYS.reduce((s, k) => s + Math.max(0, input.counts[k] ?? 0), 0);
  const segments = statusSegments(input.counts);
  const defs = segments.map((s) => patternDef(`${id}-${s.key}`, s.key)).join('');
  const rects = segments
    .map((s) => {
      const label = `${input.labels[s.key]}: ${s.count} (${fmt(s.width)})`;
      const text =
        s.width >= 6
          ? `<text x="${num(s.x + s.width / 2)}%" y="21" text-anchor="middle" class="chart-count" fill="${STATUS_STYLES[s.key].text}" stroke="${STATUS_STYLES[s.key].color}" stroke-width="3" paint-order="stroke">${s.count}</text>`
          : '';
      return (
        `<g><title>${escapeHtml(label)}</title>` +
        `<rect x="${num(s.x)}%" y="2" width="${num(s.width)}%" height="28" fill="url(#${id}-${s.key})"/>${text}</g>`
      );
    })
    .join('');
  const empty = total === 0 ? `<rect x="0" y="2" width="100%" height="28" fill="#f4f4f4"/>` : '';
  const summary = STATUS_KEYS.map((k) => `${input.labels[k]} ${input.counts[k] ?? 0}`).join(', ');
  const svg =
    `<svg class="chart-svg" width="100%" height="32" role="img" aria-label="${escapeHtml(`${input.title}: ${summary}`)}" focusable="false">` +
    `<title>${escapeHtml(`${input.title}: ${summary}`)}</title><defs>${defs}</defs>${empty}${rects}` +
    `<rect x="0" y="2" width="100%" height="28" fill="none" stroke="#333"/></svg>`;
  const table = {
    caption: input.title,
    headers: [...input.headers],
    rows: STATUS_KEYS.map((k) => {
      const c = input.counts[k] ?? 0;
      return [input.labels[k], String(c), fmt(total === 0 ? 0 : (c / total) * 100)];
    }),
  };
  const legend = input.legend === false ? '' : statusLegend(input.labels);
  return { html: renderFigure('status', input.title, svg, legend, table, input.texts), table };
}
