/**
 * Backend timings (backend-timing.ts), recorded by the forwarders themselves: through the real
 * gateway runtime with an observer, an HTTP call retried by the `retry` policy is timed over all
 * of its attempts and reports the backend's last status before an outbound policy changed it; a
 * WebSocket handshake the backend refuses is timed too. A forwarder without `timeCalls` records
 * nothing, one with it records a failed call's duration without a status.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { createLogger } from '../../src/core/logger.js';
import { BackendForwarder } from '../../src/gateway/backend-forwarder.js';
import { backendTimingOf } from '../../src/gateway/backend-timing.js';
import { observeRequests } from '../../src/gateway/observe-requests.js';
import type { CompletedRequest } from '../../src/gateway/request-observer.js';
import { startGatewayRuntime, type GatewayRuntime } from '../../src/main/gateway-runtime.js';
import { emptyServiceConfig, type Api } from '../../src/model/resources.js';
import { runPolicies } from '../helpers/policy-harness.js';

/** Each backend answer waits this long, so a sum over attempts shows in the total. */
const DELAY_MS = 40;
const retried =
  '<policies><inbound><base /></inbound><backend><retry condition="@(context.Response.StatusCode == 500)" count="2" interval="0"><forward-request /></retry></backend><outbound><base /><set-status code="299" reason="Changed" /></outbound><on-error><base /></on-error></policies>';

function api(name: string, serviceUrl: string, extra: Partial<Api>): Api {
  return {
    name,
    displayName: name,
    path: name,
    serviceUrl,
    protocols: ['http', 'ws'],
    subscriptionRequired: false,
    apiRevision: '1',
    isCurrent: true,
    isOnline: true,
    operations: [{ name: 'get', displayName: 'get', method: 'GET', urlTemplate: '/*' }],
    ...extra,
  };
}

describe('backend timing', () => {
  let backend: Server;
  let backendUrl: string;
  let runtime: GatewayRuntime;
  let gateway: string;
  const completed: CompletedRequest[] = [];
  /** Calls of `/flaky` so far: the first two answer 500. */
  let flakyCalls = 0;

  before(async () => {
    backend = createServer((req, res) => {
      req.resume();
      const status = req.url!.includes('/flaky') && ++flakyCalls <= 2 ? 500 : 200;
      setTimeout(() => res.writeHead(status, { 'content-type': 'text/plain' }).end('answer'), DELAY_MS);
    });
    backend.on('upgrade', (_req, socket) => {
      setTimeout(() => socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 2\r\nConnection: close\r\n\r\nno'), DELAY_MS);
    });
    backend.listen(0, '127.0.0.1');
    await once(backend, 'listening');
    backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
    const config = {
      ...emptyServiceConfig('gatehouse'),
      apis: [
        api('timed', backendUrl, { policy: { xml: retried, source: 'timed' } }),
        api('socket', backendUrl.replace(/^http/, 'ws'), { type: 'websocket', protocols: ['ws'], operations: [{ name: 'onHandshake', displayName: 'onHandshake', method: 'GET', urlTemplate: '/' }] }),
      ],
    };
    const observer = observeRequests([{ record: (r) => void completed.push(r) }], (err) => {
      throw err;
    });
    runtime = await startGatewayRuntime(config, { host: '127.0.0.1', httpPort: 0, httpsPort: null, certificates: [] }, createLogger('silent'), { observer });
    gateway = runtime.listeners[0]!.url;
  });

  after(async () => {
    await runtime.close();
    backend.closeAllConnections();
    await new Promise((resolve) => backend.close(resolve));
  });

  async function recorded(path: string): Promise<CompletedRequest> {
    const deadline = Date.now() + 5000;
    for (;;) {
      const found = completed.find((r) => r.req.url?.startsWith(path));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no completed request for ${path}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('sums the attempts of a retried call and keeps the backend status from before the outbound policies', async () => {
    const response = await fetch(`${gateway}/timed/flaky`);
    assert.equal(response.status, 299);
    assert.equal(await response.text(), 'answer');
    assert.equal(flakyCalls, 3);
    const request = await recorded('/timed/flaky');
    assert.equal(request.backendStatus, 200);
    // Three answers of DELAY_MS each (a timer may fire up to a millisecond early).
    assert.ok(request.backendMs! >= 3 * (DELAY_MS - 1), `backendMs ${request.backendMs}`);
  });

  it('times a WebSocket handshake the backend refuses, with its status', async () => {
    const socket = new WebSocket(`${gateway.replace(/^http/, 'ws')}/socket/`);
    // Ending a refused attempt reports it as an error.
    socket.on('error', () => undefined);
    const [, refusal] = (await once(socket, 'unexpected-response')) as [unknown, { statusCode: number; resume(): void }];
    refusal.resume();
    socket.terminate();
    assert.equal(refusal.statusCode, 403);
    const request = await recorded('/socket/');
    assert.equal(request.backendStatus, 403);
    assert.ok(request.backendMs! >= DELAY_MS - 1, `backendMs ${request.backendMs}`);
  });

  it('a forwarder without timeCalls records nothing; with it, a failed call counts its time but has no status', async () => {
    const { gw } = await runPolicies({ api: '<policies><inbound /><backend /><outbound /><on-error /></policies>' });
    const options = { timeoutMs: 1000, followRedirects: false, bufferRequestBody: false, failOnErrorStatusCode: false };
    const untimed = new BackendForwarder();
    const timed = new BackendForwarder({ timeCalls: true });
    try {
      // No backend URL: the call fails before any connection.
      await assert.rejects(untimed.forward(gw, options), /no backend service URL/);
      assert.equal(backendTimingOf(gw), undefined);
      await assert.rejects(timed.forward(gw, options), /no backend service URL/);
      assert.equal(typeof backendTimingOf(gw)!.ms, 'number');
      assert.equal(backendTimingOf(gw)!.status, undefined);
    } finally {
      await untimed.close();
      await timed.close();
    }
  });
});
