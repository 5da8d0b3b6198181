/**
 * Issue 18 §3: the admin console's resource pages in a real browser (Debian's Chromium driven by
 * playwright-core) against a real `gatehouse start`. An administrator creates a product that
 * needs approval, links the sample API and the Developers group, and creates a user. The user
 * subscribes with their own token (as the developer portal does), so the subscription waits as
 * submitted; the administrator approves it in the page, shows and copies its key, and the
 * gateway serves it; suspending it makes the gateway refuse the key, and a regenerated key
 * leaves the old one refused. A secret named value never reaches the page until "Show". Group
 * membership is changed from a group's page. axe-core checks every page; the screenshots in
 * docs/admin-console.md are taken here.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startGatehouseProcess, type GatehouseProcess } from '../e2e/helpers/gatehouse-process.js';
import { adminConsoleTarget, type AdminConsoleTarget } from '../e2e/helpers/admin-console-target.js';
import { waitFor } from '../e2e/helpers/wait-for.js';
import { assertNoAxeViolations } from './helpers/axe-check.js';
import { chromiumSkipReason, launchChromium } from './helpers/chromium.js';

const root = new URL('../..', import.meta.url).pathname;
/** docs/images with GATEHOUSE_SCREENSHOTS=docs (the pictures of docs/admin-console.md), else a temporary folder. */
const images = process.env.GATEHOUSE_SCREENSHOTS === 'docs' ? join(root, 'docs', 'images') : mkdtempSync(join(tmpdir(), 'gatehouse-screenshots-'));

/** Azure's gateway answer to a key that is unknown, not active or out of scope. */
const invalidKeyBody = { statusCode: 401, message: 'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.' };

const secretValue = 'console-secret-7f3a91c2';

const skip = chromiumSkipReason('the admin console resource pages browser tests');

