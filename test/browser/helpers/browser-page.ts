/**
 * A Chromium page for a browser test: light colours, a fixed viewport, a 30 s default wait, and
 * the Content-Security-Policy violations the page reports, collected so a test can assert none.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './chromium.js';

export interface BrowserPage {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** The page's console messages about its Content-Security-Policy, in order. */
  cspViolations: string[];
}

export async function openBrowserPage(viewport = { width: 1200, height: 800 }): Promise<BrowserPage> {
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport, colorScheme: 'light' });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const cspViolations: string[] = [];
  page.on('console', (message) => {
    if (/Content[- ]Security[- ]Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  return { browser, context, page, cspViolations };
}
