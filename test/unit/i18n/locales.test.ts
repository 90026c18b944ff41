import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadResources, getI18n } from '../../../src/i18n/index.js';
import { VIEWS_DIR, ROOT_DIR } from '../../../src/paths.js';

type Tree = Record<string, unknown>;

/** Flattens nested keys; plural suffixes (_one, _other, ...) are folded into the base key. */
function keysOf(tree: Tree, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object') out.push(...keysOf(v as Tree, key));
    else out.push(key);
  }
  return out;
}

function baseKeys(tree: Tree): Set<string> {
  return new Set(keysOf(tree).map((k) => k.replace(/_(zero|one|two|few|many|other)$/, '')));
}

function filesEndingWith(dir: string, suffix: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesEndingWith(path, suffix));
    else if (name.endsWith(suffix)) out.push(path);
  }
  return out;
}

function hbsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...hbsFiles(path));
    else if (name.endsWith('.hbs')) out.push(path);
  }
  return out;
}

describe('locale files', () => {
  const resources = loadResources();

  it('when loaded, then Kiswahili and English have the same namespaces', () => {
    expect(Object.keys(resources.sw).sort()).to.deep.equal(Object.keys(resources.en).sort());
  });

  it('when compared, then every namespace has the same keys in both languages', () => {
    const problems: string[] = [];
    for (const ns of Object.keys(resources.sw)) {
      const sw = baseKeys(resources.sw[ns]);
      const en = baseKeys(resources.en[ns] ?? {});
      for (const k of sw) if (!en.has(k)) problems.push(`en/${ns}.json lacks ${k}`);
      for (const k of en) if (!sw.has(k)) problems.push(`sw/${ns}.json lacks ${k}`);
    }
    expect(problems, problems.join('\n')).to.deep.equal([]);
  });

  it('when templates use {{t "ns:key"}}, then every key exists in both languages', () => {
    const i18n = getI18n();
    const missing: string[] = [];
    const pattern = /(?:\{\{|\()\s*t\s+"([a-zA-Z]+:[\w.-]+)"/g;
    for (const file of hbsFiles(VIEWS_DIR)) {
      const text = readFileSync(file, 'utf8').replace(/\{\{!--[\s\S]*?--\}\}/g, '').replace(/\{\{![\s\S]*?\}\}/g, '');
      for (const match of text.matchAll(pattern)) {
        const key = match[1];
        for (const lng of ['sw', 'en']) {
          const [ns, path] = key.split(':');
          const exists = i18n.exists(key, { lng, fallbackLng: false }) || i18n.exists(`${ns}:${path}_other`, { lng, fallbackLng: false });
          if (!exists) missing.push(`${relative(ROOT_DIR, file)}: ${key} (${lng})`);
        }
      }
    }
    expect(missing, missing.join('\n')).to.deep.equal([]);
  });

  it("when code uses t('ns:key') or throws an error with a key, then the key exists in both languages", () => {
    const i18n = getI18n();
    const missing: string[] = [];
    const pattern = /(?:\bt\(\s*|Error\(\s*|messageKey:\s*)'([a-zA-Z]+:[\w.-]+)'/g;
    for (const file of filesEndingWith(join(ROOT_DIR, 'src'), '.ts')) {
      if (file.includes(join('db', 'embedded'))) continue;
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(pattern)) {
        for (const lng of ['sw', 'en']) {
          const key = match[1];
          if (!i18n.exists(key, { lng, fallbackLng: false }) && !i18n.exists(`${key}_other`, { lng, fallbackLng: false })) {
            missing.push(`${relative(ROOT_DIR, file)}: ${key} (${lng})`);
          }
        }
      }
    }
    expect(missing, missing.join('\n')).to.deep.equal([]);
  });
});
