/**
 * Issue 18 §3: the admin console in a real browser (Debian's Chromium driven by playwright-core)
 * against a real `gatehouse start`. An administrator signs in with the admin token, sees the
 * sample API, edits its policy: a syntax error is refused by the server and marked at its line in
 * the editor, the fix is saved and the gateway serves it. A pending private endpoint connection
 * is approved from the network page, and turning public access off without an approved
 * connection shows Azure's refusal. axe-core checks every page; the screenshots in
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
/**
 * Where the screenshots go: docs/images with GATEHOUSE_SCREENSHOTS=docs (to refresh the pictures
 * of docs/admin-console.md), else a temporary folder, so a test run leaves the checkout as it was.
 */
const images = process.env.GATEHOUSE_SCREENSHOTS === 'docs' ? join(root, 'docs', 'images') : mkdtempSync(join(tmpdir(), 'gatehouse-screenshots-'));

/** The sample API's policy with a response header, written so that line 11 is the header's value. */
function echoPolicy(valueLine: string): string {
  return [
    '<policies>',
    '  <inbound>',
    '    <base />',
    '  </inbound>',
    '  <backend>',
    '    <base />',
    '  </backend>',
    '  <outbound>',
    '    <base />',
    '    <set-header name="X-Console" exists-action="override">',
    valueLine,
    '    </set-header>',
    '  </outbound>',
    '  <on-error>',
    '    <base />',
    '  </on-error>',
    '</policies>',
    '',
  ].join('\n');
}
const brokenPolicy = echoPolicy('      <value>saved-from-the-console</valu>');
const fixedPolicy = echoPolicy('      <value>saved-from-the-console</value>');

const skip = chromiumSkipReason('the admin console browser tests');

