/**
 * Issue 18 "Done means", the developer's journey end to end in one run: one `gatehouse start
 * --smtp` to a real SMTP server on loopback (smtp-server), driven in Debian's Chromium through
 * playwright-core. In one browser context a visitor signs up on the portal, confirms by the
 * mailed link, browses the Echo API's reference and subscribes to Unlimited (approval required:
 * shown as waiting). In a second context the administrator signs in to the admin console and
 * approves that subscription on the subscriptions page. Back in the portal the subscription is
 * active, its key is shown, and the Echo API answers 200 from the try-it console with the echo
 * body shown. axe-core checks every page the journey visits and the portal's not-found page.
 *
 * The other "Done means" steps are covered elsewhere, each against its own `gatehouse start`:
 * - a policy with a syntax error shown at its line and column in the console's editor, and a
 *   private endpoint connection approved: test/browser/admin-console.test.ts;
 * - sign-in through the local OpenID provider: test/browser/portal-oidc-sign-in.test.ts;
 * - password reset, key copy and regenerate, cancel: test/browser/developer-portal-account.test.ts;
 * - the imported API's reference details and the try-it console's fields:
 *   test/browser/developer-portal-catalogue.test.ts;
 * - suspend, reactivate and regenerate in the console: test/browser/admin-console-resources.test.ts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startGatehouseProcess, type GatehouseProcess } from '../e2e/helpers/gatehouse-process.js';
import { adminConsoleTarget } from '../e2e/helpers/admin-console-target.js';
import { waitFor } from '../e2e/helpers/wait-for.js';
import { assertNoAxeViolations } from './helpers/axe-check.js';
import { openBrowserPage } from './helpers/browser-page.js';
import { chromiumSkipReason } from './helpers/chromium.js';
import { signedInConsolePage } from './helpers/console-sign-in.js';
import { mailedLink, startMailCatcher, type MailCatcher } from './helpers/mail-catcher.js';
import { portalUrlOf, signUpOnThePage } from './helpers/portal-forms.js';

const skip = chromiumSkipReason('the issue 18 journey browser test');

/** The visitor of the journey, and the name they give their subscription. */
const visitor = { email: 'journey@example.com', firstName: 'Jo', lastName: 'Urney', password: 'journey-password-1' };
const subscriptionName = 'Jo on Unlimited';

