/**
 * Issue 18 §1–2: the developer portal's account pages in a real browser (Debian's Chromium driven
 * by playwright-core) against a real `gatehouse start`. A user made by the administrator signs in
 * on the page, renames themself, changes their password (the old one is then refused), sees a
 * subscription, shows, copies and regenerates its keys (the gateway refuses the old key and takes
 * the new one) and cancels it. Sign-up, confirmation and password reset go through a real SMTP
 * server on loopback, the mails read with mailparser. axe-core checks every page; the screenshots
 * in docs/portal.md ("Your account") are taken here.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startGatehouseProcess, type GatehouseProcess } from '../e2e/helpers/gatehouse-process.js';
import { managementClient, type ManagementAnswer } from '../e2e/helpers/management-client.js';
import { waitFor } from '../e2e/helpers/wait-for.js';
import { assertNoAxeViolations } from './helpers/axe-check.js';
import { chromiumSkipReason, launchChromium } from './helpers/chromium.js';
import { mailedLink, startMailCatcher, type MailCatcher } from './helpers/mail-catcher.js';
import { portalUrlOf, signUpOnThePage } from './helpers/portal-forms.js';

const root = new URL('../..', import.meta.url).pathname;
/** docs/images with GATEHOUSE_SCREENSHOTS=docs (to refresh docs/portal.md's pictures), else a temporary folder. */
const images = process.env.GATEHOUSE_SCREENSHOTS === 'docs' ? join(root, 'docs', 'images') : mkdtempSync(join(tmpdir(), 'gatehouse-screenshots-'));

const skip = chromiumSkipReason('the developer portal account browser tests');

/**
 * The mailed sign-up and reset need the management API's self-service endpoints and `--smtp`
 * (the signup-mail branch, which brings src/main/mail-options.ts); until it is merged this part
 * is skipped with that reason, and it runs by itself once it is.
 */
const mailSkip = skip ?? (existsSync(join(root, 'src', 'main', 'mail-options.ts')) ? undefined : 'needs the signup-mail branch');

type Admin = ReturnType<typeof managementClient>;

function assertCreated(reply: ManagementAnswer, what: string): void {
  assert.ok(reply.status === 200 || reply.status === 201, `${what}: ${reply.status} ${reply.text}`);
}

/** The status of a gateway call to the sample Echo API with a subscription key. */
async function echoStatus(gh: GatehouseProcess, key: string): Promise<number> {
  const res = await fetch(`${gh.gatewayUrl}/echo/resource?from=account-test`, { headers: { 'Ocp-Apim-Subscription-Key': key } });
  await res.arrayBuffer();
  return res.status;
}

/** Opens a browser context whose pages may use the clipboard on the portal's origin. */
async function portalContext(browser: Browser, portalUrl: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 }, colorScheme: 'light' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(portalUrl).origin });
  return context;
}

