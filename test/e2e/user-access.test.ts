/**
 * User-scoped access end to end (docs/user-access.md), through a real `gatehouse start` process
 * and a real backend on loopback: the administrator creates a user with a password and a
 * product that needs approval; the user signs in with the exchange, sees only the products
 * visible to them, subscribes (submitted), cannot read another user's subscription (404) or
 * change an API (403); the administrator approves; the user lists their keys and calls the
 * gateway with one.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { managementClient, type ManagementAnswer } from './helpers/management-client.js';
import { waitFor } from './helpers/wait-for.js';

const service = '/subscriptions/sub-e2e/resourceGroups/rg-e2e/providers/Microsoft.ApiManagement/service/gatehouse';

describe('a user through a real gatehouse process', () => {
  let gh: GatehouseProcess;
  let backend: Server;
  let backendUrl: string;
  let managementUrl: string;
  let admin: (method: string, path: string, body?: unknown) => Promise<ManagementAnswer>;
  let adminToken: string;

  /** A request to the management API with any Authorization header. */
  const asUser = async (authorization: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ManagementAnswer & { headers: Headers }> => {
    const res = await fetch(`${managementUrl}${service}/${path}${path.includes('?') ? '&' : '?'}api-version=2024-05-01`, {
      method,
      headers: { authorization, ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, text, headers: res.headers };
  };
  const created = (reply: ManagementAnswer, what: string) => assert.ok(reply.status === 200 || reply.status === 201, `${what}: ${reply.status} ${reply.text}`);

  before(async () => {
    backend = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ path: req.url }));
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
    gh = await startGatehouseProcess([]);
    await waitFor('the banner', () => /admin token file/.test(gh.stdout.join('\n')), gh);
    managementUrl = /management API \(http\): (\S+)/.exec(gh.stdout.join('\n'))![1]!;
    admin = managementClient(gh);
    adminToken = readFileSync(/admin token file: (\S+)/.exec(gh.stdout.join('\n'))![1]!, 'utf8').trim();
    created(await admin('PUT', 'apis/weather', { properties: { displayName: 'Weather', path: 'weather', serviceUrl: backendUrl, protocols: ['http', 'https'] } }), 'api');
    created(await admin('PUT', 'apis/weather/operations/today', { properties: { displayName: 'Today', method: 'GET', urlTemplate: '/today' } }), 'operation');
    created(await admin('PUT', 'apis/internal', { properties: { displayName: 'Internal', path: 'internal', serviceUrl: backendUrl, protocols: ['http'] } }), 'internal api');
    created(await admin('PUT', 'apis/internal/operations/x', { properties: { displayName: 'X', method: 'GET', urlTemplate: '/x' } }), 'internal operation');
    created(await admin('PUT', 'products/starter', { properties: { displayName: 'Starter', state: 'published', subscriptionRequired: true, approvalRequired: true } }), 'product');
    created(await admin('PUT', 'products/starter/apis/weather'), 'product api');
    created(await admin('PUT', 'products/starter/groups/developers'), 'product group');
    created(await admin('PUT', 'products/staff', { properties: { displayName: 'Staff', state: 'published', subscriptionRequired: true } }), 'staff');
    created(await admin('PUT', 'products/staff/apis/internal'), 'staff api');
    created(await admin('PUT', 'users/ana', { properties: { email: 'ana@example.com', firstName: 'Ana', lastName: 'Lima', password: 'ana-s3cret-pw' } }), 'user');
    created(await admin('PUT', 'users/ben', { properties: { email: 'ben@example.com', firstName: 'Ben', lastName: 'Roe' } }), 'other user');
    created(await admin('PUT', 'subscriptions/bens', { properties: { scope: '/products/staff', displayName: "Ben's", ownerId: '/users/ben', state: 'active' } }), 'other subscription');
  });
  after(async () => {
    await gh?.stop();
    backend?.close();
  });

  it('signs in, sees only what is visible, subscribes, and calls the gateway once approved', async () => {
    const signIn = await asUser(`Basic ${Buffer.from('ana@example.com:ana-s3cret-pw').toString('base64')}`, 'GET', 'identity');
    assert.equal(signIn.status, 200, signIn.text);
    assert.equal(signIn.body.id, 'ana');
    const token = /token="([^"]+)"/.exec(signIn.headers.get('ocp-apim-sas-token') ?? '')?.[1];
    assert.ok(token, 'the token header');
    const user = `SharedAccessSignature ${token}`;

    const products = await asUser(user, 'GET', 'products');
    // The sample store's 'unlimited' is shown to Developers too; 'staff' is shown to nobody.
    assert.deepEqual(products.body.value.map((p: { name: string }) => p.name).sort(), ['starter', 'unlimited']);
    assert.equal((await asUser(user, 'GET', 'products/staff')).status, 404);
    assert.equal((await asUser(user, 'GET', 'apis/weather/operations')).status, 200);
    assert.equal((await asUser(user, 'GET', 'apis/internal')).status, 404);

    const subscribed = await asUser(user, 'PUT', 'subscriptions/ana-starter', { properties: { scope: '/products/starter', displayName: 'My app' } });
    assert.equal(subscribed.status, 201, subscribed.text);
    assert.equal(subscribed.body.properties.state, 'submitted');
    assert.equal((await asUser(user, 'GET', 'subscriptions/bens')).status, 404);
    assert.equal((await asUser(user, 'POST', 'subscriptions/bens/listSecrets')).status, 404);
    const putApi = await asUser(user, 'PUT', 'apis/weather', { properties: { displayName: 'Mine', path: 'weather', serviceUrl: 'http://127.0.0.1:9' } });
    assert.equal(putApi.status, 403);
    assert.equal(putApi.body.error.code, 'AuthorizationFailed');

    const approved = await asUser(`Bearer ${adminToken}`, 'PATCH', 'subscriptions/ana-starter', { properties: { state: 'active' } }, { 'if-match': '*' });
    assert.equal(approved.status, 200, approved.text);

    const secrets = await asUser(user, 'POST', 'subscriptions/ana-starter/listSecrets');
    assert.equal(secrets.status, 200, secrets.text);
    const key = secrets.body.primaryKey as string;
    await waitFor('the gateway to accept the approved key', async () => {
      const res = await fetch(`${gh.gatewayUrl}/weather/today`, { headers: { 'ocp-apim-subscription-key': key } });
      await res.arrayBuffer();
      return res.status === 200;
    }, gh, 30_000);
    const call = await fetch(`${gh.gatewayUrl}/weather/today`, { headers: { 'ocp-apim-subscription-key': key } });
    assert.equal(call.status, 200);
    assert.deepEqual(await call.json(), { path: '/today' });
    const internal = await fetch(`${gh.gatewayUrl}/internal/x`, { headers: { 'ocp-apim-subscription-key': key } });
    await internal.arrayBuffer();
    assert.equal(internal.status, 401, "the key opens only the product's APIs");
  });
});
