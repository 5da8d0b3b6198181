/**
 * The request context's defaults, made on first use: the empty 200 response and the variables
 * map read the same as a field would (one object, kept), and an assigned response replaces it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayContext, type GatewayServices, type RequestRouting, type RuntimeCatalog } from '../../src/pipeline/gateway-context.js';
import { HeaderMap } from '../../src/pipeline/header-map.js';
import { MessageBody } from '../../src/pipeline/message-body.js';
import { RequestUrl } from '../../src/pipeline/request-url.js';

function context(): GatewayContext {
  const url = new RequestUrl('http', 'example.test', 80, '/a', []);
  return new GatewayContext(
    {
      method: 'GET',
      originalMethod: 'GET',
      url,
      originalUrl: url.clone(),
      headers: HeaderMap.fromRaw(['Host', 'example.test']),
      body: MessageBody.empty(),
      ipAddress: '127.0.0.1',
      matchedParameters: {},
      privateEndpointConnection: null,
    },
    { backendBase: null } as unknown as RequestRouting,
    { clock: { now: () => 0 } } as unknown as GatewayServices,
    { serviceName: 'svc', gatewayId: 'managed', backends: new Map() } as RuntimeCatalog,
  );
}

describe('GatewayContext', () => {
  it('starts with an empty 200 response, the same object on every read, until one is assigned', () => {
    const gw = context();
    const first = gw.response;
    assert.equal(first.statusCode, 200);
    assert.equal(first.statusReason, 'OK');
    assert.equal(first.headers.size, 0);
    assert.equal(first.body.knownLength, 0);
    first.headers.set('X-Set', 'kept');
    assert.equal(gw.response, first);
    assert.equal(gw.response.headers.get('x-set'), 'kept');
    const replaced = { statusCode: 204, statusReason: '', headers: new HeaderMap(), body: MessageBody.empty() };
    gw.response = replaced;
    assert.equal(gw.response, replaced);
  });

  it('keeps its variables in one map', () => {
    const gw = context();
    gw.variables.set('a', 1);
    assert.equal(gw.variables.get('a'), 1);
    assert.equal(gw.variables, gw.variables);
    assert.equal(context().variables.size, 0);
  });

  it('reads the client Host header', () => {
    assert.equal(context().clientHostHeader, 'example.test');
  });
});
