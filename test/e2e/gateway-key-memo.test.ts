/**
 * The subscription decision remembered per connection (src/gateway/subscriptions/
 * connection-key-memo.ts) never outlives the snapshot it came from: on ONE keep-alive connection
 * to a real `gatehouse start` process, a key works, the administrator suspends its subscription
 * (then regenerates the key), and the next request on that same connection is refused as soon
 * as a fresh connection shows the new snapshot is served.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { managementClient, type ManagementAnswer } from './helpers/management-client.js';
import { waitFor } from './helpers/wait-for.js';

describe('a remembered key decision on a keep-alive connection', () => {
  let gh: GatehouseProcess;
  let backend: Server;
  let admin: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<ManagementAnswer>;
  const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
  const keepAliveSockets = new Set<Socket>();

  /** GET /memo/ping with `key`, on the keep-alive connection or on a fresh one. */
  function call(key: string, connection: 'kept' | 'fresh'): Promise<number> {
    const url = new URL('/memo/ping', gh.gatewayUrl);
    return new Promise((resolve, reject) => {
      const req = request(url, { headers: { 'Ocp-Apim-Subscription-Key': key }, agent: connection === 'kept' ? keepAlive : false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      if (connection === 'kept') req.on('socket', (s) => keepAliveSockets.add(s));
      req.on('error', reject);
      req.end();
    });
  }
  const ok = (reply: ManagementAnswer, what: string) => assert.ok(reply.status >= 200 && reply.status < 300, `${what}: ${reply.status} ${reply.text}`);
  const primaryKey = async () => (await admin('POST', 'subscriptions/memo/listSecrets')).body.primaryKey as string;

  before(async () => {
    backend = createServer((_req, res) => res.end('pong'));
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    gh = await startGatehouseProcess(['--workers', '1']);
    await waitFor('the banner', () => /admin token file/.test(gh.stdout.join('\n')), gh);
    admin = managementClient(gh);
    const backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
    ok(await admin('PUT', 'apis/memo', { properties: { displayName: 'memo', path: 'memo', protocols: ['http'], serviceUrl: backendUrl, subscriptionRequired: true } }), 'api');
    ok(await admin('PUT', 'apis/memo/operations/ping', { properties: { displayName: 'ping', method: 'GET', urlTemplate: '/ping' } }), 'operation');
    ok(await admin('PUT', 'subscriptions/memo', { properties: { displayName: 'memo', scope: '/apis/memo', state: 'active' } }), 'subscription');
  });
  after(async () => {
    keepAlive.destroy();
    await gh?.stop();
    backend?.close();
  });

  it('refuses a suspended, then a regenerated, key on the same connection once the snapshot is served', async () => {
    const first = await primaryKey();
    await waitFor('the subscription served', async () => (await call(first, 'fresh')) === 200, gh);
    assert.equal(await call(first, 'kept'), 200);
    // Asked again on the same connection: the remembered answer.
    assert.equal(await call(first, 'kept'), 200);

    ok(await admin('PATCH', 'subscriptions/memo', { properties: { state: 'suspended' } }, { 'if-match': '*' }), 'suspend');
    await waitFor('the suspension served', async () => (await call(first, 'fresh')) === 401, gh);
    assert.equal(await call(first, 'kept'), 401);

    ok(await admin('PATCH', 'subscriptions/memo', { properties: { state: 'active' } }, { 'if-match': '*' }), 'reactivate');
    await waitFor('the reactivation served', async () => (await call(first, 'fresh')) === 200, gh);
    assert.equal(await call(first, 'kept'), 200);

    ok(await admin('POST', 'subscriptions/memo/regeneratePrimaryKey'), 'regenerate');
    const second = await primaryKey();
    assert.notEqual(second, first);
    await waitFor('the new key served', async () => (await call(first, 'fresh')) === 401, gh);
    assert.equal(await call(first, 'kept'), 401);
    assert.equal(await call(second, 'kept'), 200);

    // Every kept call went over the one connection: the memo was there to be wrong.
    assert.equal(keepAliveSockets.size, 1);
  });
});
