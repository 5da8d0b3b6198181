/**
 * The accessibility check of a page (issue 18): axe-core, from node_modules, run inside the page;
 * any violation fails with its rule, impact and the elements it found.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/**
 * Runs axe on the page as it is now and fails on any violation. `page.addScriptTag` would add
 * axe as an inline script, which the console's CSP refuses (as it must, and a test checks it
 * does), so the same file is evaluated through the DevTools protocol, which CSP does not govern.
 */
export async function assertNoAxeViolations(page: Page, where: string): Promise<void> {
  const present = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!present) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: unknown): Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  }) as AxeViolation[];
  const described = violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join('\n    ')}`);
  assert.deepEqual(described, [], `axe-core found accessibility violations on ${where}`);
}
