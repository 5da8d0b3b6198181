/**
 * Issue 18 §3, the admin console's API, backend and dashboard pages in a real browser (Debian's
 * Chromium driven by playwright-core) against a real `gatehouse start`: an OpenAPI file is
 * imported and its API called through the gateway; its settings and an operation are edited; a
 * revision is created, changed and made current, and the gateway serves the change; a version
 * set and a new version are created; a backend that fails trips its circuit breaker and the
 * backends page shows it open; the dashboard counts the calls this test made, since the start and
 * in its recent window; with `--metrics off` the dashboard says how to turn them on. axe-core
 * checks every page; the screenshots in docs/admin-console.md are taken here.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startGatehouseProcess, type GatehouseProcess } from '../e2e/helpers/gatehouse-process.js';
import { adminConsoleTarget, type AdminConsoleTarget } from '../e2e/helpers/admin-console-target.js';
import { waitFor } from '../e2e/helpers/wait-for.js';
import { startCountingBackend, type CountingBackend } from '../helpers/counting-backend.js';
import { assertNoAxeViolations } from './helpers/axe-check.js';
import { signedInConsolePage } from './helpers/console-sign-in.js';
import { chromiumSkipReason, launchChromium } from './helpers/chromium.js';

const root = new URL('../..', import.meta.url).pathname;
const images = process.env.GATEHOUSE_SCREENSHOTS === 'docs' ? join(root, 'docs', 'images') : mkdtempSync(join(tmpdir(), 'gatehouse-screenshots-'));
const inventoryFile = join(root, 'test', 'fixtures', 'openapi', 'inventory.json');

const skip = chromiumSkipReason('the admin console API page browser tests');

/** Waits for a page's status message `text`; a refusal shown instead fails with the server's words. */
async function sawStatus(page: Page, text: string): Promise<void> {
  const alert = page.getByRole('alert');
  await page.getByRole('status').filter({ hasText: text }).or(alert).first().waitFor();
  if ((await alert.count()) > 0) assert.fail(`instead of '${text}': ${(await alert.allInnerTexts()).join(' | ')}`);
}

