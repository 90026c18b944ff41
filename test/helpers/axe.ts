/**
 * axe-core in a playwright page: WCAG 2.0/2.1 A and AA rules (blocking at serious/critical) plus
 * best-practice rules (printed only). Shared by the accessibility and walk-through browser tests.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
/** Also run (heading order, landmarks, ...) but only printed: they are not WCAG success criteria. */
export const ADVISORY_TAGS = ['best-practice'];

export interface AxeNode {
  target: string[];
  html: string;
  failureSummary?: string;
}
export interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  tags: string[];
  nodes: AxeNode[];
}

/** Runs axe on the current page; page.evaluate is not subject to the app's CSP (no inline scripts). */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  const hasAxe = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined');
  if (!hasAxe) await page.evaluate(await readFile(require.resolve('axe-core/axe.min.js'), 'utf8'));
  // A string expression: the tsconfig has no DOM types, and this runs in the page anyway.
  const options = JSON.stringify({ runOnly: { type: 'tag', values: [...WCAG_TAGS, ...ADVISORY_TAGS] }, resultTypes: ['violations'] });
  return page.evaluate(
    `axe.run(document, ${options}).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, tags: v.tags, nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary })) })))`,
  ) as Promise<AxeViolation[]>;
}

/** The WCAG violations of serious or critical impact, one line each (empty when the page passes). */
export function blockingViolations(violations: AxeViolation[], where: string): string[] {
  return violations
    .filter((v) => v.tags.some((tag) => WCAG_TAGS.includes(tag)) && (v.impact === 'serious' || v.impact === 'critical'))
    .map((v) => `${where} ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} ${n.html.slice(0, 160)}`).join('\n    ')}`);
}