async function signInOnThePage(page: Page, portalUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${portalUrl}/signin`);
  await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
  await page.getByLabel('E-mail address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

describe('the developer portal account pages in Chromium', { skip }, () => {
  let gh: GatehouseProcess;
  let admin: Admin;
  let portalUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  before(async () => {
    mkdirSync(images, { recursive: true });
    gh = await startGatehouseProcess([]);
    portalUrl = portalUrlOf(gh);
    admin = managementClient(gh);
    assertCreated(await admin('PUT', 'users/erin', { properties: { email: 'erin@example.com', firstName: 'Erin', lastName: 'Moss', password: 'erin-first-pw' } }), 'user erin');
    browser = await launchChromium();
    context = await portalContext(browser, portalUrl);
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
  });
  after(async () => {
    await browser?.close();
    await gh?.stop();
  });

  it('shows a visitor the sign-in options, the sign-up and reset pages, and asks them to sign in for account pages', async () => {
    // The error the identity provider sign-in sends back is shown in words; no provider is set up, so there are no buttons.
    await page.goto(`${portalUrl}/signin?error=state_mismatch`);
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    await page.getByRole('alert').filter({ hasText: 'could not be matched to the one this browser started' }).waitFor();
    // Only the fixed words: a code that is a property of every object is an unknown code.
    await page.goto(`${portalUrl}/signin?error=toString`);
    await page.getByRole('alert').filter({ hasText: 'The sign-in failed. Try again.' }).waitFor();
    assert.equal(await page.getByRole('link', { name: /^Sign in with / }).count(), 0);
    assert.equal(await page.getByLabel('E-mail address').getAttribute('autocomplete'), 'username');
    assert.equal(await page.getByLabel('Password', { exact: true }).getAttribute('autocomplete'), 'current-password');
    await assertNoAxeViolations(page, 'the sign-in page with an error');

    await page.getByRole('link', { name: 'Sign up' }).first().click();
    await page.getByRole('heading', { name: 'Sign up' }).waitFor();
    for (const [label, autocomplete] of [['E-mail address', 'email'], ['First name', 'given-name'], ['Last name', 'family-name'], ['Password', 'new-password'], ['Repeat the password', 'new-password']] as const) {
      assert.equal(await page.getByLabel(label, { exact: true }).getAttribute('autocomplete'), autocomplete, label);
    }
    await assertNoAxeViolations(page, 'the sign-up page');
    await page.screenshot({ path: join(images, 'portal-sign-up.png') });
    // The page checks the repeated password itself: nothing is sent.
    await signUpOnThePage(page, { email: 'someone@example.com', firstName: 'Some', lastName: 'One', password: 'a-long-password', repeated: 'another-password' });
    await page.getByRole('alert').filter({ hasText: 'The two passwords are not the same' }).waitFor();
    await assertNoAxeViolations(page, 'the sign-up page with a problem');

    await page.goto(`${portalUrl}/reset-password`);
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    await assertNoAxeViolations(page, 'the forgot-password page');
    await page.goto(`${portalUrl}/reset-password?userId=erin&ticket=abc`);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await assertNoAxeViolations(page, 'the new-password page');
    await page.goto(`${portalUrl}/confirm?userId=erin&ticket=abc`);
    await page.getByRole('heading', { name: 'Confirm your account' }).waitFor();
    await assertNoAxeViolations(page, 'the confirmation page');

    for (const [path, title] of [['/profile', 'Your profile'], ['/subscriptions', 'Your subscriptions']] as const) {
      await page.goto(`${portalUrl}${path}`);
      await page.getByRole('heading', { name: title }).waitFor();
      await page.getByRole('main').getByRole('link', { name: 'Sign in' }).waitFor();
      await assertNoAxeViolations(page, `${path} for a visitor`);
    }
  });

  it('shows a button for each identity provider the portal signs in with, and none when the list cannot be read', async (t) => {
    assertCreated(await admin('PUT', 'identityProviders/aad', { properties: { clientId: 'portal-client', clientSecret: 'portal-secret', authority: 'http://127.0.0.1:9/oidc' } }), 'aad provider');
    assertCreated(await admin('PUT', 'identityProviders/google', { properties: { clientId: 'google-client', clientSecret: 'google-secret' } }), 'google provider');
    const listed = await fetch(`${portalUrl}/portal-api/management/identityProviders?api-version=2024-05-01`);
    await listed.arrayBuffer();
    const pageAsked = page.waitForResponse((response) => new URL(response.url()).pathname.endsWith('/identityProviders'));
    await page.goto(`${portalUrl}/signin`);
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    assert.equal((await pageAsked).status(), listed.status);
    if (listed.status !== 200) {
      // The management API does not show identity providers to visitors (before the oidc branch): no buttons, nothing said.
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
      assert.equal(await page.getByRole('heading', { name: 'Sign in with your organisation' }).count(), 0);
      assert.equal(await page.getByRole('alert').count(), 0);
      t.diagnostic(`visitors get ${listed.status} for identityProviders: only the page without buttons was checked`);
      return;
    }
    const buttons = page.getByRole('list').filter({ has: page.getByRole('link', { name: 'Sign in with Microsoft Entra ID' }) }).getByRole('link');
    await buttons.first().waitFor();
    // google has no OpenID Connect sign-in in the portal: no button that could only fail.
    assert.deepEqual(await buttons.allInnerTexts(), ['Sign in with Microsoft Entra ID']);
    assert.equal(await buttons.first().getAttribute('href'), '/portal-api/signin/aad');
    await assertNoAxeViolations(page, 'the sign-in page with identity providers');
  });

  it('signs in on the page, and the name edited on the profile stays after a reload', async () => {
    await signInOnThePage(page, portalUrl, 'erin@example.com', 'erin-first-pw');
    await page.getByText('Signed in as erin').waitFor();
    await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Profile' }).click();
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
    await page.getByText('erin@example.com').waitFor();
    await page.getByText('Erin Moss').waitFor();
    await assertNoAxeViolations(page, 'the profile page');

    await page.getByLabel('First name').fill('Erinna');
    await page.getByLabel('Last name').fill('Moss-Vale');
    await page.getByRole('button', { name: 'Save the name' }).click();
    await page.getByRole('status').filter({ hasText: 'Your name is saved.' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
    await page.getByText('Erinna Moss-Vale').waitFor();
    assert.equal(await page.getByLabel('First name').inputValue(), 'Erinna');
    const stored = await admin('GET', 'users/erin');
    assert.equal(stored.body.properties.firstName, 'Erinna');
    assert.equal(stored.body.properties.lastName, 'Moss-Vale');
    await page.screenshot({ path: join(images, 'portal-profile.png'), fullPage: true });
  });

  it('changes the password: the old one is then refused, the new one signs in', async () => {
    await page.getByLabel('New password', { exact: true }).fill('erin-second-pw');
    await page.getByLabel('Repeat the new password').fill('erin-second-pw');
    await page.getByRole('button', { name: 'Change the password' }).click();
    await page.getByRole('status').filter({ hasText: 'Your password is changed.' }).waitFor();
    assert.equal(await page.getByLabel('New password', { exact: true }).inputValue(), '', 'the fields are emptied');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).waitFor();
    await signInOnThePage(page, portalUrl, 'erin@example.com', 'erin-first-pw');
    await page.getByRole('alert').filter({ hasText: 'AuthenticationFailed' }).waitFor();
    await page.getByLabel('Password', { exact: true }).fill('erin-second-pw');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText('Signed in as erin').waitFor();
  });

  it('lists the subscriptions, shows, copies and regenerates keys, and cancels', async () => {
    assertCreated(await admin('PUT', 'subscriptions/erin-starter', { properties: { scope: '/products/starter', ownerId: '/users/erin', displayName: "Erin's starter", state: 'active' } }), 'starter subscription');
    assertCreated(await admin('PUT', 'subscriptions/erin-unlimited', { properties: { scope: '/products/unlimited', ownerId: '/users/erin', displayName: "Erin's unlimited", state: 'submitted' } }), 'unlimited subscription');
    const before = (await admin('POST', 'subscriptions/erin-starter/listSecrets')).body as { primaryKey: string; secondaryKey: string };
    await waitFor('the gateway to take the starter key', async () => (await echoStatus(gh, before.primaryKey)) === 200, gh);

    await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Subscriptions' }).click();
    await page.getByRole('heading', { name: 'Your subscriptions' }).waitFor();
    const starter = page.getByRole('region', { name: "Erin's starter", exact: true });
    const unlimited = page.getByRole('region', { name: "Erin's unlimited", exact: true });
    await starter.waitFor();
    assert.match(await starter.innerText(), /Product\s+Starter/);
    assert.match(await starter.innerText(), /State\s+Active/);
    assert.match(await starter.innerText(), /Created\s+\d{4}-\d{2}-\d{2}/);
    assert.match(await unlimited.innerText(), /Submitted: waiting for approval/);
    assert.equal(await unlimited.getByRole('table').count(), 0, 'a subscription waiting for approval has no keys to show');
    // Masked: no key is in the page until asked for.
    const keys = starter.getByRole('table', { name: "Keys of Erin's starter" });
    assert.doesNotMatch(await page.content(), new RegExp(before.primaryKey));
    assert.match(await keys.innerText(), /••••/);
    await assertNoAxeViolations(page, 'the subscriptions page');
    await page.screenshot({ path: join(images, 'portal-subscriptions.png'), fullPage: true });

    await starter.getByRole('button', { name: 'Show the keys' }).click();
    await keys.locator('code[data-key="primary"]').waitFor();
    assert.equal(await keys.locator('code[data-key="primary"]').innerText(), before.primaryKey);
    assert.equal(await keys.locator('code[data-key="secondary"]').innerText(), before.secondaryKey);
    assert.equal(await starter.getByRole('button', { name: 'Hide the keys' }).getAttribute('aria-expanded'), 'true');

    await starter.getByRole('button', { name: 'Copy the secondary key' }).click();
    await starter.getByRole('status').filter({ hasText: 'Secondary key copied to the clipboard.' }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), before.secondaryKey);

    await starter.getByRole('button', { name: 'Regenerate the primary key' }).click();
    const question = starter.getByRole('group', { name: 'Regenerate the primary key' });
    await question.waitFor();
    // The focus moves to the question's button; "Keep it" changes nothing.
    await waitFor('the focus on the Regenerate button', async () => (await page.evaluate(() => document.activeElement?.textContent)) === 'Regenerate', gh);
    await assertNoAxeViolations(page, 'the regenerate confirmation');
    await question.getByRole('button', { name: 'Keep it' }).click();
    assert.equal((await admin('POST', 'subscriptions/erin-starter/listSecrets')).body.primaryKey, before.primaryKey);
    // By keyboard: Enter asks, Escape keeps the key and gives the focus back to the button.
    await starter.getByRole('button', { name: 'Regenerate the secondary key' }).focus();
    await page.keyboard.press('Enter');
    await waitFor('the focus on the Regenerate button', async () => (await page.evaluate(() => document.activeElement?.textContent)) === 'Regenerate', gh);
    await page.keyboard.press('Escape');
    await waitFor('the focus back on the button', async () => (await page.evaluate(() => document.activeElement?.textContent)) === 'Regenerate the secondary key', gh);
    assert.equal((await admin('POST', 'subscriptions/erin-starter/listSecrets')).body.secondaryKey, before.secondaryKey);
    await starter.getByRole('button', { name: 'Regenerate the primary key' }).click();
    await question.getByRole('button', { name: 'Regenerate', exact: true }).click();
    await starter.getByRole('status').filter({ hasText: 'A new primary key is made.' }).waitFor();
    const after = (await admin('POST', 'subscriptions/erin-starter/listSecrets')).body as { primaryKey: string; secondaryKey: string };
    assert.notEqual(after.primaryKey, before.primaryKey);
    assert.equal(after.secondaryKey, before.secondaryKey);
    await waitFor('the shown primary key to be the new one', async () => (await keys.locator('code[data-key="primary"]').innerText()) === after.primaryKey, gh);
    await waitFor('the gateway to refuse the old primary key', async () => (await echoStatus(gh, before.primaryKey)) === 401, gh);
    await waitFor('the gateway to take the new primary key', async () => (await echoStatus(gh, after.primaryKey)) === 200, gh);

    // Over plain HTTP on another machine's address the browser gives no clipboard: the page says so.
    const insecure = await context.newPage();
    await insecure.goto(`${portalUrl}/subscriptions`);
    // Given as text: tsx would wrap a named function in a helper (__name) that the page does not have.
    await insecure.evaluate("Object.defineProperty(Navigator.prototype, 'clipboard', { value: undefined, configurable: true })");
    await insecure.getByRole('region', { name: "Erin's starter", exact: true }).getByRole('button', { name: 'Copy the primary key' }).click();
    await insecure.getByRole('alert').filter({ hasText: 'only pages served over HTTPS' }).waitFor();
    await insecure.close();

    await starter.getByRole('button', { name: "Cancel the subscription Erin's starter" }).click();
    await starter.getByRole('group').getByRole('button', { name: 'Cancel the subscription', exact: true }).click();
    await waitFor('the subscription to show as cancelled', async () => /State\s+Cancelled/.test(await starter.innerText()), gh);
    assert.equal(await starter.getByRole('table').count(), 0, 'a cancelled subscription shows no keys');
    assert.equal((await admin('GET', 'subscriptions/erin-starter')).body.properties.state, 'cancelled');
    await waitFor('the gateway to refuse the cancelled subscription\'s key', async () => (await echoStatus(gh, after.primaryKey)) === 401, gh);
    await assertNoAxeViolations(page, 'the subscriptions page after cancelling');
  });
});

describe('signing up and resetting the password by mail in Chromium', { skip: mailSkip }, () => {
  let mail: MailCatcher;
  let gh: GatehouseProcess;
  let portalUrl: string;
  let browser: Browser;
  let page: Page;

  const mailTo = (address: string, subject: RegExp) => mail.mailTo(address, subject, gh);

  before(async () => {
    mkdirSync(images, { recursive: true });
    mail = await startMailCatcher();
    gh = await startGatehouseProcess(['--smtp', mail.url]);
    portalUrl = portalUrlOf(gh);
    browser = await launchChromium();
    page = await (await portalContext(browser, portalUrl)).newPage();
    page.setDefaultTimeout(30_000);
  });
  after(async () => {
    await browser?.close();
    await gh?.stop();
    await mail?.close();
  });

  it('signs up on the page, confirms by the mailed link and ends up signed in', async () => {
    await page.goto(`${portalUrl}/signup`);
    await page.getByRole('heading', { name: 'Sign up' }).waitFor();
    const finn = { email: 'finn@example.com', firstName: 'Finn', lastName: 'Lowe' };
    // The server's refusal is shown as it gives it: a password too short is a 400 naming it.
    await signUpOnThePage(page, { ...finn, password: 'short' });
    await page.getByRole('alert').filter({ hasText: 'password' }).waitFor();
    await signUpOnThePage(page, { ...finn, password: 'finn-password-1' });
    await page.getByRole('heading', { name: 'Check your mail' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'finn@example.com' }).waitFor();
    await assertNoAxeViolations(page, 'the check-your-mail page');

    const link = mailedLink(await mailTo('finn@example.com', /Confirm/), 'confirm', portalUrl);
    // A changed ticket is refused with a way to get a new mail.
    const spoiled = new URL(link);
    spoiled.searchParams.set('ticket', `${spoiled.searchParams.get('ticket')}x`);
    await page.goto(spoiled.href);
    await page.getByRole('button', { name: 'Confirm my account' }).click();
    await page.getByRole('alert').filter({ hasText: 'not valid any more' }).waitFor();
    await page.getByRole('alert').getByRole('link', { name: 'Sign up again' }).waitFor();
    await assertNoAxeViolations(page, 'the confirmation page with a refused ticket');

    await page.goto(link);
    await page.getByRole('button', { name: 'Confirm my account' }).click();
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
    await page.getByText('Finn Lowe').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
  });

  it('sends a reset mail from the forgot-password page; the link sets a new password that signs in', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('banner').getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    await page.getByLabel('E-mail address').fill('finn@example.com');
    await page.getByRole('button', { name: 'Send the mail' }).click();
    await page.getByRole('status').filter({ hasText: 'If the address is registered' }).waitFor();

    const link = mailedLink(await mailTo('finn@example.com', /Reset/), 'reset-password', portalUrl);
    await page.goto(link);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill('finn-password-2');
    await page.getByLabel('Repeat the new password').fill('finn-password-2');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.getByRole('status').filter({ hasText: 'Your password is changed.' }).waitFor();
    await assertNoAxeViolations(page, 'the new-password page when done');
    await page.getByRole('link', { name: 'Sign in with your new password' }).click();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    await page.getByLabel('E-mail address').fill('finn@example.com');
    await page.getByLabel('Password', { exact: true }).fill('finn-password-1');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('alert').filter({ hasText: 'AuthenticationFailed' }).waitFor();
    await page.getByLabel('Password', { exact: true }).fill('finn-password-2');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByText(/^Signed in as /).waitFor();

    // The link is spent: using it again says so, with a way to ask for another mail.
    await page.goto(link);
    await page.getByLabel('New password', { exact: true }).fill('finn-password-3');
    await page.getByLabel('Repeat the new password').fill('finn-password-3');
    await page.getByRole('button', { name: 'Set the new password' }).click();
    await page.getByRole('alert').getByRole('link', { name: 'Ask for a new mail' }).waitFor();
  });
});
