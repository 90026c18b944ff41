import { Router, type Request, type Response } from 'express';
import type { FeatureDeps } from '../index.js';
import { httpCache } from '../../middleware/http-cache.js';
import { histogram, statusBar, statusLegend } from '../../views/charts/index.js';
import { statusLabels, statusChart } from '../public/public.present.js';
import { buildReport, type ReportModel } from './report.service.js';
import { renderReportPdf } from './report.pdf.js';
import { renderPublic } from '../public/render-cached.js';
import { memo } from '../public/public.cache.js';
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
 */
export function createReportRouter(deps: FeatureDeps): Router {
  const router = Router();
  const cache = httpCache({ vary: 'Cookie' });

  router.get('/meetings/:id/report', cache, async (req: Request, res: Response) => {
    await renderPublic(req, res, 'report/report', async () => {
      const model = await buildReport(String(req.params.id), deps.now());
      return {
        layout: 'report',
        pageTitle: `${req.t('report:title')} — ${localize(model.meeting.title, req.lang)}`,
        ...presentReport(model, req.t, req.lang),
      };
    });
  });

  router.get('/meetings/:id/report.pdf', cache, async (req: Request, res: Response) => {
    const id = String(req.params.id);
    const { pdf, model } = await memo(`pdf:${req.lang}:${id}`, async () => {
      const built = await buildReport(id, deps.now());
      return { model: built, pdf: await renderReportPdf(built, req.t, req.lang) };
    });
    res.type('application/pdf');
    res.setHeader('Content-Disposition', `inline; filename="taarifa-kikao-${model.meeting.number}-${req.lang}.pdf"`);
    res.send(pdf);
  });

  return router;
}
