import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VIEWS_DIR } from '../../../src/paths.js';

function templates(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? templates(join(dir, e.name)) : e.name.endsWith('.hbs') ? [join(dir, e.name)] : [],
  );
}

describe('form templates', () => {
  // The browser's own validation bubbles speak the browser's language ("Please fill out this
  // field.") on Kiswahili pages; the server validates every form and answers in the page's language.
  it('when any template renders a form, then the form turns off browser-native validation', () => {
    const missing = templates(VIEWS_DIR).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/<form\b[^>]*>/g)].filter((m) => !/\bnovalidate\b/.test(m[0])).map((m) => `${file}: ${m[0]}`),
    );
    expect(missing).to.deep.equal([]);
  });
});
