/**
 * The gateway runtime serving through the network settings, on real loopback sockets with the
 * real request handler and a real echo backend: Azure's 403 on the public endpoint when public
 * access is Disabled (reference §6.3, body verbatim, naming the caller), private endpoint
 * traffic served with `context.Request.PrivateEndpointConnection` visible to policy expressions
 * (null on public traffic), reloads re-applying the listeners, HTTPS private listeners, and
 * `--trusted-proxies` deciding `context.Request.IpAddress`, `ip-filter` and the 403's address.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/core/logger.js';
import { devCertificate } from '../../src/main/dev-certificate.js';
import { startGatewayRuntime, type GatewayRuntime } from '../../src/main/gateway-runtime.js';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { defaultNetworkSettings, type NetworkSettings } from '../../src/model/network.js';
import { emptyServiceConfig, type ServiceConfig } from '../../src/model/resources.js';
import type { ListenerOutcome } from '../../src/network/network-listener-set.js';
import { publicNetworkAccessDisabledMessage } from '../helpers/gateway-error-texts.js';
import { loopbackGet, type LoopbackAnswer } from '../network/loopback-client.js';

const logger = createLogger('silent');
const serviceName = 'my-apim-service';
const policies = (inbound: string) =>
  `<policies><inbound><base />${inbound}</inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;
const showCaller = policies(
  '<set-header name="x-pe" exists-action="override"><value>@(context.Request.PrivateEndpointConnection?.Name ?? "none")</value></set-header>' +
    '<set-header name="x-pe-detail" exists-action="override"><value>@(context.Request.PrivateEndpointConnection == null ? "null" : context.Request.PrivateEndpointConnection.GroupId + "/" + context.Request.PrivateEndpointConnection.MemberName)</value></set-header>' +
    '<set-header name="x-ip" exists-action="override"><value>@(context.Request.IpAddress)</value></set-header>',
);

const network = (publicNetworkAccess: 'Enabled' | 'Disabled'): NetworkSettings => ({
  ...defaultNetworkSettings(),
  publicNetworkAccess,
  privateEndpoints: [{ connectionName: 'pe-gateway', groupId: 'Gateway', memberName: 'Gateway', privateIpAddress: '127.0.0.2', allowedSources: ['127.0.0.0/30'] }],
});

function config(backendUrl: string, settings: NetworkSettings): ServiceConfig {
  return {
    ...emptyServiceConfig(serviceName),
    network: settings,
    apis: [
      {
        name: 'echo',
        displayName: 'Echo',
        path: 'echo',
        serviceUrl: backendUrl,
        protocols: ['http', 'https'],
        subscriptionRequired: false,
        apiRevision: '1',
        isCurrent: true,
        isOnline: true,
        policy: { xml: showCaller, source: 'api echo' },
        operations: [
          { name: 'any', displayName: 'Any', method: 'GET', urlTemplate: '/*' },
          { name: 'post', displayName: 'Post', method: 'POST', urlTemplate: '/*' },
          {
            name: 'filtered',
            displayName: 'Filtered',
            method: 'GET',
            urlTemplate: '/filtered',
            policy: { xml: policies('<ip-filter action="allow"><address-range from="203.0.113.0" to="203.0.113.255" /></ip-filter>'), source: 'operation filtered' },
          },
        ],
      },
    ],
  };
}

const forbidden = (ip: string) => JSON.stringify({ statusCode: 403, message: publicNetworkAccessDisabledMessage(ip, serviceName) });

/** The headers the echo backend received. */
function echoed(answer: LoopbackAnswer): Record<string, string> {
  assert.ok(answer.ok, `no answer: ${answer.ok ? '' : answer.code}`);
  assert.equal(answer.status, 200, answer.body);
  return (JSON.parse(answer.body) as { headers: Record<string, string> }).headers;
}

