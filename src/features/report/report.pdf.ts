import PDFDocument from 'pdfkit';
import type { TFunction } from 'i18next';
import type { Language } from '../../domain/reference-data.js';
import { localize } from '../../domain/reference-data.js';
import { STATUS_KEYS, STATUS_STYLES } from '../../views/charts/status-colors.js';
import type { StatusCounts } from '../public/public.stats.js';
import type { ReportAward, ReportModel } from './report.service.js';
import { formatDate, formatNumber, formatPercent } from './report.format.js';

/**
 * Renders the implementation report as a PDF with pdfkit (no browser). Uses the built-in
 * Helvetica, whose WinAnsi encoding covers Kiswahili and English; characters outside it are
 * replaced by close equivalents so the PDF never carries broken glyphs.
 */

const WIN_ANSI_EXTRA = new Set([...'–—‘’“”•…€™‰‹›ŒœŠšŽžŸƒˆ˜†‡‚„']);
const REPLACEMENTS: Record<string, string> = { '≥': '>=', '≤': '<=', '−': '-', '×': 'x', '÷': '/', '▲': '', '▼': '', '\u00a0': ' ', '\u202f': ' ' };

export function pdfSafe(text: string): string {
  let out = '';
  for (const ch of text) {
    if (ch in REPLACEMENTS) out += REPLACEMENTS[ch];
    else if ((ch.codePointAt(0) ?? 0) <= 0xff || WIN_ANSI_EXTRA.has(ch)) out += ch;
    else out += '?';
  }
  return out;
}

const MARGIN = 50;
const BLUE = '#0b5394';
const MUTED = '#4f5863';
const GOLD = '#ffbf47';

/** The app's logo (public/img/logo.svg) drawn as vectors: three resolution lines and a tick. */
function drawLogo(doc: PDFKit.PDFDocument, x: number, y: number, size: number): void {
  const u = size / 64;
  doc.save();
  doc.roundedRect(x, y, size, size, 12 * u).fill(BLUE);
  for (const [top, w] of [[15, 28], [28, 21], [41, 13]] as const) doc.roundedRect(x + 11 * u, y + top * u, w * u, 5 * u, 2.5 * u).fill('#ffffff');
  doc.moveTo(x + 30 * u, y + 40 * u).lineTo(x + 38 * u, y + 48 * u).lineTo(x + 54 * u, y + 27 * u);
  doc.lineWidth(6.5 * u).lineCap('round').lineJoin('round').stroke(GOLD);
  doc.restore();
}