describe('the admin console in Chromium', { skip }, () => {
  let gh: GatehouseProcess;
  let target: AdminConsoleTarget;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const cspViolations: string[] = [];

  /** A management API call with the admin token (the test's own view, not the console's). */
  const manage = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${target.managementUrl}${path}${path.includes('?') ? '&' : '?'}api-version=2024-05-01`, {
      method,
      headers: { authorization: `Bearer ${target.adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  before(async () => {
    mkdirSync(images, { recursive: true });
    gh = await startGatehouseProcess([]);
    target = adminConsoleTarget(gh);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1200, height: 760 }, colorScheme: 'light' });
    page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('console', (message) => {
      if (/Content[- ]Security[- ]Policy/i.test(message.text())) cspViolations.push(message.text());
    });
  });
  after(async () => {
    await browser?.close();
    await gh?.stop();
  });

  it('refuses a wrong token, then signs in with the admin token and lists the sample API', async () => {
    await page.goto(target.consoleUrl);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await assertNoAxeViolations(page, 'the sign-in page');
    await page.screenshot({ path: join(images, 'admin-sign-in.png') });

    await page.getByLabel('Admin token').fill('not-the-admin-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'InvalidAdminToken' }).waitFor();

    // By keyboard: the focus is on the page's heading, Tab reaches the token field, Enter signs in.
    await page.getByLabel('Admin token').fill('');
    await page.getByRole('heading', { name: 'Sign in' }).focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'admin-token');
    await page.keyboard.insertText(target.adminToken);
    await page.keyboard.press('Enter');
    // The dashboard is the first page; its heading takes the focus.
    await page.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
    await waitFor('the focus on the dashboard heading', () => page.evaluate(() => document.activeElement?.textContent === 'Dashboard'), undefined, 15_000);
    await page.getByRole('link', { name: 'APIs', exact: true }).click();
    await page.getByRole('heading', { name: 'APIs' }).waitFor();
    // The new page's heading takes the focus, and Tab goes on to the page's first control.
    await waitFor('the focus on the APIs heading', () => page.evaluate(() => document.activeElement?.textContent === 'APIs'), undefined, 15_000);
    const row = page.getByRole('row').filter({ hasText: 'Echo API' });
    await row.waitFor();
    assert.match(await row.innerText(), /\/echo/);
    assert.match(await row.innerText(), /https/);
    // The cookie the browser keeps is the server's HttpOnly session cookie.
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'gatehouse-admin');
    assert.ok(session, `no session cookie: ${JSON.stringify(cookies.map((c) => c.name))}`);
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, 'Strict');
    await assertNoAxeViolations(page, 'the APIs page');
    await page.screenshot({ path: join(images, 'admin-apis.png') });
  });

  it('marks a policy syntax error at its line, then saves the fix, which the gateway serves', async () => {
    await page.getByRole('heading', { name: 'APIs' }).focus();
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Echo API');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Edit policy of Echo API');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Policy of Echo API' }).waitFor();
    const editor = page.getByRole('textbox', { name: 'Policy of Echo API, XML' });
    await editor.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText(brokenPolicy);
    // The editor does not trap the focus: Tab leaves it for the Save button, and Enter saves.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Save');
    await page.keyboard.press('Enter');

    const problem = page.locator('#policy-problem');
    await problem.waitFor();
    assert.match(await problem.innerText(), /ValidationError/);
    assert.match(await problem.innerText(), /Line 11, position \d+/);
    await page.getByText('Marked in the editor at line 11,').waitFor();
    // The editor marks the line the server named: the 11th line of the document.
    const marked = page.locator('.cm-line.cm-error-line');
    assert.equal(await marked.count(), 1);
    assert.equal(await marked.getAttribute('data-error-line'), '11');
    const lineNumber = await page.locator('.cm-content .cm-line').evaluateAll((lines) => lines.findIndex((l) => l.classList.contains('cm-error-line')) + 1);
    assert.equal(lineNumber, 11);
    assert.match(await marked.innerText(), /<\/valu>/);
    // Nothing was stored: the management API still has the sample's policy.
    const stored = await manage('GET', `${target.servicePath}/apis/echo-api/policies/policy?format=rawxml`);
    assert.doesNotMatch(String(stored.body?.properties?.value), /X-Console/);
    await assertNoAxeViolations(page, 'the policy page with a refused save');
    await page.screenshot({ path: join(images, 'admin-policy-error.png'), fullPage: true });

    await editor.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText(fixedPolicy);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    assert.equal(await page.locator('#policy-problem').count(), 0);
    assert.equal(await page.locator('.cm-error-line').count(), 0);

    const stdout = gh.stdout.join('\n');
    const key = /sample subscription key \(product 'starter'\): (\S+)/.exec(stdout)?.[1];
    assert.ok(key, 'start printed no sample key');
    let served: string | null = null;
    await waitFor('the gateway to serve the saved policy', async () => {
      const res = await fetch(`${gh.gatewayUrl}/echo/resource`, { headers: { 'ocp-apim-subscription-key': key } });
      await res.arrayBuffer();
      served = res.headers.get('x-console');
      return res.status === 200 && served === 'saved-from-the-console';
    }, gh, 30_000);
    await assertNoAxeViolations(page, 'the policy page after a good save');
    await page.screenshot({ path: join(images, 'admin-policy.png'), fullPage: true });
  });

  it('shows the refusal to turn public access off, and approves a pending private endpoint connection', async () => {
    // A network team's private endpoint with a manual connection: it waits on the service as Pending.
    const network = target.servicePath.replace(/\/providers\/Microsoft\.ApiManagement\/.*$/, '/providers/Microsoft.Network');
    const vnet = await manage('PUT', `${network}/virtualNetworks/console-vnet`, {
      location: 'local',
      properties: { addressSpace: { addressPrefixes: ['10.78.0.0/16'] }, subnets: [{ name: 'endpoints', properties: { addressPrefix: '10.78.1.0/24' } }] },
    });
    assert.ok(vnet.status === 200 || vnet.status === 201, JSON.stringify(vnet.body));
    const endpoint = await manage('PUT', `${network}/privateEndpoints/pe-console`, {
      location: 'local',
      properties: {
        subnet: { id: `${network}/virtualNetworks/console-vnet/subnets/endpoints` },
        ipConfigurations: [{ name: 'ip', properties: { groupId: 'Gateway', memberName: 'Gateway', privateIPAddress: '10.78.1.4' } }],
        manualPrivateLinkServiceConnections: [
          { name: 'link', properties: { privateLinkServiceId: target.servicePath, groupIds: ['Gateway'], requestMessage: 'Please approve' } },
        ],
      },
    });
    assert.ok(endpoint.status === 200 || endpoint.status === 201, JSON.stringify(endpoint.body));
    const listed = await manage('GET', `${target.servicePath}/privateEndpointConnections`);
    const connection = (listed.body.value as Array<{ name: string }>).find((c) => c.name.startsWith('pe-console'));
    assert.ok(connection, JSON.stringify(listed.body));

    await page.getByRole('link', { name: 'Network' }).click();
    await page.getByRole('heading', { name: 'Network', level: 1 }).waitFor();
    const row = page.getByRole('row').filter({ hasText: connection.name });
    await row.getByText('Pending').first().waitFor();

    const publicSwitch = page.getByRole('switch', { name: /Public network access/ });
    assert.equal(await publicSwitch.getAttribute('aria-checked'), 'true');
    await publicSwitch.click();
    const refusal = page.locator('#network-problem');
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /private endpoint/i);
    assert.equal((await manage('GET', target.servicePath)).body.properties.publicNetworkAccess, 'Enabled');
    await assertNoAxeViolations(page, 'the network page with a refusal');
    await page.screenshot({ path: join(images, 'admin-network.png'), fullPage: true });

    await row.getByRole('button', { name: `Approve ${connection.name}` }).click();
    await page.getByRole('status').filter({ hasText: `Connection ${connection.name} approved.` }).waitFor();
    await row.getByText('Approved', { exact: true }).waitFor();
    const approved = await manage('GET', `${target.servicePath}/privateEndpointConnections/${connection.name}`);
    assert.equal(approved.body.properties.privateLinkServiceConnectionState.status, 'Approved');
    await assertNoAxeViolations(page, 'the network page after an approval');
  });

  it('keeps its Content-Security-Policy: the editor\'s styles load by nonce and an injected inline script is refused', async () => {
    await page.getByRole('link', { name: 'Global policy' }).click();
    await page.getByRole('heading', { name: 'Global policy' }).waitFor();
    // A fresh load with no screenshot or axe run in between (Playwright's screenshots add a style
    // element of their own, which the policy rightly refuses): the console's own work only.
    cspViolations.length = 0;
    await page.reload();
    await page.getByRole('heading', { name: 'Global policy' }).waitFor();
    await page.locator('.cm-content').waitFor();
    // CodeMirror's own styles applied: its gutter is laid out beside the text, not above it.
    const gutter = await page.locator('.cm-gutters').boundingBox();
    const content = await page.locator('.cm-content').boundingBox();
    assert.ok(gutter && content && gutter.x + gutter.width <= content.x + 1, `gutter ${JSON.stringify(gutter)} content ${JSON.stringify(content)}`);
    assert.deepEqual(cspViolations, [], 'the console broke its own Content-Security-Policy');
    await assertNoAxeViolations(page, 'the global policy page');
    await page.addScriptTag({ content: 'window.injectedByTest = true;' }).catch(() => undefined);
    assert.equal(await page.evaluate(() => (window as unknown as { injectedByTest?: boolean }).injectedByTest === true), false);
    await waitFor('the browser to report the refused inline script', () => cspViolations.some((v) => /script-src/.test(v)), undefined, 15_000);
  });

  it('signs out: the session cookie no longer opens the management API', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByText('You are signed out.').waitFor();
    const answer = await page.evaluate(async (path) => (await fetch(`${path}/apis?api-version=2024-05-01`)).status, target.servicePath);
    assert.equal(answer, 401);
  });
});