describe('the issue 18 journey: sign up, subscribe, approval in the console, a call from the try-it console', { skip }, () => {
  let mail: MailCatcher;
  let gh: GatehouseProcess;
  let portalUrl: string;
  let browser: Browser;
  let portal: Page;
  /** What the portal's pages reported against its Content-Security-Policy over the whole journey. */
  let portalCspViolations: string[];
  let adminContext: BrowserContext;

  /** The status of a gateway call to the Echo API with a subscription key. */
  const echoStatus = async (key: string) => {
    const res = await fetch(`${gh.gatewayUrl}/echo/resource?from=journey`, { headers: { 'Ocp-Apim-Subscription-Key': key } });
    await res.arrayBuffer();
    return res.status;
  };
  const portalNavigation = (name: string) => portal.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name, exact: true });

  before(async () => {
    mail = await startMailCatcher();
    gh = await startGatehouseProcess(['--smtp', mail.url]);
    portalUrl = portalUrlOf(gh).replace(/\/+$/, '');
    ({ browser, page: portal, cspViolations: portalCspViolations } = await openBrowserPage());
    adminContext = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  });
  after(async () => {
    await browser?.close();
    await gh?.stop();
    await mail?.close();
  });

  it('a visitor signs up on the portal and confirms by the mailed link', async () => {
    await portal.goto(portalUrl);
    await portal.getByRole('list', { name: 'APIs' }).getByRole('link', { name: 'Echo API' }).waitFor();
    await assertNoAxeViolations(portal, 'the portal home page');

    await portal.getByRole('link', { name: 'Sign up' }).first().click();
    await portal.getByRole('heading', { name: 'Sign up' }).waitFor();
    await signUpOnThePage(portal, visitor);
    await portal.getByRole('heading', { name: 'Check your mail' }).waitFor();
    await portal.getByRole('status').filter({ hasText: visitor.email }).waitFor();

    const link = mailedLink(await mail.mailTo(visitor.email, /Confirm/, gh), 'confirm', portalUrl);
    await portal.goto(link);
    await portal.getByRole('button', { name: 'Confirm my account' }).click();
    await portal.getByRole('heading', { name: 'Your profile' }).waitFor();
    await portal.getByText(`${visitor.firstName} ${visitor.lastName}`).waitFor();
    await portal.getByRole('button', { name: 'Sign out' }).waitFor();
  });

  it('the new developer browses the Echo API reference and subscribes to Unlimited, which waits for approval', async () => {
    await portalNavigation('APIs').click();
    await portal.getByRole('list', { name: 'APIs' }).getByRole('link', { name: 'Echo API' }).click();
    await portal.getByRole('heading', { name: 'Echo API', level: 1 }).waitFor();
    await portal.getByRole('list', { name: 'Operations' }).getByRole('link', { name: 'POST Create resource' }).waitFor();
    await portal.locator('h2#op-get-anything').waitFor();
    await assertNoAxeViolations(portal, 'the Echo API reference');

    await portalNavigation('Products').click();
    // Unlimited is shown to Developers, which a confirmed sign-up joins.
    await portal.getByRole('list', { name: 'Products' }).getByRole('link', { name: 'Unlimited' }).click();
    await portal.getByRole('heading', { name: 'Unlimited', level: 1 }).waitFor();
    await portal.getByText('Subscriptions wait for an administrator’s approval.').waitFor();
    await assertNoAxeViolations(portal, 'the Unlimited product page');
    await portal.getByLabel('Subscription name').fill(subscriptionName);
    await portal.getByRole('button', { name: 'Subscribe' }).click();
    await portal.getByRole('status').filter({ hasText: `Your subscription “${subscriptionName}” is submitted, waiting for approval.` }).waitFor();
    await assertNoAxeViolations(portal, 'the Unlimited product page after subscribing');

    await portalNavigation('Subscriptions').click();
    await portal.getByRole('heading', { name: 'Your subscriptions' }).waitFor();
    const mine = portal.getByRole('region', { name: subscriptionName, exact: true });
    await mine.getByText('Submitted: waiting for approval').waitFor();
    assert.equal(await mine.getByRole('table').count(), 0, 'a subscription waiting for approval shows no keys');
    await assertNoAxeViolations(portal, 'the subscriptions page with a subscription waiting');
  });

  it('the administrator approves the subscription in the console', async () => {
    const consolePage = await signedInConsolePage(adminContext, adminConsoleTarget(gh));
    await consolePage.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Subscriptions', exact: true }).click();
    await consolePage.getByRole('heading', { name: 'Subscriptions', level: 1 }).waitFor();
    await consolePage.getByLabel('Show', { exact: true }).selectOption('submitted');
    await consolePage.getByText('1 subscription, submitted only').waitFor();
    const row = consolePage.locator('tr[data-subscription]').filter({ hasText: subscriptionName });
    assert.match(await row.innerText(), /\/products\/unlimited/);
    await assertNoAxeViolations(consolePage, 'the console subscriptions page, submitted only');
    // The portal named the subscription with a new GUID: the console's buttons name it by that id.
    const id = await row.getAttribute('data-subscription');
    assert.match(id ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await row.getByRole('button', { name: `Approve ${id}` }).click();
    await consolePage.getByRole('status').filter({ hasText: `Subscription ${id} is active.` }).waitFor();
    await assertNoAxeViolations(consolePage, 'the console subscriptions page after the approval');
    await consolePage.close();
  });

  it('back in the portal the subscription is active, its key shown, and the try-it console calls the Echo API with it', async () => {
    await portal.reload();
    await portal.getByRole('heading', { name: 'Your subscriptions' }).waitFor();
    const mine = portal.getByRole('region', { name: subscriptionName, exact: true });
    await waitFor('the subscription to show as active', async () => /State\s+Active/.test(await mine.innerText()), gh);
    await mine.getByRole('button', { name: 'Show the keys' }).click();
    const primary = mine.getByRole('table', { name: `Keys of ${subscriptionName}` }).locator('code[data-key="primary"]');
    await primary.waitFor();
    const key = await primary.innerText();
    assert.match(key, /^[0-9a-f]{32}$/);
    await assertNoAxeViolations(portal, 'the subscriptions page with the key shown');
    await waitFor('the gateway to take the approved key', async () => (await echoStatus(key)) === 200, gh, 30_000);

    await portalNavigation('APIs').click();
    await portal.getByRole('list', { name: 'APIs' }).getByRole('link', { name: 'Echo API' }).click();
    const getAnything = portal.locator('section.operation').filter({ has: portal.locator('h2#op-get-anything') });
    await getAnything.getByRole('button', { name: 'Try GET anything' }).click();
    await getAnything.locator('option', { hasText: `${subscriptionName}, primary key` }).waitFor({ state: 'attached' });
    await getAnything.getByLabel('Key', { exact: true }).selectOption({ label: `${subscriptionName}, primary key` });
    await getAnything.getByLabel('Rest of the path (for *)').fill('journey/from-the-portal');
    await getAnything.getByRole('button', { name: 'Send' }).click();
    const status = getAnything.locator('.answer-status');
    await status.waitFor();
    assert.equal(await status.innerText(), '200 OK');
    // The echo server's answer as the page shows it: the path the gateway forwarded.
    assert.match(await getAnything.getByLabel('Answer body').innerText(), /"url": "\/journey\/from-the-portal"/);
    assert.match(await getAnything.getByLabel('Request sent').innerText(), new RegExp(`Ocp-Apim-Subscription-Key: •+${key.slice(-4)}`));
    await assertNoAxeViolations(portal, 'the Echo API reference with the try-it answer');
  });

  it('shows the portal\'s not-found page for an address it does not know', async () => {
    await portal.goto(`${portalUrl}/no-such-page/here`);
    await portal.getByRole('heading', { name: 'Not found', level: 1 }).waitFor();
    await portal.getByText('There is no such page in the portal.').waitFor();
    await assertNoAxeViolations(portal, 'the portal\'s not-found page');
    assert.deepEqual(portalCspViolations, [], 'the portal broke its own Content-Security-Policy');
  });
});
