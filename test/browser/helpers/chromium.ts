/**
 * Debian's Chromium driven by playwright-core for the browser tests (issue 18). No browser is
 * ever downloaded: the tests use /usr/bin/chromium (`apt-get install chromium`; .ci/run installs
 * it). Without it the browser tests skip with a printed reason, and fail under CI=true
 * (DESIGN.md "Tests").
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where Debian's chromium package puts the browser. */
export const chromiumPath = process.env.GATEHOUSE_TEST_CHROMIUM ?? '/usr/bin/chromium';

/** The flags the browser runs with: headless, no sandbox (containers), nothing fetched from the network. */
export const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

/** Undefined when Chromium is there, else why the browser tests are skipped (a failing test under CI=true). */
export function chromiumSkipReason(what: string): string | undefined {
  let reason: string | undefined;
  try {
    accessSync(chromiumPath, constants.X_OK);
  } catch {
    reason = `${chromiumPath} is missing (apt-get install chromium)`;
  }
  if (reason === undefined) return undefined;
  if (process.env.CI === 'true') it(`finds Chromium (required in CI for ${what})`, () => assert.fail(reason));
  else console.log(`# skipping ${what}: ${reason}`);
  return reason;
}

/** Starts Chromium headless. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs, timeout: 60_000 });
}
