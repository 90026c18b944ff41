import type { Chart } from './markup.js';

/**
 * Handlebars helper `{{chart someChart}}`: embeds a chart built by a service/controller with
 * barChart/statusBar/histogram/trendLine. The markup is already escaped by the chart functions,
 * so it is returned as a safe string (an object with toHTML, which Handlebars does not escape).
 * Anything else renders as nothing.
 */
export function chart(value: unknown): { toHTML(): string } | string {
  if (value && typeof value === 'object' && typeof (value as Chart).html === 'string') {
    const html = (value as Chart).html;
    return { toHTML: () => html };
  }
  return '';
}
