/**
 * Real Chromium for tests, without a browser download: @sparticuz/chromium ships a packed
 * binary that it unpacks to /tmp on first use, and playwright-core drives it.
 *
 * sparticuz's flags include --single-process: closing a browser context there ends the whole
 * browser, so a test file launches once, opens one context, and opens and closes pages in it.
 *
 * `runAxe` checks a loaded page against axe-core's WCAG 2.1 A/AA rules (docs/testing.md) and returns only
 * what a failing test should print: rule, impact, help text and link, and the offending nodes.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import sparticuz from '@sparticuz/chromium';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { AxeResults, RunOptions } from 'axe-core';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: await sparticuz.executablePath(), args: sparticuz.args, headless: true });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string; html: string; failureSummary: string }[];
}

export const WCAG_21_AA: RunOptions = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  resultTypes: ['violations'],
};

// Read once per test file; injecting the source text avoids serving axe from the page's origin.
let axeSource: string | undefined;
function axeScript(): string {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return axeSource;
}

/** Runs axe in the page (injecting it once per document) and returns the violations, [] when clean. */
export async function runAxe(page: Page, options: RunOptions = WCAG_21_AA): Promise<AxeViolation[]> {
  // page.evaluate runs outside the page's CSP, so this works under `script-src 'none'` too.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axeScript());
  // The callback runs in the browser: only what it returns (plain data) crosses back.
  const results = await page.evaluate(async (opts) => {
    const { axe } = globalThis as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<AxeResults> } };
    const r = await axe.run((globalThis as unknown as { document: unknown }).document, opts);
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: JSON.stringify(n.target), html: n.html, failureSummary: n.failureSummary ?? '' })),
    }));
  }, options);
  return results;
}
