/**
 * Azure's health path `/status-0123456789abcdef` through the real gateway runtime on a loopback
 * socket: 200 and no body for GET and HEAD without a key, even where an API at the root path
 * with a wildcard operation would claim every path; other methods and near paths are not it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../src/core/logger.js';
import { startGatewayRuntime, type GatewayRuntime } from '../../src/main/gateway-runtime.js';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { emptyServiceConfig, type ServiceConfig } from '../../src/model/resources.js';

function rootApiConfig(backendUrl: string): ServiceConfig {
  return {
    ...emptyServiceConfig('health-probe-test'),
    // Claims every path and wants a key: a probe must not need one.
    apis: [{
      name: 'root', displayName: 'Root', path: '', serviceUrl: backendUrl, protocols: ['http'], subscriptionRequired: true, apiRevision: '1', isCurrent: true, isOnline: true,
      operations: [{ name: 'all', displayName: 'all', method: '*', urlTemplate: '/*' }],
    }],
  } as ServiceConfig;
}

describe('gateway health probe path', () => {
  let backend: EchoBackend;
  let runtime: GatewayRuntime;
  let base: string;
  before(async () => {
    backend = await startEchoBackend();
    runtime = await startGatewayRuntime(rootApiConfig(backend.url), { host: '127.0.0.1', httpPort: 0, httpsPort: null, certificates: [] }, createLogger('silent'));
    base = `http://127.0.0.1:${runtime.listeners[0]!.port}`;
  });
  after(async () => {
    await runtime?.close();
    await backend?.close();
  });

  it('answers GET and HEAD with 200 and an empty body, without a key', async () => {
    for (const method of ['GET', 'HEAD']) {
      const res = await fetch(`${base}/status-0123456789abcdef`, { method });
      assert.equal(res.status, 200, method);
      assert.equal(await res.text(), '');
      assert.equal(res.headers.get('content-length'), '0');
    }
  });

  it('leaves other methods and other paths to the APIs (here: a key is required)', async () => {
    assert.equal((await fetch(`${base}/status-0123456789abcdef`, { method: 'POST', body: 'x' })).status, 401);
    assert.equal((await fetch(`${base}/status-0123456789abcdeF`)).status, 401);
    assert.equal((await fetch(`${base}/status-0123456789abcdef/x`)).status, 401);
    assert.equal((await fetch(`${base}/anything`)).status, 401);
  });
});