describe('the admin console\'s API, backend and dashboard pages in Chromium', { skip }, () => {
  let gh: GatehouseProcess;
  let target: AdminConsoleTarget;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let inventory: CountingBackend;
  let flaky: CountingBackend;
  /** Serves the OpenAPI fixture over HTTP, for the import by link. */
  let documents: Server;
  let documentUrl: string;
  /** Calls this test made that the gateway answered for each API (as the dashboard counts them). */
  const calls: Record<string, number> = { inventory: 0, flaky: 0 };
  const flakyFailures = { count: 0 };

  const manage = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${target.managementUrl}${target.servicePath}${path}${path.includes('?') ? '&' : '?'}api-version=2024-05-01`, {
      method,
      headers: { authorization: `Bearer ${target.adminToken}`, 'if-match': '*', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  /**
   * One call through the gateway. Calls the dashboard surely counts for `api` are counted here:
   * those its backend answered, and the open breaker's 503 (calls made while a change was still
   * on its way may count under no API).
   */
  const call = async (path: string, api?: keyof typeof calls) => {
    const res = await fetch(`${gh.gatewayUrl}${path}`);
    const body = await res.text();
    const counted = api !== undefined && (body === `${api}-backend` || (api === 'flaky' && res.status === 503));
    if (counted) calls[api]! += 1;
    if (counted && res.status >= 500) flakyFailures.count += 1;
    return { status: res.status, body };
  };
  /** Calls until the gateway answers `status` (a change applies within moments). */
  const callUntil = (path: string, status: number, api?: keyof typeof calls, body?: string) =>
    waitFor(`${path} to answer ${status}`, async () => {
      const res = await call(path, api);
      return res.status === status && (body === undefined || res.body === body);
    }, gh, 30_000);

  before(async () => {
    mkdirSync(images, { recursive: true });
    inventory = await startCountingBackend('inventory-backend');
    flaky = await startCountingBackend('flaky-backend');
    flaky.status = 500;
    documents = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(readFileSync(inventoryFile));
    });
    await new Promise<void>((resolve) => documents.listen(0, '127.0.0.1', resolve));
    documentUrl = `http://127.0.0.1:${(documents.address() as AddressInfo).port}/inventory.json`;
    gh = await startGatehouseProcess([]);
    target = adminConsoleTarget(gh);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1200, height: 900 }, colorScheme: 'light' });
    page = await signedInConsolePage(context, target);
  });
  after(async () => {
    await browser?.close();
    await gh?.stop();
    await inventory?.close();
    await flaky?.close();
    documents?.closeAllConnections();
    await new Promise((resolve) => (documents ? documents.close(resolve) : resolve(undefined)));
  });

  it('imports an OpenAPI file, and the gateway serves the new API once its service URL is set', async () => {
    await page.getByRole('link', { name: 'APIs', exact: true }).click();
    await page.getByRole('heading', { name: 'APIs', level: 1 }).waitFor();
    await page.getByLabel(/^OpenAPI file \(JSON or YAML/).setInputFiles(inventoryFile);
    await page.getByLabel('API id').fill('inventory');
    await page.getByLabel('Path', { exact: true }).fill('inventory');
    await page.getByRole('button', { name: 'Import' }).click();
    await sawStatus(page, 'API inventory imported.');
    const row = page.getByRole('row').filter({ hasText: 'Inventory' });
    await row.waitFor();
    assert.match(await row.innerText(), /\/inventory/);
    const stored = await manage('GET', '/apis/inventory/operations');
    assert.deepEqual((stored.body.value as Array<{ name: string }>).map((o) => o.name).sort(), ['add-item', 'get-item', 'list-items']);
    await assertNoAxeViolations(page, 'the APIs page after an import');

    // The document's server is a closed port: the settings point the API at the test's backend.
    await row.getByRole('link', { name: 'Inventory', exact: true }).click();
    await page.getByRole('heading', { name: 'API Inventory', level: 1 }).waitFor();
    assert.equal(await page.getByLabel('Service URL').inputValue(), 'http://127.0.0.1:9/inventory-service');
    await page.getByLabel('Service URL').fill(inventory.url);
    await page.getByLabel('Description').first().fill('Items in stock, imported in the console.');
    await page.getByRole('checkbox', { name: 'http', exact: true }).check();
    await page.getByLabel('Subscription required').uncheck();
    await page.getByLabel('Subscription key header').fill('X-Inventory-Key');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await sawStatus(page, 'Settings saved.');
    const api = await manage('GET', '/apis/inventory');
    assert.equal(api.body.properties.serviceUrl, inventory.url);
    assert.equal(api.body.properties.subscriptionRequired, false);
    assert.deepEqual(api.body.properties.protocols, ['http', 'https']);
    assert.equal(api.body.properties.subscriptionKeyParameterNames.header, 'X-Inventory-Key');
    assert.equal(api.body.properties.description, 'Items in stock, imported in the console.');
    await callUntil('/inventory/items', 200, 'inventory', 'inventory-backend');
  });

  it('edits an operation and the gateway routes by its new URL template; opens its policy', async () => {
    const row = page.locator('tr[data-operation="list-items"]');
    await row.getByRole('button', { name: 'Edit List items' }).click();
    const form = page.getByRole('form', { name: 'Edit operation list-items' });
    await form.getByLabel('Display name').fill('List all items');
    await form.getByLabel('URL template').fill('/all-items');
    await form.getByRole('button', { name: 'Save operation' }).click();
    await sawStatus(page, 'Operation list-items saved.');
    await row.getByText('/all-items').waitFor();
    const operation = await manage('GET', '/apis/inventory/operations/list-items');
    assert.equal(operation.body.properties.displayName, 'List all items');
    assert.equal(operation.body.properties.urlTemplate, '/all-items');
    await callUntil('/inventory/all-items', 200, 'inventory', 'inventory-backend');
    assert.equal((await call('/inventory/items')).status, 404);

    // Deleting asks first.
    const addItem = page.locator('tr[data-operation="add-item"]');
    await addItem.getByRole('button', { name: 'Delete Add an item' }).click();
    await page.getByRole('dialog', { name: 'Delete operation Add an item?' }).getByRole('button', { name: 'Delete', exact: true }).click();
    await sawStatus(page, 'Operation add-item deleted.');
    assert.equal((await manage('GET', '/apis/inventory/operations/add-item')).status, 404);
    await assertNoAxeViolations(page, 'the API page');
    await page.screenshot({ path: join(images, 'admin-api.png'), fullPage: true });

    await row.getByRole('link', { name: 'Policy of List all items' }).click();
    await page.getByRole('heading', { name: 'Policy of Inventory, operation List all items' }).waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    await sawStatus(page, 'Saved.');
    assert.equal((await manage('GET', '/apis/inventory/operations/list-items/policies/policy')).status, 200);
    await assertNoAxeViolations(page, 'an operation\'s policy page');
    await page.goBack();
    await page.getByRole('heading', { name: 'API Inventory', level: 1 }).waitFor();
  });

  it('creates a revision, adds an operation to it, makes it current, and the gateway serves the change', async () => {
    await page.getByLabel('Description of revision 2').fill('Adds the stock count');
    await page.getByRole('button', { name: 'Create revision 2' }).click();
    await sawStatus(page, 'Revision 2 created from the current one.');
    const revisionRow = page.locator('tr[data-revision="2"]');
    await revisionRow.getByText('Adds the stock count').waitFor();
    const revision = await manage('GET', '/apis/inventory;rev=2');
    assert.equal(revision.body.properties.isCurrent, false);

    await revisionRow.getByRole('link', { name: 'Revision 2' }).click();
    await page.getByRole('heading', { name: 'API Inventory, revision 2', level: 1 }).waitFor();
    const add = page.getByRole('form', { name: 'Add an operation' });
    await add.getByLabel('Operation id').fill('stock-count');
    await add.getByLabel('Display name').fill('Stock count');
    await add.getByLabel('URL template').fill('/stock-count');
    await add.getByRole('button', { name: 'Add operation' }).click();
    await sawStatus(page, 'Operation stock-count added.');
    // Not current yet: the gateway does not know the operation.
    assert.equal((await call('/inventory/stock-count')).status, 404);
    await assertNoAxeViolations(page, 'a revision\'s page');

    await page.locator('tr[data-revision="2"]').getByRole('button', { name: 'Make revision 2 current' }).click();
    await sawStatus(page, 'Revision 2 is now current.');
    await page.locator('tr[data-revision="2"]').getByText('current', { exact: true }).waitFor();
    const current = await manage('GET', '/apis/inventory');
    assert.equal(current.body.properties.apiRevision, '2');
    await callUntil('/inventory/stock-count', 200, 'inventory', 'inventory-backend');
    await assertNoAxeViolations(page, 'the revisions after a release');
  });

  it('creates a version set and a new version of the API in it, served under its segment', async () => {
    await page.getByRole('link', { name: 'Version sets', exact: true }).click();
    await page.getByRole('heading', { name: 'Version sets', level: 1 }).waitFor();
    await page.getByLabel('Id').fill('inventory-versions');
    await page.getByLabel('Display name').fill('Inventory versions');
    await page.getByLabel('Scheme').selectOption('Query');
    await page.getByLabel('Query parameter name').fill('api-version');
    await page.getByLabel('Scheme').selectOption('Segment');
    await page.getByRole('button', { name: 'Create version set' }).click();
    await sawStatus(page, 'Version set inventory-versions created.');
    await page.getByRole('row').filter({ hasText: 'Inventory versions' }).getByText('path segment').waitFor();
    const set = await manage('GET', '/apiVersionSets/inventory-versions');
    assert.equal(set.body.properties.versioningScheme, 'Segment');
    await assertNoAxeViolations(page, 'the version sets page');
    await page.screenshot({ path: join(images, 'admin-version-sets.png'), fullPage: true });

    await page.goto(`${target.consoleUrl}#/apis/inventory`);
    await page.getByRole('heading', { name: 'API Inventory', level: 1 }).waitFor();
    const form = page.getByRole('form', { name: 'Add a version' });
    await form.getByLabel('Version set').selectOption('inventory-versions');
    await form.getByLabel('This API\'s version').fill('v1');
    await form.getByLabel('New version', { exact: true }).fill('v2');
    await form.getByLabel('API id of the new version').fill('inventory-v2');
    await form.getByRole('button', { name: 'Add version' }).click();
    await sawStatus(page, 'Version v2 added as API inventory-v2.');
    const versions = page.locator('section[aria-labelledby="versions-title"] tbody tr');
    await waitFor('both versions listed', async () => (await versions.count()) === 2, gh, 15_000);
    assert.match(await versions.nth(0).innerText(), /v1/);
    assert.match(await versions.nth(1).innerText(), /v2/);
    const v2 = await manage('GET', '/apis/inventory-v2');
    assert.equal(v2.body.properties.apiVersion, 'v2');
    assert.match(v2.body.properties.apiVersionSetId, /\/apiVersionSets\/inventory-versions$/);
    await callUntil('/inventory/v2/stock-count', 200, undefined, 'inventory-backend');
    await callUntil('/inventory/v1/stock-count', 200, 'inventory', 'inventory-backend');
    await assertNoAxeViolations(page, 'the versions of an API');

    // The new version is deleted from its page, after the question.
    await versions.nth(1).getByRole('link').click();
    await page.getByRole('heading', { name: 'API Inventory', level: 1 }).waitFor();
    await waitFor('the v2 page', () => page.evaluate(() => location.hash === '#/apis/inventory-v2'), gh, 15_000);
    await page.getByRole('button', { name: 'Delete API' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await page.getByRole('heading', { name: 'APIs', level: 1 }).waitFor();
    assert.equal((await manage('GET', '/apis/inventory-v2')).status, 404);
  });

  it('imports an API from a link to an OpenAPI document', async () => {
    await page.getByRole('link', { name: 'APIs', exact: true }).click();
    await page.getByRole('heading', { name: 'APIs', level: 1 }).waitFor();
    await page.getByRole('radio', { name: 'a link to one' }).check();
    await page.getByLabel('Link to the OpenAPI document').fill(documentUrl);
    await page.getByLabel('API id').fill('linked-inventory');
    await page.getByLabel('Display name').fill('Linked inventory');
    await page.getByLabel('Path', { exact: true }).fill('linked');
    await page.getByRole('button', { name: 'Import' }).click();
    await sawStatus(page, 'API linked-inventory imported.');
    await page.getByRole('row').filter({ hasText: 'Linked inventory' }).waitFor();
    const operations = await manage('GET', '/apis/linked-inventory/operations');
    assert.deepEqual((operations.body.value as Array<{ name: string }>).map((o) => o.name).sort(), ['add-item', 'get-item', 'list-items']);
    // A refusal is shown in the server's words: the path is taken now.
    await page.getByLabel('API id').fill('linked-again');
    await page.getByRole('button', { name: 'Import' }).click();
    const refusal = page.locator('#import-problem');
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /Path 'linked' is already used by API 'linked-inventory'/);
    assert.equal((await manage('GET', '/apis/linked-again')).status, 404);
    await assertNoAxeViolations(page, 'the APIs page with a refused import');
  });

  it('creates a backend, and shows its circuit breaker open once the backend failed enough', async () => {
    await page.getByRole('link', { name: 'Backends' }).click();
    await page.getByRole('heading', { name: 'Backends', level: 1 }).waitFor();
    const create = page.getByRole('form', { name: 'Create a backend' });
    await create.getByLabel('Backend id').fill('flaky');
    await create.getByLabel('URL').fill(flaky.url);
    await create.getByLabel('Description').fill('Fails on purpose');
    await create.getByRole('button', { name: 'Create backend' }).click();
    await sawStatus(page, 'Backend flaky created.');
    const row = page.locator('tr[data-backend="flaky"]');
    await row.getByText('no circuit breaker').waitFor();

    // The rule and an API that uses the backend, through the management API.
    const rule = { name: 'trip-on-5xx', failureCondition: { count: 3, interval: 'PT1M', statusCodeRanges: [{ min: 500, max: 599 }] }, tripDuration: 'PT1H' };
    const patched = await manage('PATCH', '/backends/flaky', { properties: { circuitBreaker: { rules: [rule] } } });
    assert.ok(patched.status === 200 || patched.status === 204, JSON.stringify(patched.body));
    const created = await manage('PUT', '/apis/flaky', { properties: { displayName: 'Flaky', path: 'flaky', protocols: ['http', 'https'], subscriptionRequired: false } });
    assert.ok(created.status === 200 || created.status === 201, JSON.stringify(created.body));
    assert.equal((await manage('PUT', '/apis/flaky/operations/get', { properties: { displayName: 'Get', method: 'GET', urlTemplate: '/' } })).status, 201);
    const policy = '<policies><inbound><base /><set-backend-service backend-id="flaky" /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>';
    assert.ok([200, 201].includes((await manage('PUT', '/apis/flaky/policies/policy', { properties: { format: 'rawxml', value: policy } })).status));

    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await row.getByText('closed (no calls yet)').waitFor();
    await callUntil('/flaky/', 500, 'flaky', 'flaky-backend');
    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    await row.getByText('trip-on-5xx: closed', { exact: true }).waitFor();
    // Three failures within the minute trip it: the backend is no longer called.
    const beforeTrip = Date.now();
    while (flaky.calls < 3) await call('/flaky/', 'flaky');
    const before = flaky.calls;
    const tripped = await call('/flaky/', 'flaky');
    assert.equal(tripped.status, 503);
    assert.equal(flaky.calls, before);

    await page.getByRole('button', { name: 'Refresh', exact: true }).click();
    const state = row.locator('.circuit-open time');
    await state.waitFor();
    assert.match(await state.innerText(), /^open until \d/);
    // Open for the rule's hour (PT1H) from the trip, which happened since beforeTrip.
    const closesAt = Date.parse((await state.getAttribute('datetime')) ?? '');
    const hour = 60 * 60_000;
    assert.ok(closesAt >= beforeTrip + hour - 1_000 && closesAt <= Date.now() + hour, `closes at ${new Date(closesAt).toISOString()}`);
    assert.match(await row.innerText(), /trip-on-5xx: 3 failures in PT1M \(statuses 500–599\), open for PT1H/);

    await row.getByRole('button', { name: 'Edit flaky' }).click();
    const edit = page.getByRole('form', { name: 'Edit backend flaky' });
    await edit.getByLabel('Description').fill('Fails on purpose; tripped');
    await edit.getByRole('button', { name: 'Save backend' }).click();
    await sawStatus(page, 'Backend flaky saved.');
    await row.getByText('Fails on purpose; tripped').waitFor();
    const stored = await manage('GET', '/backends/flaky');
    assert.equal(stored.body.properties.circuitBreaker.rules[0].name, 'trip-on-5xx');
    await assertNoAxeViolations(page, 'the backends page with an open breaker');
    await page.screenshot({ path: join(images, 'admin-backends.png'), fullPage: true });
  });

  it('counts the calls this test made on the dashboard, since the start and in the recent window', async () => {
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    // A fresh load: the recent window starts with this page's first reading.
    await page.reload();
    await page.getByText('The recent figures start with the next reading.').waitFor();
    const lifetime = page.locator('#lifetime-traffic');
    await lifetime.waitFor();
    const figures = async (table: string, api: string) => {
      const cells = await page.locator(`${table} tr[data-api="${api}"] td`).allInnerTexts();
      return { requests: Number(cells[0]), clientErrors: Number(cells[1]), serverErrors: Number(cells[2]), p50: cells[3], p95: cells[4] };
    };
    const inventoryRow = await figures('#lifetime-traffic', 'inventory');
    assert.ok(inventoryRow.requests >= calls.inventory!, `${inventoryRow.requests} < ${calls.inventory}: ${await lifetime.innerText()}`);
    const flakyRow = await figures('#lifetime-traffic', 'flaky');
    assert.ok(flakyRow.requests >= calls.flaky!, `${flakyRow.requests} < ${calls.flaky}`);
    assert.ok(flakyRow.serverErrors >= flakyFailures.count, `${flakyRow.serverErrors} < ${flakyFailures.count}`);
    assert.match(flakyRow.p50!, /^\d+(\.\d)? m?s$/);
    assert.match(flakyRow.p95!, /^\d+(\.\d)? m?s$/);

    // Calls after this reading show in the recent window of the next one.
    const recentCalls = 4;
    for (let i = 0; i < recentCalls; i++) assert.equal((await call('/flaky/', 'flaky')).status, 503);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await page.locator('#recent-traffic tr[data-api="flaky"]').waitFor();
    // The next reading renders once it arrived (a 10-second refresh may have come in between).
    let recent = await figures('#recent-traffic', 'flaky');
    await waitFor('the recent window to count the new calls', async () => (recent = await figures('#recent-traffic', 'flaky')).requests >= recentCalls, gh, 15_000);
    assert.ok(recent.serverErrors >= recentCalls, JSON.stringify(recent));
    const after = await figures('#lifetime-traffic', 'flaky');
    assert.ok(after.requests >= calls.flaky!, `${after.requests} < ${calls.flaky}`);
    // The window leaves out the calls before the first reading.
    assert.ok(recent.requests < after.requests, `recent ${recent.requests}, lifetime ${after.requests}`);
    await assertNoAxeViolations(page, 'the dashboard');
    await page.screenshot({ path: join(images, 'admin-dashboard.png'), fullPage: true });
  });

  it('says how to turn the metrics on when they are off', async () => {
    const off = await startGatehouseProcess(['--metrics', 'off']);
    try {
      const offContext = await browser.newContext({ viewport: { width: 1200, height: 760 }, colorScheme: 'light' });
      const offPage = await signedInConsolePage(offContext, adminConsoleTarget(off));
      await offPage.getByText('The gateway\'s metrics are off, so the dashboard cannot be shown.').waitFor();
      await offPage.getByText('--metrics on').waitFor();
      await assertNoAxeViolations(offPage, 'the dashboard with the metrics off');
      await offContext.close();
    } finally {
      await off.stop();
    }
  });
});
