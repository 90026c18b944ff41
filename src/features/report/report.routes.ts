import { Router, type Request, type Response } from 'express';
import type { FeatureDeps } from '../index.js';
import { histogram, statusBar, statusLegend } from '../../views/charts/index.js';
import { statusLabels, statusChart } from '../public/public.present.js';
import { buildReport, type ReportModel } from './report.service.js';
import { renderReportPdf } from './report.pdf.js';
import type { TFunction } from 'i18next';
import type { Language } from '../../domain/reference-data.js';
import { localize } from '../../domain/reference-data.js';

function presentReport(model: ReportModel, t: TFunction, lang: Language) {
  const labels = statusLabels(t);
  return {
    ...model,
    overallChart: statusChart(t('report:summary.chart'), model.figures.counts, t, lang),
    legend: { toHTML: () => statusLegend(labels) },
    resolutions: model.resolutions.map((r) => ({
      ...r,
      categoryLabel: t(`public:categories.${r.resolution.category}`),
      chart: statusBar({
        title: `${t('public:resolutionShort', { number: r.resolution.number })}: ${localize(r.resolution.title, lang)}`,
        counts: r.counts,
        labels,
        headers: [t('public:table.status'), t('public:table.institutions'), t('public:table.share')],
        texts: { showTable: t('charts:showTable') },
        legend: false,
      }),
    })),
    ranking: model.ranking
      ? {
          ...model.ranking,
          histogram: histogram({
            title: t('report:ranking.distribution'),
            values: model.ranking.scores,
            headers: [t('report:ranking.scoreRange'), t('public:table.institutions')],
            texts: { showTable: t('charts:showTable') },
          }),
          top: model.ranking.top.map((e) => ({ ...e, typeLabel: t(`public:types.${e.type}`) })),
          grades: ['A', 'B', 'C', 'D'].map((g) => ({ grade: g, count: model.ranking?.gradeCounts[g] ?? 0 })),
        }
      : null,
  };
}

/**
 * The implementation report of a meeting, in the chosen language: a printable HTML page (the
 * `report` layout with its print stylesheet) and the same content as a server-generated PDF.
 * Both are heavy: memoised (page per language for anonymous readers, PDF per language for
 * everyone) and rate-limited for anonymous readers.
 */
export function createReportRouter(deps: FeatureDeps): Router {
  const router = Router();
  const { publicRead } = deps;
  const { aggregates } = publicRead;

  router.get('/meetings/:id/report', publicRead.heavyLimit, async (req: Request, res: Response) => {
    await publicRead.page(req, res, { view: 'report/report' }, async () => {
      const model = await buildReport(aggregates, String(req.params.id), deps.now());
      return {
        layout: 'report',
        pageTitle: `${req.t('report:title')} — ${localize(model.meeting.title, req.lang)}`,
        ...presentReport(model, req.t, req.lang),
      };
    });
  });

  router.get('/meetings/:id/report.pdf', publicRead.heavyLimit, async (req: Request, res: Response) => {
    await publicRead.data(req, res, { perLanguage: true }, async () => {
      const model = await buildReport(aggregates, String(req.params.id), deps.now());
      return {
        type: 'application/pdf',
        body: await renderReportPdf(model, req.t, req.lang),
        headers: { 'Content-Disposition': `inline; filename="taarifa-kikao-${model.meeting.number}-${req.lang}.pdf"` },
      };
    });
  });

  return router;
}
