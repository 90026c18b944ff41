/**
 * Server-rendered, accessible charts. Each function takes already-translated texts and returns
 * `{ html, table }`: safe markup (a <figure> with an SVG that has a <title> and aria-label, plus
 * a <details> table fallback) and the same data as a table. Embed with `{{chart value}}`.
 */
export { escapeHtml, type Chart, type ChartTable, type ChartTexts } from './markup.js';
export { barChart, barWidthPercent, type BarChartInput, type BarItem } from './bar-chart.js';
export { statusBar, statusLegend, statusSegments, type StatusBarInput, type StatusCounts } from './status-bar.js';
export { histogram, histogramBins, type HistogramInput } from './histogram.js';
export { trendLine, trendCoordinates, type TrendLineInput, type TrendPoint } from './trend-line.js';
export { STATUS_KEYS, STATUS_STYLES, type StatusKey } from './status-colors.js';
export { chart as chartHelper } from './chart.helper.js';