export function renderReportPdf(model: ReportModel, t: TFunction, lang: Language): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + 10, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: { Title: pdfSafe(`${t('report:title')} — ${localize(model.meeting.title, lang)}`), Author: 'e-GA', Subject: pdfSafe(t('report:title')) },
    lang: lang === 'en' ? 'en-GB' : 'sw-TZ',
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  const width = doc.page.width - 2 * MARGIN;
  const text = (s: string, options: PDFKit.Mixins.TextOptions = {}) => doc.text(pdfSafe(s), options);
  /** Sections and resolutions with the page they start on, for the contents page. */
  const contents: Array<{ title: string; level: 1 | 2; page: number }> = [];
  const currentPage = () => {
    const range = doc.bufferedPageRange();
    return range.start + range.count;
  };
  const heading = (s: string, size = 15) => {
    if (doc.y > doc.page.height - 140) doc.addPage();
    contents.push({ title: s, level: size >= 15 ? 1 : 2, page: currentPage() });
    doc.moveDown(0.6).font('Helvetica-Bold').fontSize(size).fillColor(BLUE);
    text(s);
    doc.font('Helvetica').fontSize(10).fillColor('black').moveDown(0.3);
  };
  const line = (label: string, value: string) => {
    doc.font('Helvetica-Bold').fontSize(10).fillColor('black');
    doc.text(pdfSafe(`${label}: `), { continued: true });
    doc.font('Helvetica');
    text(value);
  };
  const statusBar = (counts: StatusCounts) => {
    const total = STATUS_KEYS.reduce((s, k) => s + counts[k], 0);
    const y = doc.y + 2;
    let x = MARGIN;
    doc.lineWidth(0.5);
    if (total === 0) doc.rect(MARGIN, y, width, 12).fillAndStroke('#f4f4f4', '#333333');
    for (const k of STATUS_KEYS) {
      if (counts[k] === 0) continue;
      const w = (counts[k] / total) * width;
      doc.rect(x, y, w, 12).fillAndStroke(STATUS_STYLES[k].color, '#333333');
      x += w;
    }
    doc.fillColor('black');
    doc.y = y + 16;
    doc.x = MARGIN;
    doc.fontSize(9);
    text(STATUS_KEYS.map((k) => `${t(`public:status.${k}`)}: ${formatNumber(counts[k], lang)}`).join('  ·  '));
    doc.fontSize(10);
  };

  // Cover page: logo, title, meeting, date.
  drawLogo(doc, MARGIN, MARGIN + 20, 72);
  doc.font('Helvetica-Bold').fontSize(20).fillColor(BLUE).text(pdfSafe(t('common:appName')), MARGIN + 88, MARGIN + 44);
  doc.x = MARGIN;
  doc.y = 260;
  doc.font('Helvetica-Bold').fontSize(28).fillColor(BLUE);
  text(t('report:title'), { width });
  doc.moveDown(0.5).fontSize(16).fillColor('black');
  text(localize(model.meeting.title, lang), { width });
  doc.font('Helvetica').fontSize(11).moveDown(1);
  line(t('report:dates'), `${formatDate(model.meeting.startDate, lang)} – ${formatDate(model.meeting.endDate, lang)}`);
  line(t('report:venue'), model.meeting.venue);
  line(t('report:theme'), localize(model.meeting.theme, lang));
  doc.moveTo(MARGIN, doc.page.height - 150).lineTo(MARGIN + width, doc.page.height - 150).lineWidth(2).stroke(BLUE);
  doc.font('Helvetica').fontSize(11).fillColor('black');
  doc.text(pdfSafe(`${t('report:generated')}: ${formatDate(model.generatedAt, lang)}`), MARGIN, doc.page.height - 135, { width });
  doc.fillColor(MUTED).fontSize(9).text(pdfSafe(t('report:coverNote')), MARGIN, doc.page.height - 115, { width });
  // Page 2 is the contents, written once every section knows its page.
  doc.addPage();
  const contentsPage = currentPage();
  doc.addPage();
  doc.fillColor('black').fontSize(10);

  heading(t('report:summary.title'));
  const f = model.figures;
  line(t('report:summary.resolutions'), formatNumber(f.resolutions, lang));
  line(t('report:summary.institutions'), formatNumber(f.institutions, lang));
  line(t('report:summary.pairs'), formatNumber(f.pairs, lang));
  line(t('report:summary.completion'), formatPercent(f.completion, lang));
  line(t('report:summary.fullyImplemented'), formatNumber(f.fullyImplemented, lang));
  line(t('report:summary.overdue'), formatNumber(f.overdue, lang));
  doc.moveDown(0.3);
  statusBar(f.counts);

  heading(t('report:resolutions.title'));
  for (const r of model.resolutions) {
    heading(`${t('public:resolutionShort', { number: r.resolution.number })}: ${localize(r.resolution.title, lang)}`, 12);
    doc.fillColor(MUTED);
    text(localize(r.resolution.text, lang), { align: 'left' });
    doc.fillColor('black').moveDown(0.3);
    line(t('report:resolutions.category'), t(`public:categories.${r.resolution.category}`));
    line(t('public:dueDate'), `${formatDate(r.resolution.dueDate, lang)}${r.overdue ? ` (${t('public:overdue')})` : ''}`);
    line(t('report:resolutions.status'), t('report:resolutions.statusText', { completion: formatPercent(r.completion, lang), completed: r.counts.completed, applicable: r.applicable }));
    statusBar(r.counts);
    if (r.firstCompleted.length > 0) {
      line(t('report:resolutions.first'), r.firstCompleted.map((n) => `${localize(n.name, lang)} (${formatDate(n.verifiedAt, lang)})`).join('; '));
    }
    if (r.laggards > 0) line(t('report:resolutions.laggards'), formatNumber(r.laggards, lang));
  }

  doc.addPage();
  heading(t('report:ranking.title'));
  const rk = model.ranking;
  if (!rk) {
    text(t('report:ranking.none'));
  } else {
    text(t('report:ranking.intro', { version: rk.version, date: formatDate(rk.publishedAt, lang), cutoff: formatDate(rk.cutoff, lang), count: rk.ranked }));
    doc.moveDown(0.3);
    text(['A', 'B', 'C', 'D'].map((g) => `${t('report:ranking.grade')} ${g}: ${rk.gradeCounts[g] ?? 0}`).join('  ·  '));
    heading(t('report:ranking.top'), 12);
    const cols = [MARGIN, MARGIN + 40, MARGIN + 300, MARGIN + 420, MARGIN + 470];
    const row = (cells: string[], bold = false) => {
      if (doc.y > doc.page.height - 90) doc.addPage();
      const y = doc.y;
      doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
      let maxY = y;
      cells.forEach((c, i) => {
        const w = (cols[i + 1] ?? MARGIN + width) - cols[i] - 6;
        doc.text(pdfSafe(c), cols[i], y, { width: w });
        maxY = Math.max(maxY, doc.y);
      });
      doc.x = MARGIN;
      doc.y = maxY + 2;
    };
    row([t('report:ranking.rank'), t('report:ranking.institution'), t('report:ranking.type'), t('report:ranking.score'), t('report:ranking.grade')], true);
    for (const e of rk.top) row([String(e.rank), `${localize(e.name, lang)} (${e.code})`, t(`public:types.${e.type}`), formatNumber(e.score, lang, 1), e.grade]);
    doc.font('Helvetica').fontSize(10);
    const awards = (title: string, list: ReportAward[], none: string, withGain = false) => {
      heading(title, 12);
      if (list.length === 0) {
        text(none);
        return;
      }
      for (const a of list) {
        const extra = withGain && a.gain !== null ? `, +${formatNumber(a.gain, lang, 1)}` : '';
        text(`• ${localize(a.name, lang)} (${a.code}) — ${t(`public:types.${a.type}`)}, ${formatNumber(a.score, lang, 1)}${a.grade ? `, ${a.grade}` : ''}${extra}${a.nothingReported ? `, ${t('report:ranking.nothingReported')}` : ''}`);
      }
    };
    awards(t('report:ranking.winners'), rk.winners, t('report:ranking.noneListed'));
    awards(t('report:ranking.mostImproved'), rk.mostImproved, t('report:ranking.noneListed'), true);
    awards(t('report:ranking.needsImprovement'), rk.needsImprovement, t('report:ranking.noneListed'));
  }

  heading(t('report:method.title'));
  for (const key of ['verified', 'applicable', 'completion', 'ranking', 'grades']) {
    text(t(`report:method.${key}`));
    doc.moveDown(0.3);
  }

  // Contents (page 2): every section and resolution with its page number.
  doc.switchToPage(contentsPage - 1);
  doc.x = MARGIN;
  doc.y = MARGIN;
  doc.font('Helvetica-Bold').fontSize(18).fillColor(BLUE);
  text(t('report:contents'));
  doc.moveDown(0.6);
  for (const entry of contents) {
    if (doc.y > doc.page.height - MARGIN - 30) break;
    const indent = entry.level === 1 ? 0 : 16;
    const y = doc.y;
    doc.font(entry.level === 1 ? 'Helvetica-Bold' : 'Helvetica').fontSize(entry.level === 1 ? 11 : 9.5).fillColor('black');
    doc.text(pdfSafe(entry.title), MARGIN + indent, y, { width: width - indent - 40, lineBreak: true });
    const after = doc.y;
    doc.text(String(entry.page), MARGIN + width - 36, y, { width: 36, align: 'right', lineBreak: false });
    doc.x = MARGIN;
    doc.y = after + (entry.level === 1 ? 4 : 2);
  }

  // Footer with page numbers on every page but the cover.
  const range = doc.bufferedPageRange();
  for (let i = range.start + 1; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('Helvetica').fontSize(8).fillColor(MUTED);
    doc.text(
      pdfSafe(`${t('report:title')} — ${localize(model.meeting.title, lang)} — ${t('report:page', { page: i + 1, pages: range.count })}`),
      MARGIN,
      doc.page.height - MARGIN + 10,
      { width, align: 'center', lineBreak: false },
    );
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
