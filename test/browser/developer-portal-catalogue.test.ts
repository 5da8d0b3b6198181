/**
 * Issue 18 §2: the developer portal's catalogue in a real browser (Debian's Chromium driven by
 * playwright-core) against a real `gatehouse start`. An anonymous visitor sees the Starter
 * product and the Echo API but not Unlimited, and reads the Echo API's reference; an API imported
 * from an OpenAPI file (parameters, a request example, response examples, a schema by reference)
 * shows them in its reference. A signed-in user subscribes to Unlimited and is told it waits for
 * approval (a second subscription is refused by the product's limit, as the server said it); once
 * the administrator approves, the user picks the key in the Echo API's try-it console, calls the
 * gateway and sees 200 with the echo and the request as sent (key masked until asked), and
 * without a key sees the gateway's 401. A key scoped to another API is not offered, and the call
 * is built from the template, query and header fields. axe-core checks every page; the screenshots in
 * docs/portal.md are taken here.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startGatehouseProcess, type GatehouseProcess } from '../e2e/helpers/gatehouse-process.js';
import { adminConsoleTarget, type AdminConsoleTarget } from '../e2e/helpers/admin-console-target.js';
import { waitFor } from '../e2e/helpers/wait-for.js';
import { assertNoAxeViolations } from './helpers/axe-check.js';
import { openBrowserPage } from './helpers/browser-page.js';
import { chromiumSkipReason } from './helpers/chromium.js';

const root = new URL('../..', import.meta.url).pathname;
/** docs/images with GATEHOUSE_SCREENSHOTS=docs (to refresh docs/portal.md), else a temporary folder. */
const images = process.env.GATEHOUSE_SCREENSHOTS === 'docs' ? join(root, 'docs', 'images') : mkdtempSync(join(tmpdir(), 'gatehouse-screenshots-'));
const petsOpenApi = readFileSync(join(root, 'test', 'fixtures', 'portal', 'pets-openapi.json'), 'utf8');

const skip = chromiumSkipReason('the developer portal catalogue browser tests');

