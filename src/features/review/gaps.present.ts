import type { TFunction } from 'i18next';
import type { Language } from '../../domain/reference-data.js';
import { barChart } from '../../views/charts/bar-chart.js';
import type { GapRow } from './review.service.js';
import { toCsv } from '../csv/csv-writer.js';

export const GAPS_PAGE_SIZE = 50;
/** Institutions drawn in the chart: the largest gaps. */
const CHART_ROWS = 10;

/**
 * The claimed-vs-verified page: a chart of the largest gaps, then the table one page at a time
 * (the whole list was a 10,000 px table), numbers formatted for the reader's language.
 */
export function presentGaps(all: readonly GapRow[], page: number, t: TFunction, lang: Language) {
  const pages = Math.max(1, Math.ceil(all.length / GAPS_PAGE_SIZE));
  const current = Math.min(page, pages);
  const points = new Intl.NumberFormat(lang === 'en' ? 'en-GB' : 'sw-TZ', { maximumFractionDigits: 1 });
  const top = all.filter((r) => r.gap > 0).slice(0, CHART_ROWS);
  const chart =
    top.length > 0
      ? barChart({
          title: t('review:gaps.chartTitle', { count: top.length }),
          items: top.map((r) => ({ label: r.institution.code, value: r.gap, display: points.format(r.gap) })),
          headers: [t('review:gaps.institution'), t('review:gaps.gap')],
          texts: { showTable: t('charts:showTable') },
        })
      : null;
  return {
    rows: all.slice((current - 1) * GAPS_PAGE_SIZE, current * GAPS_PAGE_SIZE),
    total: all.length,
    page: current,
    pages,
    chartHtml: chart?.html ?? null,
  };
}

/** Every row as CSV (the reader's language for the headers; numbers plain, dot decimals). */
export function gapsCsv(rows: readonly GapRow[], t: TFunction): string {
  return toCsv(
    [
      t('review:gaps.csv.code'),
      t('review:gaps.institution'),
      t('review:gaps.rows'),
      t('review:gaps.claimed'),
      t('review:gaps.verified'),
      t('review:gaps.gap'),
      t('review:gaps.waiting'),
      t('review:gaps.returned'),
    ],
    rows.map((r) => [r.institution.code, r.institution.name.sw, r.rows, r.claimedAvg, r.verifiedAvg, r.gap, r.submitted, r.returned]),
  );
}
