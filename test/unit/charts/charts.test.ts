import { expect } from 'chai';
import {
  barChart,
  barWidthPercent,
  statusBar,
  statusSegments,
  statusLegend,
  histogram,
  histogramBins,
  trendLine,
  trendCoordinates,
  chartHelper,
  STATUS_KEYS,
  STATUS_STYLES,
} from '../../../src/views/charts/index.js';
import { assertWellFormed } from './well-formed.js';

const texts = { showTable: 'Onyesha kama jedwali' };
const labels = {
  completed: 'Imekamilika',
  in_progress: 'Inaendelea',
  not_started: 'Haijaanza',
  not_applicable: 'Haihusiki',
  not_reported: 'Haijaripotiwa',
};
const evil = '<script>alert("x")</script> & \'quote\'';

describe('charts', () => {
  describe('barChart', () => {
    it('when values are given, then bar widths are proportional to the maximum', () => {
      expect(barWidthPercent(50, 100)).to.equal(24);
      expect(barWidthPercent(100, 100)).to.equal(48);
      expect(barWidthPercent(150, 100)).to.equal(48);
      expect(barWidthPercent(-5, 100)).to.equal(0);
      expect(barWidthPercent(5, 0)).to.equal(0);
      const c = barChart({ title: 'Alama', items: [{ label: 'A', value: 50 }, { label: 'B', value: 100 }], max: 100, headers: ['Taasisi', 'Alama'], texts });
      expect(c.html).to.contain('width="24%"');
      expect(c.html).to.contain('width="48%"');
    });

    it('when labels contain markup, then the output escapes them and stays well-formed', () => {
      const c = barChart({ title: evil, items: [{ label: evil, value: 3, display: evil }], headers: [evil, 'v'], texts });
      expect(c.html).not.to.contain('<script>');
      expect(c.html).to.contain('&lt;script&gt;');
      assertWellFormed(c.html);
    });

    it('when rendered, then it has a text alternative and a table fallback with the data', () => {
      const c = barChart({ title: 'Alama kwa kanda', items: [{ label: 'Arusha', value: 7 }], headers: ['Kanda', 'Alama'], texts });
      expect(c.html).to.match(/<svg[^>]*role="img"[^>]*aria-label="Alama kwa kanda\. Arusha: 7"/);
      expect(c.html).to.contain('<title>Alama kwa kanda</title>');
      expect(c.html).to.contain('<details class="chart-table"><summary>Onyesha kama jedwali</summary>');
      expect(c.html).to.contain('<th scope="row">Arusha</th><td>7</td>');
      expect(c.table.rows).to.deep.equal([['Arusha', '7']]);
    });
  });

  describe('statusBar', () => {
    const counts = { completed: 5, in_progress: 3, not_started: 2, not_applicable: 0, not_reported: 10 };

    it('when counts are given, then segments split 100 % in display order and skip empty statuses', () => {
      const segs = statusSegments(counts);
      expect(segs.map((s) => s.key)).to.deep.equal(['completed', 'in_progress', 'not_started', 'not_reported']);
      expect(segs[0]).to.include({ x: 0, width: 25 });
      expect(segs[1]).to.include({ x: 25, width: 15 });
      expect(segs[3]).to.include({ x: 50, width: 50 });
      expect(statusSegments({ completed: 0, in_progress: 0, not_started: 0, not_applicable: 0, not_reported: 0 })).to.deep.equal([]);
    });

    it('when rendered, then it is well-formed with legend, patterns, counts and a table of every status', () => {
      const c = statusBar({ title: 'Azimio 1', counts, labels, headers: ['Hali', 'Idadi', 'Asilimia'], texts });
      assertWellFormed(c.html);
      expect(c.html).to.contain('width="25%"');
      expect(c.html).to.contain('<ul class="chart-legend">');
      for (const key of STATUS_KEYS) expect(c.html).to.contain(labels[key]);
      expect(c.html).to.match(/aria-label="Azimio 1: Imekamilika 5, Inaendelea 3, Haijaanza 2, Haihusiki 0, Haijaripotiwa 10"/);
      expect(c.table.rows).to.deep.equal([
        ['Imekamilika', '5', '25 %'],
        ['Inaendelea', '3', '15 %'],
        ['Haijaanza', '2', '10 %'],
        ['Haihusiki', '0', '0 %'],
        ['Haijaripotiwa', '10', '50 %'],
      ]);
    });

    it('when the same data is rendered twice, then the markup is identical (stable ETags)', () => {
      const a = statusBar({ title: 'x', counts, labels, headers: ['a', 'b', 'c'], texts });
      const b = statusBar({ title: 'x', counts, labels, headers: ['a', 'b', 'c'], texts });
      expect(a.html).to.equal(b.html);
    });

    it('when the legend is turned off, then no legend is rendered, and statusLegend renders one alone', () => {
      const c = statusBar({ title: 'x', counts, labels, headers: ['a', 'b', 'c'], texts, legend: false });
      expect(c.html).not.to.contain('chart-legend');
      const legend = statusLegend(labels);
      assertWellFormed(legend);
      expect(legend.match(/<li>/g)).to.have.length(5);
    });

    it('when statuses are styled, then every colour and every pattern is distinct', () => {
      const colors = new Set(STATUS_KEYS.map((k) => STATUS_STYLES[k].color));
      const patterns = new Set(STATUS_KEYS.map((k) => STATUS_STYLES[k].pattern));
      expect(colors.size).to.equal(5);
      expect(patterns.size).to.equal(5);
    });

    it('when a label contains markup, then it is escaped', () => {
      const c = statusBar({ title: evil, counts, labels: { ...labels, completed: evil }, headers: ['a', 'b', 'c'], texts });
      expect(c.html).not.to.contain('<script>');
      assertWellFormed(c.html);
    });
  });

  describe('histogram', () => {
    it('when values are binned, then 100 falls in the last bin and every value is counted once', () => {
      const bins = histogramBins([0, 9.99, 10, 55, 99, 100, Number.NaN]);
      expect(bins).to.have.length(10);
      expect(bins[0].count).to.equal(2);
      expect(bins[1].count).to.equal(1);
      expect(bins[5].count).to.equal(1);
      expect(bins[9].count).to.equal(2);
      expect(bins.reduce((s, b) => s + b.count, 0)).to.equal(6);
    });

    it('when rendered, then the tallest bin fills the plot and the markup is well-formed', () => {
      const c = histogram({ title: 'Mgawanyo wa alama', values: [5, 6, 95], headers: ['Kiwango', 'Idadi'], texts });
      assertWellFormed(c.html);
      expect(c.html).to.contain('height="120"');
      expect(c.html).to.contain('height="60"');
      expect(c.table.rows[0]).to.deep.equal(['0–10', '2']);
    });
  });

  describe('trendLine', () => {
    it('when inverted (ranks), then rank 1 is drawn above rank 10', () => {
      const pts = [{ label: 'v1', value: 10 }, { label: 'v2', value: 1 }];
      const [a, b] = trendCoordinates(pts, true);
      expect(b.y).to.be.lessThan(a.y);
      const [c, d] = trendCoordinates(pts, false);
      expect(c.y).to.be.lessThan(d.y);
    });

    it('when there is one point or none, then it still renders well-formed markup', () => {
      const one = trendLine({ title: 'Nafasi', points: [{ label: evil, value: 3 }], invert: true, headers: ['Toleo', 'Nafasi'], texts });
      assertWellFormed(one.html);
      expect(one.html).not.to.contain('<polyline');
      const none = trendLine({ title: 'Nafasi', points: [], headers: ['Toleo', 'Nafasi'], texts });
      assertWellFormed(none.html);
      const many = trendLine({ title: 'Nafasi', points: [{ label: 'a', value: 3 }, { label: 'b', value: 1 }], invert: true, headers: ['Toleo', 'Nafasi'], texts });
      expect(many.html).to.contain('<polyline');
    });
  });

  describe('chart helper', () => {
    it('when given a chart, then it returns a safe string with the markup; otherwise nothing', () => {
      const c = barChart({ title: 't', items: [], headers: ['a', 'b'], texts });
      const out = chartHelper(c);
      expect(typeof out === 'object' && out.toHTML()).to.equal(c.html);
      expect(chartHelper(undefined)).to.equal('');
      expect(chartHelper('<b>')).to.equal('');
    });
  });
});