describe('gateway network access', () => {
  let backend: EchoBackend;
  const runtimes: GatewayRuntime[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-network-access-'));
  before(async () => {
    backend = await startEchoBackend();
  });
  after(async () => {
    await Promise.all(runtimes.map((r) => r.close()));
    await backend?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const start = async (settings: NetworkSettings, trustedProxies: string[] = []) => {
    const outcomes: Array<[string, ListenerOutcome]> = [];
    const runtime = await startGatewayRuntime(config(backend.url, settings), { host: '127.0.0.1', httpPort: 0, httpsPort: null, certificates: [] }, logger, {
      trustedProxies,
      onListenerOutcome: (name, outcome) => outcomes.push([name, outcome]),
    });
    runtimes.push(runtime);
    return { runtime, port: runtime.listeners[0]!.port, outcomes };
  };

  it('shows the private endpoint connection to policies on private traffic and null on public traffic', async () => {
    const { runtime, port, outcomes } = await start(network('Enabled'));
    assert.deepEqual(outcomes, [['pe-gateway', { ok: true }]]);
    assert.deepEqual(runtime.networkAddresses(), { public: ['127.0.0.1'], private: ['127.0.0.2'] });
    const viaPrivate = echoed(await loopbackGet('127.0.0.2', port, { from: '127.0.0.3', path: '/echo/x' }));
    assert.equal(viaPrivate['x-pe'], 'pe-gateway');
    assert.equal(viaPrivate['x-pe-detail'], 'Gateway/Gateway');
    assert.equal(viaPrivate['x-ip'], '127.0.0.3');
    const viaPublic = echoed(await loopbackGet('127.0.0.1', port, { from: '127.0.0.9', path: '/echo/x' }));
    assert.equal(viaPublic['x-pe'], 'none');
    assert.equal(viaPublic['x-pe-detail'], 'null');
    assert.equal(viaPublic['x-ip'], '127.0.0.9');
  });

  it("answers Azure's 403 on the public endpoint when public access is Disabled, before routing, and serves private traffic", async () => {
    const { runtime, port } = await start(network('Enabled'));
    runtime.reload(config(backend.url, network('Disabled')));
    await runtime.settled();
    for (const path of ['/echo/x', '/no-such-api']) {
      const answer = await loopbackGet('127.0.0.1', port, { from: '127.0.0.9', path });
      assert.ok(answer.ok);
      assert.equal(answer.status, 403);
      assert.equal(answer.body, forbidden('127.0.0.9'));
    }
    assert.equal(echoed(await loopbackGet('127.0.0.2', port, { from: '127.0.0.3', path: '/echo/x' }))['x-pe'], 'pe-gateway');

    // The request body is drained: the same connection answers the next request.
    const res = await fetch(`http://127.0.0.1:${port}/echo/x`, { method: 'POST', body: 'x'.repeat(200_000) });
    assert.equal(res.status, 403);
    assert.equal(await res.text(), forbidden('127.0.0.1'));

    runtime.reload(config(backend.url, network('Enabled')));
    await runtime.settled();
    assert.equal(echoed(await loopbackGet('127.0.0.1', port, { path: '/echo/x' }))['x-pe'], 'none');
  });

  it('ignores X-Forwarded-For without trusted proxies', async () => {
    const { port } = await start(network('Enabled'));
    const headers = echoed(await loopbackGet('127.0.0.1', port, { from: '127.0.0.9', path: '/echo/x', headers: { 'x-forwarded-for': '203.0.113.7' } }));
    assert.equal(headers['x-ip'], '127.0.0.9');
    assert.equal(headers['x-forwarded-for'], '203.0.113.7, 127.0.0.9');
    const filtered = await loopbackGet('127.0.0.1', port, { from: '127.0.0.9', path: '/echo/filtered', headers: { 'x-forwarded-for': '203.0.113.7' } });
    assert.equal(filtered.ok && filtered.status, 403);
  });

  it('takes the client from X-Forwarded-For of a trusted proxy for IpAddress, ip-filter and the 403, and appends the peer for the backend', async () => {
    const { runtime, port } = await start(network('Enabled'), ['127.0.0.9/32']);
    const viaProxy = echoed(await loopbackGet('127.0.0.1', port, { from: '127.0.0.9', path: '/echo/x', headers: { 'x-forwarded-for': '203.0.113.7' } }));
    assert.equal(viaProxy['x-ip'], '203.0.113.7');
    assert.equal(viaProxy['x-forwarded-for'], '203.0.113.7, 127.0.0.9');
    const allowed = await loopbackGet('127.0.0.1', port, { from: '127.0.0.9', path: '/echo/filtered', headers: { 'x-forwarded-for': '203.0.113.7' } });
    assert.equal(allowed.ok && allowed.status, 200);
    const blocked = await loopbackGet('127.0.0.1', port, { from: '127.0.0.9', path: '/echo/filtered', headers: { 'x-forwarded-for': '198.51.100.1' } });
    assert.equal(blocked.ok && blocked.status, 403);
    // An untrusted peer cannot choose its address by sending the header.
    const spoofed = echoed(await loopbackGet('127.0.0.2', port, { from: '127.0.0.3', path: '/echo/x', headers: { 'x-forwarded-for': '203.0.113.7' } }));
    assert.equal(spoofed['x-ip'], '127.0.0.3');

    runtime.reload(config(backend.url, network('Disabled')));
    await runtime.settled();
    const refused = await loopbackGet('127.0.0.1', port, { from: '127.0.0.9', path: '/echo/x', headers: { 'x-forwarded-for': '203.0.113.7' } });
    assert.equal(refused.ok && refused.body, forbidden('203.0.113.7'));
  });

  it('serves private endpoints over HTTPS too, refusing outside sources before the handshake', async () => {
    const cert = await devCertificate(dataDir, '127.0.0.1');
    const runtime = await startGatewayRuntime(
      config(backend.url, network('Enabled')),
      { host: '127.0.0.1', httpPort: null, httpsPort: 0, certificates: [{ hostname: '*', certFile: cert.certFile, keyFile: cert.keyFile }] },
      logger,
    );
    runtimes.push(runtime);
    const port = runtime.listeners[0]!.port;
    assert.deepEqual(runtime.listeners.map((l) => [l.scheme, l.endpoint]), [['https', 'public'], ['https', 'private:pe-gateway']]);
    const get = (from: string) =>
      new Promise<{ status: number; body: string } | { error: string }>((resolve) => {
        const req = httpsRequest({ host: '127.0.0.2', port, path: '/echo/x', localAddress: from, rejectUnauthorized: false, agent: false }, (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString('utf8')));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        });
        req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
        req.end();
      });
    const inside = await get('127.0.0.3');
    assert.ok('status' in inside, JSON.stringify(inside));
    assert.equal((JSON.parse(inside.body) as { headers: Record<string, string> }).headers['x-pe'], 'pe-gateway');
    assert.deepEqual(await get('127.0.0.9'), { error: 'ECONNRESET' });
  });
});
