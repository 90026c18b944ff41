import { expect } from 'chai';
import type { HelperOptions } from 'handlebars';
import { helpers } from '../../../src/views/helpers/index.js';
import { buildUrlWith } from '../../../src/views/helpers/url-with.js';

/** A fake Handlebars options object for a render in `lang` at `currentUrl`. */
function opts(lang: 'sw' | 'en', hash: Record<string, unknown> = {}, currentUrl = '/x'): HelperOptions {
  return { hash, data: { root: { lang, currentUrl } }, fn: () => '', inverse: () => '', lookupProperty: () => undefined } as unknown as HelperOptions;
}

describe('view helpers', () => {
  it('t: translates in the render language with parameters', () => {
    expect(helpers.t('common:nav.login', opts('sw'))).to.equal('Ingia');
    expect(helpers.t('common:nav.login', opts('en'))).to.equal('Sign in');
    expect(helpers.t('common:pagination.label', opts('en', { page: 2, pages: 5 }))).to.equal('Page 2 of 5');
  });

  it('loc: picks the language and marks the Kiswahili fallback', () => {
    expect(String(helpers.loc({ sw: 'Wizara', en: 'Ministry' }, opts('en')))).to.equal('Ministry');
    expect(String(helpers.loc({ sw: 'Wizara', en: 'Ministry' }, opts('sw')))).to.equal('Wizara');
    const fallback = String(helpers.loc({ sw: 'Wizara <b>', en: '' }, opts('en')));
    expect(fallback).to.equal('<span lang="sw" class="fallback">Wizara &lt;b&gt;</span> <span class="fallback-note">(Kiswahili)</span>');
    expect(helpers.loc(null, opts('en'))).to.equal('');
    expect(helpers.locText({ sw: 'Wizara' }, opts('en'))).to.equal('Wizara');
  });

  it('formatDate: formats for the language in Dar es Salaam time', () => {
    const d = new Date('2024-02-05T22:30:00Z'); // 6 Feb 01:30 in Dar es Salaam
    expect(helpers.formatDate(d, opts('sw'))).to.equal('6 Februari 2024');
    expect(helpers.formatDate(d, opts('en'))).to.equal('6 February 2024');
    expect(helpers.formatDate(d, 'iso', opts('en'))).to.equal('2024-02-06');
    expect(helpers.formatDate(null, opts('en'))).to.equal('');
    expect(helpers.formatDate('not a date', opts('en'))).to.equal('');
  });

  it('formatNumber and formatPercent: locale-aware', () => {
    expect(helpers.formatNumber(12345.678, opts('en'))).to.equal('12,345.68');
    expect(helpers.formatNumber(3, 1, opts('en'))).to.equal('3.0');
    expect(helpers.formatPercent(42.5, opts('en'))).to.equal('42.5%');
    expect(helpers.formatPercent(undefined, opts('en'))).to.equal('');
  });

  it('logic helpers compare values and ObjectId-like strings', () => {
    const o = opts('sw');
    expect(helpers.eq('1', 1)).to.equal(true);
    expect(helpers.ne('a', 'b')).to.equal(true);
    expect(helpers.and(true, 1, 'x', o)).to.equal(true);
    expect(helpers.and(true, 0, o)).to.equal(false);
    expect(helpers.or(false, '', 'y', o)).to.equal(true);
    expect(helpers.not('')).to.equal(true);
  });

  it('selected/checked: mark matching options', () => {
    expect(String(helpers.selected('a', 'a'))).to.equal('selected');
    expect(String(helpers.selected('a', ['b', 'a']))).to.equal('selected');
    expect(String(helpers.selected('a', undefined))).to.equal('');
    expect(String(helpers.checked(true, opts('sw')))).to.equal('checked');
    expect(String(helpers.checked('x', ['x'], opts('sw')))).to.equal('checked');
  });

  it('json: cannot break out of a script or attribute', () => {
    expect(String(helpers.json({ a: '</script><b>&' }))).to.equal('{"a":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}');
  });

  it('urlWith: changes one parameter, resets page on filter change', () => {
    expect(buildUrlWith('/r?type=lga&page=3', 'region', 'Arusha')).to.equal('/r?type=lga&region=Arusha');
    expect(buildUrlWith('/r?type=lga&page=3', 'page', 4)).to.equal('/r?type=lga&page=4');
    expect(buildUrlWith('/r?type=lga', 'type', '')).to.equal('/r');
    expect(helpers.urlWith('lang', 'en', opts('sw', {}, '/a?page=2'))).to.equal('/a?page=2&lang=en');
  });

  it('pagination: renders links keeping filters, nothing for one page', () => {
    expect(String(helpers.pagination(opts('en', { page: 1, pages: 1 })))).to.equal('');
    const html = String(helpers.pagination(opts('en', { page: 2, pages: 3 }, '/u?q=a&type=lga')));
    expect(html).to.contain('aria-label="Page 2 of 3"');
    expect(html).to.contain('<span aria-current="page">2</span>');
    expect(html).to.contain('rel="next"');
    expect(html.replace(/&#x3D;/g, '=')).to.contain('href="/u?q=a&amp;type=lga&amp;page=3"');
  });

  it('concat: joins arguments for dynamic keys', () => {
    expect(helpers.concat('common:roles.', 'admin', opts('sw'))).to.equal('common:roles.admin');
  });
});

describe('navCurrent helper', () => {
  it('marks the link of the current section only', () => {
    expect(String(helpers.navCurrent('/admin/users', opts('sw', {}, '/admin/users/abc?x=1')))).to.equal(' aria-current="page"');
    expect(String(helpers.navCurrent('/admin/users', opts('sw', {}, '/admin/usersx')))).to.equal('');
    expect(String(helpers.navCurrent('/', opts('sw', {}, '/admin')))).to.equal('');
    expect(String(helpers.navCurrent('/', opts('sw', {}, '/?lang=en')))).to.equal(' aria-current="page"');
  });
});