describe('the admin console resource pages in Chromium', { skip }, () => {
  let gh: GatehouseProcess;
  let target: AdminConsoleTarget;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** The subscription the user makes, and its primary key once the console showed it. */
  const subscriptionId = 'ada-gold';
  let shownKey = '';

  /** A management API call with the admin token, or with another Authorization value. */
  const manage = async (method: string, path: string, body?: unknown, authorization = `Bearer ${target.adminToken}`) => {
    const res = await fetch(`${target.managementUrl}${target.servicePath}${path}${path.includes('?') ? '&' : '?'}api-version=2024-05-01`, {
      method,
      headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  /** Calls the sample API through the gateway with a subscription key. */
  const callGateway = async (key: string) => {
    const res = await fetch(`${gh.gatewayUrl}/echo/resource`, { headers: { 'ocp-apim-subscription-key': key } });
    const text = await res.text();
    return { status: res.status, text };
  };
  const waitForGateway = (what: string, key: string, status: number) =>
    waitFor(`the gateway to answer ${status} to ${what}`, async () => (await callGateway(key)).status === status, gh, 30_000);

  const open = async (navigationLabel: string, heading: string) => {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: navigationLabel, exact: true }).click();
    await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
  };

  before(async () => {
    mkdirSync(images, { recursive: true });
    gh = await startGatehouseProcess([]);
    target = adminConsoleTarget(gh);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(target.consoleUrl).origin });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(target.consoleUrl);
    await page.getByLabel('Admin token').fill(target.adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'APIs', level: 1 }).waitFor();
  });
  after(async () => {
    await browser?.close();
    await gh?.stop();
  });

  it('creates a product that needs approval, links the sample API and the Developers group', async () => {
    await open('Products', 'Products');
    await page.getByRole('row').filter({ hasText: 'starter' }).waitFor();
    await assertNoAxeViolations(page, 'the products page');

    // A refusal names the field: a limit that is not a number.
    await page.getByLabel('Name', { exact: true }).fill('gold');
    await page.getByLabel('Display name').fill('Gold');
    await page.getByLabel('Subscriptions limit').fill('many');
    await page.getByRole('button', { name: 'Create product' }).click();
    const refusal = page.locator('#products-problem');
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /ValidationError/);
    assert.match(await refusal.innerText(), /subscriptionsLimit/);
    assert.equal((await manage('GET', '/products/gold')).status, 404);

    await page.getByLabel('Subscriptions limit').fill('2');
    await page.getByLabel('Description').fill('Approved partners only.');
    await page.getByLabel('State').selectOption('published');
    await page.getByLabel('Approval required').check();
    await page.getByRole('button', { name: 'Create product' }).click();
    await page.getByRole('status').filter({ hasText: 'Product gold created.' }).waitFor();
    const row = page.locator('tr[data-product="gold"]');
    await row.waitFor();
    assert.deepEqual(await row.getByRole('cell').allInnerTexts(), ['Published', 'Yes', 'Yes', '2']);
    const stored = (await manage('GET', '/products/gold')).body.properties;
    assert.equal(stored.approvalRequired, true);
    assert.equal(stored.subscriptionsLimit, 2);
    assert.equal(stored.state, 'published');

    await row.getByRole('link', { name: 'Gold' }).click();
    await page.getByRole('heading', { name: 'Product Gold', level: 1 }).waitFor();
    await page.getByText('The product has no APIs yet.').waitFor();
    await page.getByLabel('Add API').selectOption('echo-api');
    await page.getByRole('button', { name: 'Add API' }).click();
    await page.getByRole('status').filter({ hasText: 'API Echo API added to the product.' }).waitFor();
    await page.getByLabel('Add group').selectOption('developers');
    await page.getByRole('button', { name: 'Add group' }).click();
    await page.getByRole('status').filter({ hasText: 'Group Developers added to the product.' }).waitFor();
    await page.locator('#product-groups [data-linked="developers"]').waitFor();
    assert.equal((await manage('GET', '/products/gold/apis/echo-api')).status, 200);
    assert.equal((await manage('GET', '/products/gold/groups/developers')).status, 200);

    // An edit is a PUT of the whole product.
    await page.getByLabel('Terms of use').fill('Be kind to the echo server.');
    await page.getByRole('button', { name: 'Save product' }).click();
    await page.getByRole('status').filter({ hasText: 'Product saved.' }).waitFor();
    assert.equal((await manage('GET', '/products/gold')).body.properties.terms, 'Be kind to the echo server.');
    await assertNoAxeViolations(page, 'a product page');
    await page.screenshot({ path: join(images, 'admin-product.png'), fullPage: true });
  });

  it('creates a user, who subscribes with their own token: the subscription waits as submitted', async () => {
    await open('Users', 'Users');
    await page.getByLabel('Id', { exact: true }).fill('ada');
    await page.getByLabel('E-mail').fill('ada@example.com');
    await page.getByLabel('First name').fill('Ada');
    await page.getByLabel('Last name').fill('Lovelace');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('status').filter({ hasText: 'User ada created.' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'ada@example.com' });
    assert.match(await row.innerText(), /Ada Lovelace/);
    assert.match(await row.innerText(), /active/);
    assert.match(await row.innerText(), /\d{4}-\d{2}-\d{2}/);
    await assertNoAxeViolations(page, 'the users page');
    await page.screenshot({ path: join(images, 'admin-users.png'), fullPage: true });

    // As the developer portal does: a user token, then the user's own PUT of a subscription.
    const expiry = new Date(Date.now() + 24 * 3600_000).toISOString();
    const token = await manage('POST', '/users/ada/token', { properties: { keyType: 'primary', expiry } });
    assert.equal(token.status, 200, JSON.stringify(token.body));
    const subscribed = await manage('PUT', `/subscriptions/${subscriptionId}`, { properties: { scope: '/products/gold', displayName: 'Ada on Gold' } }, `SharedAccessSignature ${token.body.value}`);
    assert.equal(subscribed.status, 201, JSON.stringify(subscribed.body));
    assert.equal(subscribed.body.properties.state, 'submitted');
  });

  it('approves the submitted subscription, shows and copies its key, and the gateway serves it', async () => {
    await open('Subscriptions', 'Subscriptions');
    await page.getByLabel('Show', { exact: true }).selectOption('submitted');
    await page.getByText('1 subscription, submitted only').waitFor();
    const row = page.locator(`tr[data-subscription="${subscriptionId}"]`);
    // Only submitted ones: the sample's active subscription is filtered out by the server.
    assert.equal(await page.locator('tr[data-subscription="sample"]').count(), 0);
    assert.match(await row.innerText(), /Ada on Gold/);
    assert.match(await row.innerText(), /\/products\/gold/);
    assert.equal(await row.getByRole('link', { name: 'ada' }).getAttribute('href'), '#/users/ada');
    await assertNoAxeViolations(page, 'the subscriptions page, submitted only');

    await row.getByRole('button', { name: `Approve ${subscriptionId}` }).click();
    await page.getByRole('status').filter({ hasText: `Subscription ${subscriptionId} is active.` }).waitFor();
    assert.equal((await manage('GET', `/subscriptions/${subscriptionId}`)).body.properties.state, 'active');
    await page.getByLabel('Show', { exact: true }).selectOption('');
    await page.locator('tr[data-subscription="sample"]').waitFor();
    await row.locator('.status-active').waitFor();

    // The keys are masked until shown; showing reads them with listSecrets.
    const secrets = (await manage('POST', `/subscriptions/${subscriptionId}/listSecrets`)).body as { primaryKey: string; secondaryKey: string };
    assert.doesNotMatch(await page.content(), new RegExp(secrets.primaryKey));
    assert.match(await row.locator(`[data-secret="primary key of ${subscriptionId}"]`).innerText(), /••••••/);
    await row.getByRole('button', { name: `Show primary key of ${subscriptionId}` }).click();
    await row.locator(`[data-secret="primary key of ${subscriptionId}"]`).getByText(secrets.primaryKey).waitFor();
    shownKey = await row.locator(`[data-secret="primary key of ${subscriptionId}"]`).innerText();
    assert.equal(shownKey, secrets.primaryKey);
    assert.doesNotMatch(await page.content(), new RegExp(secrets.secondaryKey));
    await row.getByRole('button', { name: `Copy primary key of ${subscriptionId}` }).click();
    await page.getByText(`primary key of ${subscriptionId} copied.`).waitFor({ state: 'attached' });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secrets.primaryKey);

    await waitForGateway('the approved key', shownKey, 200);
    await assertNoAxeViolations(page, 'the subscriptions page with a key shown');
    await page.screenshot({ path: join(images, 'admin-subscriptions.png'), fullPage: true });
  });

  it('suspends the subscription: the gateway refuses its key with Azure\'s 401; a regenerated key leaves the old one refused', async () => {
    const row = page.locator(`tr[data-subscription="${subscriptionId}"]`);
    await row.getByRole('button', { name: `Suspend ${subscriptionId}` }).click();
    await page.getByRole('status').filter({ hasText: `Subscription ${subscriptionId} is suspended.` }).waitFor();
    await waitForGateway('the suspended key', shownKey, 401);
    assert.deepEqual(JSON.parse((await callGateway(shownKey)).text), invalidKeyBody);

    await row.getByRole('button', { name: `Reactivate ${subscriptionId}` }).click();
    await page.getByRole('status').filter({ hasText: `Subscription ${subscriptionId} is active.` }).waitFor();
    await waitForGateway('the reactivated key', shownKey, 200);

    // Regenerating asks first; Cancel changes nothing.
    const regenerate = row.getByRole('button', { name: `Regenerate primary key of ${subscriptionId}` });
    await regenerate.click();
    const dialog = page.getByRole('dialog', { name: `Regenerate the primary key of ${subscriptionId}? The current one stops working at once.` });
    await dialog.waitFor();
    await assertNoAxeViolations(page, 'the regenerate confirmation');
    // The focus starts on Cancel (Enter alone destroys nothing); Escape closes and returns it to the opener.
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Cancel');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), `Regenerate primary key of ${subscriptionId}`);
    assert.equal((await manage('POST', `/subscriptions/${subscriptionId}/listSecrets`)).body.primaryKey, shownKey);

    await regenerate.click();
    await dialog.getByRole('button', { name: 'Regenerate' }).click();
    await page.getByRole('status').filter({ hasText: `Subscription ${subscriptionId} has a new primary key.` }).waitFor();
    const renewed = (await manage('POST', `/subscriptions/${subscriptionId}/listSecrets`)).body.primaryKey as string;
    assert.notEqual(renewed, shownKey);
    // The shown key was hidden again rather than left stale.
    assert.match(await row.locator(`[data-secret="primary key of ${subscriptionId}"]`).innerText(), /••••••/);
    await waitForGateway('the old key after regeneration', shownKey, 401);
    assert.deepEqual(JSON.parse((await callGateway(shownKey)).text), invalidKeyBody);
    await waitForGateway('the new key', renewed, 200);
  });

  it('creates a subscription to all APIs for a user, and cancels it after a confirmation', async () => {
    await page.getByLabel('Name', { exact: true }).fill('ada-everything');
    await page.getByLabel('Display name').fill('Ada, all APIs');
    await page.getByLabel('Scope').selectOption({ label: 'All APIs' });
    await page.getByLabel('Owner').selectOption({ label: 'Ada Lovelace (ada@example.com)' });
    await page.getByRole('button', { name: 'Create subscription' }).click();
    await page.getByRole('status').filter({ hasText: 'Subscription ada-everything created.' }).waitFor();
    const stored = (await manage('GET', '/subscriptions/ada-everything')).body.properties;
    assert.match(stored.scope, /\/service\/gatehouse\/apis$/);
    assert.match(stored.ownerId, /\/users\/ada$/);
    assert.equal(stored.state, 'active');
    const row = page.locator('tr[data-subscription="ada-everything"]');
    await row.locator('.status-active').waitFor();

    await row.getByRole('button', { name: 'Cancel subscription ada-everything' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cancel the subscription ada-everything?' });
    await dialog.getByRole('button', { name: 'Keep it' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await manage('GET', '/subscriptions/ada-everything')).body.properties.state, 'active');
    await row.getByRole('button', { name: 'Cancel subscription ada-everything' }).click();
    await dialog.getByRole('button', { name: 'Cancel subscription' }).click();
    await page.getByRole('status').filter({ hasText: 'Subscription ada-everything is cancelled.' }).waitFor();
    assert.equal((await manage('GET', '/subscriptions/ada-everything')).body.properties.state, 'cancelled');
  });

  it('creates a secret named value that the page never holds until "Show"', async () => {
    await open('Named values', 'Named values');
    await page.getByLabel('Name', { exact: true }).fill('db-password');
    await page.getByLabel('Display name').fill('db-password');
    await page.getByLabel('Secret', { exact: true }).check();
    const valueField = page.getByLabel('Value', { exact: true });
    assert.equal(await valueField.getAttribute('type'), 'password');
    await valueField.fill(secretValue);
    await page.getByLabel('Tags').fill('database, production');
    await page.getByRole('button', { name: 'Create named value' }).click();
    await page.getByRole('status').filter({ hasText: 'Named value db-password created.' }).waitFor();
    const row = page.locator('tr[data-named-value="db-password"]');
    await row.waitFor();
    assert.match(await row.innerText(), /database, production/);
    assert.equal(await page.getByLabel('Value', { exact: true }).inputValue(), '');
    assert.equal((await page.content()).includes(secretValue), false, 'the page holds the secret before "Show"');
    assert.match(await row.innerText(), /••••••/);
    await assertNoAxeViolations(page, 'the named values page');
    await page.screenshot({ path: join(images, 'admin-named-values.png'), fullPage: true });

    // The edit page leaves the secret out too, and a save without retyping keeps it.
    await row.getByRole('link', { name: 'Edit db-password' }).click();
    await page.getByRole('heading', { name: 'Named value db-password', level: 1 }).waitFor();
    assert.equal(await page.getByLabel('Value', { exact: true }).inputValue(), '');
    assert.equal((await page.content()).includes(secretValue), false, 'the edit page holds the secret');
    await page.getByLabel('Tags').fill('database');
    await page.getByRole('button', { name: 'Save named value' }).click();
    await page.getByRole('status').filter({ hasText: 'Named value saved.' }).waitFor();
    assert.equal((await manage('POST', '/namedValues/db-password/listValue')).body.value, secretValue);
    assert.deepEqual((await manage('GET', '/namedValues/db-password')).body.properties.tags, ['database']);
    await assertNoAxeViolations(page, 'a named value page');

    await page.getByRole('link', { name: 'All named values' }).click();
    await page.getByRole('heading', { name: 'Named values', level: 1 }).waitFor();
    await row.getByRole('button', { name: 'Show value of db-password' }).click();
    await row.getByText(secretValue).waitFor();
    await row.getByRole('button', { name: 'Hide value of db-password' }).click();
    await row.getByText('••••••').waitFor();
    assert.equal((await page.content()).includes(secretValue), false);

    // A plain value is shown as it is; a reference the start options do not allow is refused, naming keyVault.
    await page.getByLabel('Name', { exact: true }).fill('region');
    await page.getByLabel('Display name').fill('region');
    await page.getByLabel('Value', { exact: true }).fill('westeurope');
    await page.getByRole('button', { name: 'Create named value' }).click();
    await page.getByRole('status').filter({ hasText: 'Named value region created.' }).waitFor();
    await page.locator('tr[data-named-value="region"]').getByText('westeurope').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('from-env');
    await page.getByLabel('Display name').fill('from-env');
    await page.getByLabel('Value from').selectOption('keyVault');
    await page.getByLabel('Secret identifier').fill('env:CONSOLE_TEST_SECRET');
    await page.getByRole('button', { name: 'Create named value' }).click();
    const refusal = page.locator('#named-values-problem');
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /keyVault/);
    assert.match(await refusal.innerText(), /--secret-env/);
    assert.equal((await manage('GET', '/namedValues/from-env')).status, 404);
    await assertNoAxeViolations(page, 'the named values page with a refusal');

    // Delete asks first.
    await row.getByRole('button', { name: 'Delete db-password' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete the named value db-password?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    assert.equal((await manage('GET', '/namedValues/db-password')).status, 200);
    await row.getByRole('button', { name: 'Delete db-password' }).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('status').filter({ hasText: 'Named value db-password deleted.' }).waitFor();
    assert.equal((await manage('GET', '/namedValues/db-password')).status, 404);
  });

  it('creates a custom group, adds and removes a member, and the user page shows the groups', async () => {
    await open('Groups', 'Groups');
    for (const builtIn of ['administrators', 'developers', 'guests']) {
      const row = page.locator(`tr[data-group="${builtIn}"]`);
      assert.match(await row.innerText(), /Built in/);
      assert.equal(await row.getByRole('button').count(), 0);
    }
    await page.getByLabel('Id', { exact: true }).fill('partners');
    await page.getByLabel('Display name').fill('Partners');
    await page.getByLabel('Description').fill('Companies we work with.');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('status').filter({ hasText: 'Group partners created.' }).waitFor();
    assert.match(await page.getByRole('row').filter({ hasText: 'Partners' }).innerText(), /Custom/);
    await assertNoAxeViolations(page, 'the groups page');
    await page.screenshot({ path: join(images, 'admin-groups.png'), fullPage: true });

    await page.getByRole('link', { name: 'Partners' }).click();
    await page.getByRole('heading', { name: 'Group Partners', level: 1 }).waitFor();
    await page.getByText('The group has no members.').waitFor();
    await page.getByLabel('Add member').selectOption('ada');
    await page.getByRole('button', { name: 'Add member' }).click();
    await page.getByRole('status').filter({ hasText: 'Member Ada Lovelace (ada@example.com) added to the group.' }).waitFor();
    await page.locator('#group-members [data-linked="ada"]').waitFor();
    assert.equal((await manage('GET', '/groups/partners/users/ada')).status, 200);
    await assertNoAxeViolations(page, 'a group page');

    // The user's page lists the group and the subscription.
    await page.goto(`${target.consoleUrl}#/users/ada`);
    await page.getByRole('heading', { name: 'User Ada Lovelace', level: 1 }).waitFor();
    await page.locator('#user-groups').getByRole('link', { name: 'Partners' }).waitFor();
    assert.match(await page.locator('#user-subscriptions').innerText(), /Ada on Gold/);
    await assertNoAxeViolations(page, 'a user page');

    await page.locator('#user-groups').getByRole('link', { name: 'Partners' }).click();
    await page.getByRole('heading', { name: 'Group Partners', level: 1 }).waitFor();
    await page.getByRole('button', { name: /^Remove member Ada Lovelace/ }).click();
    await page.getByRole('status').filter({ hasText: 'Member Ada Lovelace (ada@example.com) removed from the group.' }).waitFor();
    await page.getByText('The group has no members.').waitFor();
    assert.equal((await manage('GET', '/groups/partners/users/ada')).status, 404);

    await open('Groups', 'Groups');
    await page.getByRole('button', { name: 'Delete group Partners' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('status').filter({ hasText: 'Group partners deleted.' }).waitFor();
    assert.equal((await manage('GET', '/groups/partners')).status, 404);
  });

  it('blocks and unblocks a user; deleting a product with subscriptions needs deleteSubscriptions', async () => {
    await page.goto(`${target.consoleUrl}#/users/ada`);
    await page.getByRole('heading', { name: 'User Ada Lovelace', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Block user' }).click();
    await page.getByRole('status').filter({ hasText: 'User ada is blocked.' }).waitFor();
    assert.equal((await manage('GET', '/users/ada')).body.properties.state, 'blocked');
    await page.getByRole('button', { name: 'Unblock user' }).click();
    await page.getByRole('status').filter({ hasText: 'User ada is active.' }).waitFor();
    assert.equal((await manage('GET', '/users/ada')).body.properties.state, 'active');

    await page.goto(`${target.consoleUrl}#/products/gold`);
    await page.getByRole('heading', { name: 'Product Gold', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Delete product' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete the product gold?' });
    await assertNoAxeViolations(page, 'the delete product confirmation');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    const refusal = page.locator('#product-problem');
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /Conflict/);
    assert.equal((await manage('GET', '/products/gold')).status, 200);

    await page.getByRole('button', { name: 'Delete product' }).click();
    await dialog.getByLabel('Also delete its subscriptions').check();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('heading', { name: 'Products', level: 1 }).waitFor();
    await page.locator('tr[data-product="starter"]').waitFor();
    assert.equal(await page.locator('tr[data-product="gold"]').count(), 0);
    assert.equal((await manage('GET', '/products/gold')).status, 404);
    assert.equal((await manage('GET', `/subscriptions/${subscriptionId}`)).status, 404);

    // The user still owns the cancelled all-APIs subscription: deleting takes deleteSubscriptions too.
    await page.goto(`${target.consoleUrl}#/users/ada`);
    await page.getByRole('heading', { name: 'User Ada Lovelace', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Delete user' }).click();
    const userDialog = page.getByRole('dialog', { name: 'Delete the user ada?' });
    await userDialog.getByLabel('Also delete the subscriptions the user owns').check();
    await userDialog.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();
    await page.getByText('There are no users yet.').waitFor();
    assert.equal((await manage('GET', '/users/ada')).status, 404);
    assert.equal((await manage('GET', '/subscriptions/ada-everything')).status, 404);
  });

  it('keeps the Content-Security-Policy on these pages: a dialog, a shown key and the forms need no inline style or script', async () => {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (/Content[- ]Security[- ]Policy/i.test(message.text())) violations.push(message.text());
    });
    // No screenshot or axe run here: Playwright's screenshots add a style element of their own.
    for (const hash of ['#/products', '#/products/starter', '#/users', '#/groups/developers', '#/named-values', '#/subscriptions']) {
      await page.goto(`${target.consoleUrl}${hash}`);
      await page.locator('#page-title').waitFor();
      await page.locator('main h2, main table').first().waitFor();
      await page.getByText(/^Loading /).waitFor({ state: 'detached' });
    }
    const row = page.locator('tr[data-subscription="sample"]');
    await row.getByRole('button', { name: 'Show primary key of sample' }).click();
    await row.getByRole('button', { name: 'Hide primary key of sample' }).waitFor();
    await row.getByRole('button', { name: 'Regenerate secondary key of sample' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    assert.deepEqual(violations, [], 'a resource page broke the console\'s Content-Security-Policy');
    // The listener does hear the browser: an inline style is refused and reported.
    await page.addStyleTag({ content: 'main { color: red; }' }).catch(() => undefined);
    await waitFor('the browser to report the refused inline style', () => violations.some((v) => /style-src/.test(v)), undefined, 15_000);
  });
});
