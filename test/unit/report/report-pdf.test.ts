import { expect } from 'chai';
import { pdfSafe } from '../../../src/features/report/report.pdf.js';

describe('report PDF text', () => {
  it('when text is Kiswahili or English with common punctuation, then it is kept as is', () => {
    const s = 'Taarifa ya Utekelezaji wa Maazimio – “Kikao cha Nne” · 100 % … é';
    expect(pdfSafe(s)).to.equal(s);
  });

  it('when text has characters Helvetica cannot show, then they are replaced, never dropped silently into broken glyphs', () => {
    expect(pdfSafe('A ≥ 75, B ≤ 50')).to.equal('A >= 75, B <= 50');
    expect(pdfSafe('\u202f%')).to.equal(' %');
    expect(pdfSafe('日本')).to.equal('??');
    expect(pdfSafe('▲')).to.equal('');
  });
});
