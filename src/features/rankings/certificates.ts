/**
 * Award certificates: one bilingual A4 landscape page per winner of an award category, and all
 * of a ranking's certificates as one multi-page PDF (pdfkit, already a dependency; no zip needed).
 * Each page carries the category, peer group, place, score, ranking version, date and a URL that
 * opens the public record of the award, so a printed certificate can be checked.
 */
import PDFDocument from 'pdfkit';
import type { LocalizedText } from '../../domain/reference-data.js';
import { NotFoundError } from '../../errors.js';
import { translator } from '../../i18n/index.js';
import { pdfSafe } from '../report/report.pdf.js';
import { groupLabel } from './categories.present.js';
import type { Ranking } from './ranking.model.js';

export interface Certificate {
  institution: { code: string; name: LocalizedText };
  category: LocalizedText;
  group: LocalizedText;
  place: number;
  score: number;
  grade: string;
  meetingNumber: number;
  version: number | null;
  period: string | null;
  date: Date;
  verifyUrl: string;
}

const BLUE = '#0b5394';
const GOLD = '#b58500';
const MUTED = '#4f5863';

function both(t: LocalizedText): [string, string] {
  return [t.sw, t.en || t.sw];
}

/** The certificates of a ranking (all winners of all categories, or one institution in one category). */
export function certificatesOf(
  ranking: Pick<Ranking, '_id' | 'parameters' | 'categories' | 'entries' | 'version' | 'publishedAt' | 'computedAt'>,
  meetingNumber: number,
  baseUrl: string,
  only?: { key: string; institution: string },
): Certificate[] {
  const tSw = translator('sw');
  const tEn = translator('en');
  const nameOf = new Map((ranking.entries ?? []).map((e) => [String(e.institution), e.name]));
  const out: Certificate[] = [];
  for (const def of ranking.parameters.categories ?? []) {
    if (only && def.key !== only.key) continue;
    const result = (ranking.categories ?? []).find((c) => c.key === def.key);
    for (const w of result?.winners ?? []) {
      if (only && String(w.institution) !== only.institution) continue;
      const label = groupLabel(def.grouping, w.group ?? '');
      const groupText = (t: typeof tSw) => (label.labelKey ? (t(label.labelKey, { level: label.level }) as string) : (label.text ?? ''));
      out.push({
        institution: { code: w.code ?? '', name: nameOf.get(String(w.institution)) ?? { sw: w.code ?? '' } },
        category: { sw: def.name.sw, ...(def.name.en ? { en: def.name.en } : {}) },
        group: { sw: groupText(tSw), en: groupText(tEn) },
        place: w.place ?? 0,
        score: w.score ?? 0,
        grade: w.grade ?? '',
        meetingNumber,
        version: ranking.version ?? null,
        period: ranking.parameters.period?.label ?? null,
        date: ranking.publishedAt ?? ranking.computedAt,
        verifyUrl: `${baseUrl}/rankings/${String(ranking._id)}#cat-${def.key}`,
      });
    }
  }
  if (only && out.length === 0) throw new NotFoundError('awards:errors.notFound');
  return out;
}

function dateText(d: Date, lang: 'sw' | 'en'): string {
  return new Intl.DateTimeFormat(lang === 'sw' ? 'sw-TZ' : 'en-GB', { timeZone: 'Africa/Dar_es_Salaam', day: 'numeric', month: 'long', year: 'numeric' }).format(d);
}

/** Renders certificates, one page each, as a PDF. */
export function renderCertificates(certs: Certificate[]): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 40, autoFirstPage: false, info: { Title: 'Cheti cha Tuzo / Award Certificate', Author: 'e-GA' } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const tSw = translator('sw');
  const tEn = translator('en');
  for (const c of certs) {
    doc.addPage();
    const w = doc.page.width;
    const h = doc.page.height;
    doc.lineWidth(6).rect(20, 20, w - 40, h - 40).stroke(BLUE);
    doc.lineWidth(1.5).rect(32, 32, w - 64, h - 64).stroke(GOLD);
    const center = (s: string, size: number, font = 'Helvetica', color = 'black', gap = 0.2) => {
      doc.font(font).fontSize(size).fillColor(color).text(pdfSafe(s), 60, doc.y, { width: w - 120, align: 'center' });
      doc.moveDown(gap);
    };
    doc.y = 60;
    center('Wakala wa Serikali Mtandao (e-GA) — e-Government Authority', 12, 'Helvetica', MUTED, 0.6);
    center('CHETI CHA TUZO', 30, 'Helvetica-Bold', BLUE, 0);
    center('Award Certificate', 18, 'Helvetica-Oblique', BLUE, 0.8);
    center('Kinatolewa kwa / Presented to', 12, 'Helvetica', MUTED, 0.2);
    const [nameSw, nameEn] = both(c.institution.name);
    center(nameSw, 22, 'Helvetica-Bold', 'black', 0);
    if (nameEn !== nameSw) center(nameEn, 14, 'Helvetica-Oblique', 'black', 0);
    center(c.institution.code, 10, 'Helvetica', MUTED, 0.7);
    const [catSw, catEn] = both(c.category);
    center(`${tSw('awards:certificatePlace', { place: c.place })} — ${catSw}`, 16, 'Helvetica-Bold', GOLD, 0);
    center(`${tEn('awards:certificatePlace', { place: c.place })} — ${catEn}`, 13, 'Helvetica-Oblique', GOLD, 0.4);
    center(`${tSw('awards:certificateGroup')}: ${c.group.sw} / ${tEn('awards:certificateGroup')}: ${c.group.en}`, 12, 'Helvetica', 'black', 0.2);
    center(`${tSw('awards:certificateScore', { score: c.score.toFixed(2), grade: c.grade })} / ${tEn('awards:certificateScore', { score: c.score.toFixed(2), grade: c.grade })}`, 12, 'Helvetica', 'black', 0.2);
    const ranking = (t: typeof tSw) => t('awards:certificateRanking', { number: c.meetingNumber, version: c.version ?? '-' }) + (c.period ? ` · ${t('awards:period.fy', { label: c.period })}` : '');
    center(`${ranking(tSw)} / ${ranking(tEn)}`, 11, 'Helvetica', MUTED, 0.2);
    center(`${dateText(c.date, 'sw')} / ${dateText(c.date, 'en')}`, 11, 'Helvetica', MUTED, 0.6);
    center(`${tSw('awards:certificateVerify')} / ${tEn('awards:certificateVerify')}:`, 10, 'Helvetica', MUTED, 0);
    doc.font('Helvetica').fontSize(10).fillColor(BLUE).text(c.verifyUrl, 60, doc.y, { width: w - 120, align: 'center', link: c.verifyUrl, underline: true });
  }
  doc.end();
  return done;
}
