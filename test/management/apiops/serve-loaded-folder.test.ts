// The sample, imported into a store as `start --config` does and read back, runs unchanged on the real gateway: snapshot compilation (every policy file,
// routes, subscription index) and requests over real sockets to the real echo backend.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../../src/core/logger.js';
import { startGatewayRuntime, type GatewayRuntime } from '../../../src/main/gateway-runtime.js';
import { startEchoBackend, type EchoBackend } from '../../../src/main/sample/echo-backend.js';
import type { ServedFolder } from './import-served.js';
import { copySample, type SampleCopy } from './sample-copy.js';

let copy: SampleCopy;
let backend: EchoBackend;
let gateway: GatewayRuntime;
let loaded: ServedFolder;
let base: string;

before(async () => {
  backend = await startEchoBackend();
  copy = await copySample();
  // Point the exported URLs at the loopback echo backend and allow plain http (the test listener
  // has no certificate); everything else is the sample as is.
  for (const api of ['basic-api', 'petstore', 'revisioned-api', 'revisioned-api;rev=2']) {
    await copy.editJson(`apis/${api}/apiInformation.json`, (d) => {
      d.properties.serviceUrl = `${backend.url}/${api}`;
      d.properties.protocols = ['http', 'https'];
    });
  }
  await copy.editJson('backends/backend1/backendInformation.json', (d) => (d.properties.url = `${backend.url}/backend1`));
  loaded = await copy.load();
  gateway = await startGatewayRuntime(loaded.config, { host: '127.0.0.1', httpPort: 0, httpsPort: null, certificates: [] }, createLogger('silent'));
  base = gateway.listeners[0]!.url;
});
after(async () => {
  await gateway?.close();
  await backend?.close();
  await copy?.dispose();
});

function key(subscription: string): string {
  return loaded.config.subscriptions.find((s) => s.name === subscription)!.primaryKey;
}

interface Echo {
  path: string;
  query: Record<string, string[]>;
  headers: Record<string, string>;
}

describe('a loaded APIOps folder served by the gateway', () => {
  it('routes by the loaded path and operation, with a generated API-scoped key, through every scope policy', async () => {
    const res = await fetch(`${base}/basic-api/items`, { headers: { 'Ocp-Apim-Subscription-Key': key('subscription2') } });
    assert.equal(res.status, 200);
    const echo = (await res.json()) as Echo;
    // API policy: set-backend-service backend-id="backend1" (backends/backend1 url)
    assert.equal(echo.path, '/backend1/items');
    // operation policy: set-query-parameter top=10
    assert.deepEqual(echo.query.top, ['10']);
    // global policy → ForwardContext fragment → policyFragment1 fragment with a named value
    assert.equal(echo.headers['x-forwarded-by'], 'gatehouse');
    assert.equal(echo.headers['x-environment'], 'scenario');
  });

  it('refuses a call without key to an API that requires one', async () => {
    const res = await fetch(`${base}/basic-api/items`);
    assert.equal(res.status, 401);
    await res.arrayBuffer();
  });

  it('refuses the key of a subscription loaded without state (submitted)', async () => {
    const res = await fetch(`${base}/basic-api/items`, { headers: { 'Ocp-Apim-Subscription-Key': key('all-apis') } });
    assert.equal(res.status, 401);
    await res.arrayBuffer();
  });

  it('accepts a product key for an API of the product, and serves the non-current revision by ;rev=2', async () => {
    const current = await fetch(`${base}/revisioned-api/revision`, { headers: { 'Ocp-Apim-Subscription-Key': key('subscription1') } });
    assert.equal(current.status, 200);
    assert.equal(((await current.json()) as Echo).path, '/revisioned-api/revision');
    const rev2 = await fetch(`${base}/revisioned-api;rev=2/revision`, { headers: { 'Ocp-Apim-Subscription-Key': key('subscription1') } });
    assert.equal(rev2.status, 200);
    // rev=2's operation policy answers with mock-response; its API policy is not reached by the backend
    const body = await rev2.text();
    assert.ok(!body.includes('/revisioned-api;rev=2/revision'), 'mock response, not the echo backend');
  });

  it('serves an API of an open product without key, with the template query from the Swagger 2 specification', async () => {
    const res = await fetch(`${base}/petstore/pet/findByStatus?status=sold`);
    assert.equal(res.status, 200);
    const echo = (await res.json()) as Echo;
    assert.equal(echo.path, '/petstore/pet/findByStatus');
    assert.deepEqual(echo.query.status, ['sold']);
  });
});