describe('the developer portal catalogue in Chromium', { skip }, () => {
  let gh: GatehouseProcess;
  let target: AdminConsoleTarget;
  let portalUrl: string;
  let browser: Browser;
  let page: Page;
  let cspViolations: string[];

  /** A management API call with the admin token (the administrator's part of the story). */
  const manage = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${target.managementUrl}${target.servicePath}/${path}${path.includes('?') ? '&' : '?'}api-version=2024-05-01`, {
      method,
      headers: { authorization: `Bearer ${target.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, text, body: text ? JSON.parse(text) : undefined };
  };
  const created = (answer: { status: number; text: string }, what: string) => assert.ok(answer.status === 200 || answer.status === 201, `${what}: ${answer.status} ${answer.text}`);

  before(async () => {
    mkdirSync(images, { recursive: true });
    gh = await startGatehouseProcess([]);
    await waitFor('the portal banner', () => /developer portal: http/.test(gh.stdout.join('\n')), gh);
    portalUrl = /developer portal: (\S+)/.exec(gh.stdout.join('\n'))![1]!.replace(/\/+$/, '');
    target = adminConsoleTarget(gh);
    created(await manage('PUT', 'users/dana', { properties: { email: 'dana@example.com', firstName: 'Dana', lastName: 'Park', password: 'dana-s3cret-pw' } }), 'user');
    ({ browser, page, cspViolations } = await openBrowserPage());
  });
  after(async () => {
    await browser?.close();
    await gh?.stop();
  });

  it('shows an anonymous visitor the Starter product and the Echo API, not Unlimited', async () => {
    await page.goto(`${portalUrl}/products`);
    await page.getByRole('heading', { name: 'Products', level: 1 }).waitFor();
    const products = page.getByRole('list', { name: 'Products' });
    await products.getByRole('link', { name: 'Starter' }).waitFor();
    assert.match(await products.innerText(), /100 calls a minute/);
    assert.equal(await page.getByText('Unlimited').count(), 0);
    await assertNoAxeViolations(page, 'the products page');

    await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'APIs' }).click();
    await page.getByRole('heading', { name: 'APIs', level: 1 }).waitFor();
    await page.getByRole('list', { name: 'APIs' }).getByRole('link', { name: 'Echo API' }).waitFor();
    await assertNoAxeViolations(page, 'the APIs page');
    await page.getByRole('navigation', { name: 'Portal' }).getByRole('link', { name: 'Home' }).click();
    await page.getByRole('list', { name: 'Products' }).getByRole('link', { name: 'Starter' }).waitFor();
    await page.getByRole('list', { name: 'APIs' }).getByRole('link', { name: 'Echo API' }).waitFor();
    await page.screenshot({ path: join(images, 'portal-catalogue.png') });

    // The product page: its terms, no approval, its API, and the way to sign in for a subscription.
    await page.goto(`${portalUrl}/products/starter`);
    await page.getByRole('heading', { name: 'Starter', level: 1 }).waitFor();
    await page.getByText('Subscriptions are active at once.').waitFor();
    await page.getByRole('list', { name: 'APIs of Starter' }).getByRole('link', { name: 'Echo API' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Sign in to subscribe' }).getAttribute('href'), '/signin');
    await assertNoAxeViolations(page, 'the Starter product page');
    // Unlimited is not shown to Guests: its page says so rather than showing it.
    await page.goto(`${portalUrl}/products/unlimited`);
    await page.getByRole('heading', { name: 'Product not found', level: 1 }).waitFor();
  });

  it('shows the Echo API reference to an anonymous visitor, operation by operation', async () => {
    await page.goto(`${portalUrl}/apis`);
    await page.getByRole('link', { name: 'Echo API' }).click();
    await page.getByRole('heading', { name: 'Echo API', level: 1 }).waitFor();
    const index = page.getByRole('list', { name: 'Operations' });
    await index.getByRole('link', { name: 'POST Create resource' }).waitFor();
    const operations = await manage('GET', 'apis/echo-api/operations');
    for (const op of operations.body.value as Array<{ name: string; properties: { displayName: string; urlTemplate: string } }>) {
      const heading = page.locator(`h2#op-${op.name}`);
      assert.equal(await heading.innerText(), op.properties.displayName);
      assert.equal(await index.getByRole('link', { name: op.properties.displayName }).getAttribute('href'), `#op-${op.name}`);
    }
    // The wildcard operations are tried with the rest of the path as their only parameter.
    await page.getByRole('button', { name: 'Try GET anything' }).click();
    await page.getByLabel('Rest of the path (for *)').waitFor();
    await page.getByText('Sign in to pick the keys of your subscriptions.').waitFor();
    await assertNoAxeViolations(page, 'the Echo API reference');
  });

  it('shows an imported API\'s parameters, examples, responses and schemas in its reference', async () => {
    created(await manage('PUT', 'apis/pets', { properties: { path: 'pets', format: 'openapi+json', value: petsOpenApi } }), 'import');
    created(await manage('PUT', 'products/starter/apis/pets'), 'link to starter');
    // A representation that names its schema by reference, resolved against the API's schemas.
    created(
      await manage('PUT', 'apis/pets/schemas/owners', {
        properties: { contentType: 'application/vnd.oai.openapi.components+json', document: { components: { schemas: { Owner: { type: 'object', properties: { ownerName: { type: 'string', description: 'Who feeds the pet' } } } } } } },
      }),
      'schema',
    );
    created(
      await manage('PUT', 'apis/pets/operations/getowner', {
        properties: {
          displayName: 'Get the owner',
          method: 'GET',
          urlTemplate: '/pets/{petId}/owner',
          templateParameters: [{ name: 'petId', type: 'integer', required: true }],
          responses: [{ statusCode: 200, description: 'The owner', representations: [{ contentType: 'application/json', schemaId: 'owners', typeName: 'Owner' }] }],
        },
      }),
      'operation with a schema reference',
    );

    await page.goto(`${portalUrl}/apis/pets#op-getpet`);
    await page.getByRole('heading', { name: 'Pet Store', level: 1 }).waitFor();
    const getPet = page.locator('section.operation').filter({ has: page.locator('h2#op-getpet') });
    await getPet.getByText('Returns one pet by its id.').waitFor();
    // The anchor named in the address takes the focus once the reference is drawn.
    await waitFor('the focus on the anchored operation', () => page.evaluate(() => document.activeElement?.id === 'op-getpet'), undefined, 15_000);
    assert.equal(await getPet.locator('.operation-line').innerText(), 'GET /pets/{petId}');
    const parameters = getPet.getByRole('table', { name: 'Parameters of Get a pet' });
    const row = (name: string) => parameters.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
    assert.deepEqual((await row('petId').getByRole('cell').allInnerTexts()).slice(0, 4), ['template', 'integer', 'yes', "The pet's id"]);
    assert.deepEqual(await row('verbose').getByRole('cell').allInnerTexts(), ['query', 'string', 'no', "Whether to add the pet's history", 'default no; one of yes, no']);
    assert.deepEqual((await row('X-Trace-Id').getByRole('cell').allInnerTexts()).slice(0, 4), ['header', 'string', 'no', 'A trace id to follow the call']);
    await page.screenshot({ path: join(images, 'portal-api-reference.png') });
    await getPet.getByRole('heading', { name: '200 The pet', level: 4 }).waitFor();
    await getPet.getByRole('heading', { name: '404 No such pet', level: 4 }).waitFor();
    assert.match(await getPet.getByLabel('Example rex').innerText(), /"name": "Rex"/);
    assert.match(await getPet.getByText('Rex the dog', { exact: false }).innerText(), /Example “?rex”?: Rex the dog/);
    assert.match(await getPet.getByLabel('Schema of application/json').innerText(), /"tag": \{\s+"type": "string",\s+"description": "A free label"/);

    const addPet = page.locator('section.operation').filter({ has: page.locator('h2#op-addpet') });
    await addPet.getByRole('heading', { name: 'Request body', level: 3 }).waitFor();
    assert.match(await addPet.getByLabel('Example default').first().innerText(), /"name": "Fido",\s+"tag": "puppy"/);
    await addPet.getByRole('heading', { name: '201 The pet was added', level: 4 }).waitFor();

    const getOwner = page.locator('section.operation').filter({ has: page.locator('h2#op-getowner') });
    await getOwner.getByText('Schema: Owner in schema owners').waitFor();
    assert.match(await getOwner.getByLabel('Schema of application/json').innerText(), /"ownerName": \{\s+"type": "string",\s+"description": "Who feeds the pet"/);

    // The try-it console starts from the first example and the parameters' defaults.
    await addPet.getByRole('button', { name: 'Try Add a pet' }).click();
    assert.match(await addPet.getByLabel('Body (application/json)').inputValue(), /"name": "Fido"/);
    await getPet.getByRole('button', { name: 'Try Get a pet' }).click();
    assert.equal(await getPet.getByLabel('verbose').inputValue(), 'no');
    await assertNoAxeViolations(page, 'the Pet Store reference with two consoles open');
  });

  it('lets a signed-in user subscribe to a product that needs approval, and shows the limit\'s refusal as the server said it', async () => {
    await page.goto(`${portalUrl}/signin`);
    await page.getByLabel('E-mail address').fill('dana@example.com');
    await page.getByLabel('Password').fill('dana-s3cret-pw');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in as dana').waitFor();

    await page.getByRole('link', { name: 'Products' }).click();
    await page.getByRole('list', { name: 'Products' }).getByRole('link', { name: 'Unlimited' }).click();
    await page.getByRole('heading', { name: 'Unlimited', level: 1 }).waitFor();
    await page.getByText('Subscriptions wait for an administrator’s approval.').waitFor();
    await page.getByLabel('Subscription name').fill('Dana unlimited');
    await page.getByRole('button', { name: 'Subscribe' }).click();
    await page.getByRole('status').filter({ hasText: 'Your subscription “Dana unlimited” is submitted, waiting for approval.' }).waitFor();
    await assertNoAxeViolations(page, 'the Unlimited product page after subscribing');
    await page.screenshot({ path: join(images, 'portal-product.png') });

    const mine = await manage('GET', 'users/dana/subscriptions');
    const subscription = (mine.body.value as Array<{ name: string; properties: { scope: string; state: string; displayName: string } }>).find((s) => s.properties.scope.endsWith('/products/unlimited'));
    assert.ok(subscription, mine.text);
    assert.equal(subscription.properties.state, 'submitted');
    assert.equal(subscription.properties.displayName, 'Dana unlimited');
    assert.match(subscription.name, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    // Unlimited allows one subscription per developer: the second is the server's 409, shown as it said it.
    // By keyboard this time: the name field, then Enter sends the form.
    await page.getByLabel('Subscription name').focus();
    await page.keyboard.insertText('Dana again');
    await page.keyboard.press('Enter');
    const refusal = page.locator('#subscribe-problem');
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /Conflict: The product's subscriptions limit is reached/);
    await assertNoAxeViolations(page, 'the Unlimited product page with a refusal');

    const approved = await manage('PATCH', `subscriptions/${subscription.name}`, { properties: { state: 'active' } }, { 'if-match': '*' });
    assert.equal(approved.status, 200, approved.text);
    const keys = await manage('POST', `subscriptions/${subscription.name}/listSecrets`);
    await waitFor('the gateway to serve the approved key', async () => {
      const res = await fetch(`${gh.gatewayUrl}/echo/resource`, { headers: { 'ocp-apim-subscription-key': keys.body.primaryKey } });
      await res.arrayBuffer();
      return res.status === 200;
    }, gh, 30_000);
  });

  it('calls the Echo API from the try-it console with the picked key, shows the request and the answer, and the 401 without a key', async () => {
    const mine = await manage('GET', 'users/dana/subscriptions');
    const subscription = (mine.body.value as Array<{ name: string; properties: { scope: string } }>).find((s) => s.properties.scope.endsWith('/products/unlimited'))!;
    const key = (await manage('POST', `subscriptions/${subscription.name}/listSecrets`)).body.primaryKey as string;

    await page.getByRole('link', { name: 'APIs' }).first().click();
    await page.getByRole('list', { name: 'APIs' }).getByRole('link', { name: 'Echo API' }).click();
    const getAnything = page.locator('section.operation').filter({ has: page.locator('h2#op-get-anything') });
    // The console opens by keyboard, and says it is open.
    const opener = getAnything.getByRole('button', { name: 'Try GET anything' });
    await opener.focus();
    await page.keyboard.press('Enter');
    assert.equal(await getAnything.getByRole('button', { name: 'Close the console of GET anything' }).getAttribute('aria-expanded'), 'true');
    const picker = getAnything.getByLabel('Key', { exact: true });
    await getAnything.locator('option', { hasText: 'Dana unlimited, primary key' }).waitFor({ state: 'attached' });
    // The first key offered is picked for the developer, once the keys have arrived (an effect after the render).
    await picker.locator('option:checked', { hasText: 'Dana unlimited, primary key' }).waitFor({ state: 'attached' });
    assert.equal(await picker.locator('option:checked').innerText(), 'Dana unlimited, primary key');
    await getAnything.getByLabel('Rest of the path (for *)').fill('pets/from-the-portal');
    await getAnything.getByRole('button', { name: 'Send' }).click();

    const status = getAnything.locator('.answer-status');
    await status.waitFor();
    assert.equal(await status.innerText(), '200 OK');
    const answerBody = await getAnything.getByLabel('Answer body').innerText();
    // The echo server's answer, indented: the gateway forwarded the path and the key.
    assert.match(answerBody, /\n {2}"method": "GET",\n {2}"url": "\/pets\/from-the-portal"/);
    await getAnything.getByRole('table', { name: 'Answer headers' }).getByRole('rowheader', { name: 'x-served-by' }).waitFor();
    const sent = getAnything.getByLabel('Request sent');
    const masked = await sent.innerText();
    assert.match(masked, new RegExp(`^GET ${gh.gatewayUrl.replace(/\/+$/, '').replace(/[.]/g, '\\.')}/echo/pets/from-the-portal\\n`));
    assert.match(masked, new RegExp(`Ocp-Apim-Subscription-Key: •+${key.slice(-4)}`));
    assert.ok(!masked.includes(key), 'the key is shown before it was asked for');
    await getAnything.getByRole('button', { name: 'Show the key' }).click();
    assert.match(await sent.innerText(), new RegExp(`Ocp-Apim-Subscription-Key: ${key}`));
    await getAnything.getByRole('button', { name: 'Hide the key' }).click();
    await assertNoAxeViolations(page, 'the try-it console with an answer');
    await getAnything.locator('.try-it').screenshot({ path: join(images, 'portal-try-it.png') });
    // Playwright's screenshots add a style element of their own, which the policy rightly refuses: count from here.
    cspViolations.length = 0;

    await picker.selectOption({ label: 'No key' });
    await getAnything.getByRole('button', { name: 'Send' }).click();
    await waitFor('the 401 answer', async () => (await status.innerText()).startsWith('401'), gh, 15_000);
    assert.match(await getAnything.getByLabel('Answer body').innerText(), /"message": "Access denied due to missing subscription key/);
    assert.ok(!(await sent.innerText()).includes('Ocp-Apim-Subscription-Key'));
    // The key typed by hand goes in the same header.
    await picker.selectOption({ label: 'Type a key' });
    await getAnything.getByLabel('Key value').fill(key);
    await getAnything.getByRole('button', { name: 'Send' }).click();
    await waitFor('the 200 answer with the typed key', async () => (await status.innerText()) === '200 OK', gh, 15_000);
    assert.deepEqual(cspViolations, [], 'the portal broke its own Content-Security-Policy');
  });

  it('offers only the keys whose scope holds the API, and builds the call from the template, query and header fields', async () => {
    // An administrator's subscription for Dana scoped to the Pet Store API alone.
    created(await manage('PUT', 'subscriptions/dana-pets', { properties: { scope: '/apis/pets', ownerId: '/users/dana', displayName: 'Dana pets', state: 'active' } }), 'API-scoped subscription');
    // The import took the document's https server; the test's gateway listens on http.
    const http = await manage('PATCH', 'apis/pets', { properties: { protocols: ['http', 'https'] } }, { 'if-match': '*' });
    assert.equal(http.status, 200, http.text);
    await page.goto(`${portalUrl}/apis/pets`);
    const getPet = page.locator('section.operation').filter({ has: page.locator('h2#op-getpet') });
    await getPet.getByRole('button', { name: 'Try Get a pet' }).click();
    await getPet.locator('option', { hasText: 'Dana pets, primary key' }).waitFor({ state: 'attached' });
    // Unlimited has the Echo API only: its keys are not offered here.
    assert.deepEqual(await getPet.getByLabel('Key', { exact: true }).locator('option').allInnerTexts(), ['No key', 'Dana pets, primary key', 'Dana pets, secondary key', 'Type a key']);

    await getPet.getByLabel('petId (required)').fill('7');
    await getPet.getByLabel('verbose').selectOption('yes');
    await getPet.getByLabel('X-Trace-Id').fill('trace-1');
    await getPet.getByLabel('Key', { exact: true }).selectOption({ label: 'No key' });
    await getPet.getByRole('button', { name: 'Send' }).click();
    const sent = getPet.getByLabel('Request sent');
    await sent.waitFor();
    const base = gh.gatewayUrl.replace(/\/+$/, '');
    assert.equal(await sent.innerText(), `GET ${base}/pets/pets/7?verbose=yes\nX-Trace-Id: trace-1`);
    // The gateway's own refusal: the API needs a key.
    const status = getPet.locator('.answer-status');
    await waitFor('the gateway to serve the API over http', async () => {
      if ((await status.innerText()) === '401 Unauthorized') return true;
      await getPet.getByRole('button', { name: 'Send' }).click();
      return false;
    }, gh);
    assert.match(await getPet.getByLabel('Answer body').innerText(), /missing subscription key/);
    // A template value is one segment: its slashes and dots are encoded, never new segments.
    await getPet.getByLabel('petId (required)').fill('7/../x');
    await getPet.getByRole('button', { name: 'Send' }).click();
    await waitFor('the second call', async () => (await sent.innerText()).includes('%2F'), gh);
    assert.equal(await sent.innerText(), `GET ${base}/pets/pets/7%2F..%2Fx?verbose=yes\nX-Trace-Id: trace-1`);
    await assertNoAxeViolations(page, 'the Pet Store console with an answer');
  });
});
