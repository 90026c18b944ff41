import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';

/**
 * docs/glossary.md is the one list of Kiswahili and English terms. Each row names the locale keys
 * that must carry its terms and the Kiswahili words that must not appear in any string.
 */
const ROOT = join(import.meta.dirname, '..', '..', '..');
const LOCALES = join(ROOT, 'src', 'i18n', 'locales');

interface Term {
  concept: string;
  sw: string;
  en: string;
  keys: string[];
  avoid: string[];
}

function glossary(): Term[] {
  const text = readFileSync(join(ROOT, 'docs', 'glossary.md'), 'utf8');
  const section = text.slice(text.indexOf('## Terms'));
  const rows = section.split('\n').filter((l) => l.startsWith('|') && !l.startsWith('|---') && !l.startsWith('| Concept'));
  return rows.map((row) => {
    const cells = row.split('|').slice(1, -1).map((c) => c.trim());
    const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
    return { concept: cells[0], sw: cells[1], en: cells[2], keys: list(cells[3] ?? ''), avoid: list(cells[4] ?? '') };
  });
}

function strings(lang: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (ns: string, value: unknown, path: string[]) => {
    if (typeof value === 'string') out.set(`${ns}:${path.join('.')}`, value);
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(ns, v, [...path, k]);
  };
  for (const file of readdirSync(join(LOCALES, lang)).filter((f) => f.endsWith('.json'))) {
    walk(file.replace(/\.json$/, ''), JSON.parse(readFileSync(join(LOCALES, lang, file), 'utf8')), []);
  }
  return out;
}

describe('i18n/glossary (docs/glossary.md)', () => {
  const terms = glossary();
  const sw = strings('sw');
  const en = strings('en');

  it('when the glossary is read, then it lists the terms the issue named', () => {
    expect(terms.length).to.be.greaterThan(10);
    expect(terms.map((t) => t.sw)).to.include.members(['Nafasi za taasisi', 'Tarehe ya mwisho', 'Utangamanishaji wa mifumo']);
  });

  it('when a locale key is listed for a term, then both languages carry exactly that term', () => {
    const drift: string[] = [];
    for (const term of terms) {
      for (const key of term.keys) {
        if (sw.get(key) !== term.sw) drift.push(`sw ${key} = ${JSON.stringify(sw.get(key))}, glossary says ${JSON.stringify(term.sw)}`);
        if (en.get(key) !== term.en) drift.push(`en ${key} = ${JSON.stringify(en.get(key))}, glossary says ${JSON.stringify(term.en)}`);
      }
    }
    expect(drift, drift.join('\n')).to.deep.equal([]);
  });

  it('when a Kiswahili string uses a word the glossary says to avoid (or "viwango" outside the standards category), then the test names it', () => {
    const allowedViwango = new Set(terms.filter((t) => /viwango/i.test(t.sw)).flatMap((t) => t.keys));
    const found: string[] = [];
    for (const [key, value] of sw) {
      for (const term of terms) {
        for (const word of term.avoid) if (value.toLowerCase().includes(word.toLowerCase())) found.push(`${key}: "${word}" (use "${term.sw}")`);
      }
      if (/viwango/i.test(value) && !allowedViwango.has(key)) found.push(`${key}: "viwango" means standards only`);
    }
    expect(found, found.join('\n')).to.deep.equal([]);
  });
});
