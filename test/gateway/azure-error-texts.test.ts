/**
 * The gateway's own error answers and their `context.LastError` fields, checked against the
 * texts Azure API Management publishes, held as literals in test/helpers/gateway-error-texts.ts
 * (the independent oracle: Microsoft's "Error handling in API Management policies" page lists
 * the predefined errors' Source, Reason and Message; the client bodies are those observed from
 * Azure's gateway). They are not read from src/core/gateway-errors.ts or docs/errors.md, so a
 * change to the catalogue and its docs together still fails here. A real gateway runtime serves
 * on loopback; a global on-error section copies LastError into response headers.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../src/core/logger.js';
import { startGatewayRuntime, type GatewayRuntime } from '../../src/main/gateway-runtime.js';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { emptyServiceConfig, type ServiceConfig } from '../../src/model/resources.js';
import { expectedGatewayErrors, type ExpectedGatewayError } from '../helpers/gateway-error-texts.js';

const azure = expectedGatewayErrors;

const key = 'k'.repeat(32);
const showLastError =
  '<policies><inbound /><backend><forward-request /></backend><outbound /><on-error>' +
  '<set-header name="x-source" exists-action="override"><value>@(context.LastError.Source)</value></set-header>' +
  '<set-header name="x-reason" exists-action="override"><value>@(context.LastError.Reason)</value></set-header>' +
  '<set-header name="x-message" exists-action="override"><value>@(context.LastError.Message)</value></set-header>' +
  '</on-error></policies>';

function config(backendUrl: string): ServiceConfig {
  return {
    ...emptyServiceConfig('gatehouse'),
    globalPolicy: { xml: showLastError, source: 'global' },
    apis: [
      {
        name: 'orders',
        displayName: 'Orders',
        path: 'orders',
        serviceUrl: backendUrl,
        protocols: ['http'],
        subscriptionRequired: true,
        apiRevision: '1',
        isCurrent: true,
        isOnline: true,
        operations: [{ name: 'list', displayName: 'List', method: 'GET', urlTemplate: '/items' }],
      },
    ],
    subscriptions: [{ name: 'all', displayName: 'All', scope: '/apis', primaryKey: key, secondaryKey: 's'.repeat(32), state: 'active' }],
  };
}

describe("the gateway's own errors carry Azure's texts", () => {
  let backend: EchoBackend;
  let runtime: GatewayRuntime;
  let base: string;
  before(async () => {
    backend = await startEchoBackend();
    runtime = await startGatewayRuntime(config(backend.url), { host: '127.0.0.1', httpPort: 0, httpsPort: null, certificates: [] }, createLogger('silent'));
    base = runtime.listeners[0]!.url;
  });
  after(async () => {
    await runtime.close();
    await backend.close();
  });

  async function expectAzure(path: string, headers: Record<string, string>, expected: ExpectedGatewayError) {
    const res = await fetch(base + path, { headers });
    assert.equal(res.status, expected.status, path);
    assert.deepEqual(await res.json(), { statusCode: expected.status, message: expected.message }, path);
    assert.equal(res.headers.get('x-source'), expected.source, path);
    assert.equal(res.headers.get('x-reason'), expected.reason, path);
    assert.equal(res.headers.get('x-message'), expected.lastErrorMessage, path);
  }

  it('a call that matches no operation: 404 and OperationNotFound', async () => {
    await expectAzure('/orders/nothing-here', { 'ocp-apim-subscription-key': key }, azure.OperationNotFound);
    await expectAzure('/no-such-api', {}, azure.OperationNotFound);
  });

  it('a call without a key: 401 and SubscriptionKeyNotFound', async () => {
    await expectAzure('/orders/items', {}, azure.SubscriptionKeyNotFound);
  });

  it('a call with a wrong key: 401 and SubscriptionKeyInvalid', async () => {
    await expectAzure('/orders/items', { 'ocp-apim-subscription-key': 'x'.repeat(32) }, azure.SubscriptionKeyInvalid);
  });

  it('the right key reaches the backend (the oracle is not vacuous)', async () => {
    const res = await fetch(base + '/orders/items', { headers: { 'ocp-apim-subscription-key': key } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-reason'), null);
  });
});
