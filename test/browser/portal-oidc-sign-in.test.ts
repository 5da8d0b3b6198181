/**
 * Issue 18 §1 in a real browser (Debian's Chromium driven by playwright-core): on a real
 * `gatehouse start` whose `identityProviders/aad` names a local OpenID provider (oidc-provider on
 * loopback), a visitor opens the portal's sign-in page, follows "Sign in with Microsoft Entra ID",
 * logs in and consents on the provider's pages, and comes back signed in to the portal. A failed
 * sign-in shows its fixed message. axe-core checks the sign-in page.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { OidcTestProvider } from '../helpers/oidc-test-provider.js';
import { startGatehouseWithOidcProvider, type GatehouseWithOidcProvider } from '../e2e/helpers/gatehouse-with-oidc-provider.js';
import { assertNoAxeViolations } from './helpers/axe-check.js';
import { chromiumSkipReason, launchChromium } from './helpers/chromium.js';

const root = new URL('../..', import.meta.url).pathname;
/** docs/images with GATEHOUSE_SCREENSHOTS=docs (to refresh docs/identity-providers.md), else a temporary folder. */
const images = process.env.GATEHOUSE_SCREENSHOTS === 'docs' ? join(root, 'docs', 'images') : mkdtempSync(join(tmpdir(), 'gatehouse-screenshots-'));

const skip = chromiumSkipReason('the portal sign-in browser test');

describe('signing in to the portal through an OpenID Connect provider, in Chromium', { skip }, () => {
  let started: GatehouseWithOidcProvider;
  let idp: OidcTestProvider;
  let browser: Browser;
  let page: Page;
  let portalUrl = '';

  before(async () => {
    started = await startGatehouseWithOidcProvider();
    ({ idp, portalUrl } = started);
    idp.accounts.set('browser-user', { email: 'browser.user@example.com', given_name: 'Bea', family_name: 'Rowser' });
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1100, height: 760 } })).newPage();
    page.setDefaultTimeout(30_000);
  });
  after(async () => {
    await browser?.close();
    await started?.stop();
  });

  it('follows the provider button through the login and comes back signed in', async () => {
    await page.goto(`${portalUrl}/signin`);
    const button = page.getByRole('link', { name: 'Sign in with Microsoft Entra ID' });
    await button.waitFor();
    await assertNoAxeViolations(page, 'the sign-in page with an identity provider');
    mkdirSync(images, { recursive: true });
    await page.screenshot({ path: join(images, 'portal-sign-in-provider.png') });
    await button.click();
    // The provider's own (development) login page.
    await page.waitForURL((url) => url.origin === idp.issuer);
    await page.locator('input[name="login"]').fill('browser-user');
    await page.locator('input[name="password"]').fill('any password');
    await page.locator('button[type="submit"]').click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${portalUrl}/`);
    await page.getByText(/^Signed in as [0-9a-f]{24}$/).waitFor();
    const cookies = await page.context().cookies(portalUrl);
    assert.ok(cookies.some((c) => c.name === 'gatehouse-portal' && c.httpOnly), 'the portal session cookie is set, HttpOnly');
  });

  it('shows the fixed message of a failed sign-in', async () => {
    await page.goto(`${portalUrl}/signin?error=account_exists`);
    await page.getByRole('alert').filter({ hasText: 'An account with your e-mail address already exists.' }).waitFor();
    await assertNoAxeViolations(page, 'the sign-in page with a sign-in error');
    await page.goto(`${portalUrl}/signin?error=%3Cb%3Ehello%3C%2Fb%3E`);
    await page.getByRole('alert').filter({ hasText: 'The sign-in failed. Try again.' }).waitFor();
    assert.equal(await page.getByText('hello').count(), 0);
  });
});
