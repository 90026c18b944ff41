import { createHash } from 'node:crypto';

/** Escapes text for HTML/SVG element content and attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * A deterministic element id derived from the chart's input, so the same data renders the same
 * markup (stable ETags) while different charts on one page get different ids.
 */
export function chartId(kind: string, input: unknown): string {
  return `${kind}-${createHash('sha1').update(JSON.stringify(input)).digest('hex').slice(0, 10)}`;
}

/** Rounds to at most two decimals, formatted without trailing zeros (for SVG attributes). */
export function num(value: number): string {
  if (!Number.isFinite(value)) return '0';
  return String(Math.round(value * 100) / 100);
}

/** Shortens a label for display; the full text stays available in a <title>. */
export function truncate(label: string, max: number): string {
  return label.length <= max ? label : `${label.slice(0, Math.max(1, max - 1))}…`;
}

/** Data of the table that accompanies every chart (the text alternative for screen readers). */
export interface ChartTable {
  caption: string;
  headers: string[];
  rows: string[][];
}

/** What every chart function returns: ready-to-embed safe markup plus its data as a table. */
export interface Chart {
  /** Safe HTML (already escaped): the figure, the SVG and a <details> table fallback. */
  html: string;
  table: ChartTable;
}

/** Texts shared by all charts, already translated by the caller. */
export interface ChartTexts {
  /** Summary of the <details> element holding the table, e.g. "Show as a table". */
  showTable: string;
}

export function renderTable(table: ChartTable, showTable: string): string {
  const head = table.headers.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const body = table.rows
    .map((row) => `<tr>${row.map((cell, i) => (i === 0 ? `<th scope="row">${escapeHtml(cell)}</th>` : `<td>${escapeHtml(cell)}</td>`)).join('')}</tr>`)
    .join('');
  return (
    `<details class="chart-table"><summary>${escapeHtml(showTable)}</summary>` +
    `<table><caption>${escapeHtml(table.caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></details>`
  );
}

/** Wraps an SVG and its table in a <figure> with a visible caption. */
export function renderFigure(kind: string, title: string, svg: string, extra: string, table: ChartTable, texts: ChartTexts): string {
  return (
    `<figure class="chart chart-${kind}">` +
    `<figcaption>${escapeHtml(title)}</figcaption>${svg}${extra}${renderTable(table, texts.showTable)}</figure>`
  );
}
