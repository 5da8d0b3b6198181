/**
 * Azure skips, on a WebSocket API's handshake, the policies onHandshake does not run when they
 * are inherited from global or product scope. On real loopback sockets: a global `set-method`
 * (at the top of inbound and inside `choose`) changes an HTTP API's call but not the handshake,
 * which still gets the global scope's other policies and upgrades.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { createLogger } from '../../../src/core/logger.js';
import { startGatewayRuntime, type GatewayRuntime } from '../../../src/main/gateway-runtime.js';
import { emptyServiceConfig, type Api, type ServiceConfig } from '../../../src/model/resources.js';

const globalPolicy = `<policies>
  <inbound>
    <set-method>POST</set-method>
    <choose><when condition="@(true)"><set-method>PATCH</set-method></when></choose>
    <set-header name="x-global" exists-action="override"><value>ran</value></set-header>
  </inbound>
  <backend><forward-request /></backend>
  <outbound />
  <on-error />
</policies>`;

function api(name: string, serviceUrl: string, type: 'websocket' | 'http'): Api {
  const webSocket = type === 'websocket';
  return {
    name,
    displayName: name,
    path: name,
    serviceUrl,
    protocols: webSocket ? ['ws'] : ['http'],
    type,
    subscriptionRequired: false,
    apiRevision: '1',
    isCurrent: true,
    isOnline: true,
    operations: [webSocket ? { name: 'onHandshake', displayName: 'onHandshake', method: 'GET', urlTemplate: '/' } : { name: 'call', displayName: 'call', method: 'GET', urlTemplate: '/*' }],
  };
}

let backend: Server;
let sockets: WebSocketServer;
const upgrades: IncomingMessage[] = [];
let runtime: GatewayRuntime;
let base: string;

before(async () => {
  // One backend: plain calls are answered with what they carried, upgrades are recorded and accepted.
  backend = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ method: req.method, global: req.headers['x-global'] ?? null }));
  });
  sockets = new WebSocketServer({ noServer: true });
  backend.on('upgrade', (req, socket, head) => {
    upgrades.push(req);
    sockets.handleUpgrade(req, socket, head, (ws) => ws.on('message', (data) => ws.send(`echo:${data.toString()}`)));
  });
  backend.listen(0, '127.0.0.1');
  await once(backend, 'listening');
  const host = `127.0.0.1:${(backend.address() as AddressInfo).port}`;
  const config: ServiceConfig = {
    ...emptyServiceConfig('gatehouse'),
    globalPolicy: { xml: globalPolicy, source: 'global' },
    apis: [api('chat', `ws://${host}/socket`, 'websocket'), api('plain', `http://${host}`, 'http')],
  };
  runtime = await startGatewayRuntime(config, { host: '127.0.0.1', httpPort: 0, httpsPort: null, certificates: [] }, createLogger('silent'));
  base = runtime.listeners[0]!.url;
});

after(async () => {
  await runtime?.close();
  for (const c of sockets?.clients ?? []) c.terminate();
  backend.closeAllConnections();
  await new Promise<void>((resolve) => backend.close(() => resolve()));
});

describe('policies a WebSocket handshake inherits', () => {
  it('runs a global set-method on an HTTP API', async () => {
    const r = await fetch(`${base}/plain/x`);
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { method: 'PATCH', global: 'ran' });
  });

  it('skips it on a WebSocket handshake, which keeps the other global policies and upgrades', async () => {
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/chat`);
    await once(ws, 'open');
    ws.send('hi');
    const [reply] = await once(ws, 'message');
    assert.equal(String(reply), 'echo:hi');
    ws.close();
    assert.equal(upgrades.length, 1);
    assert.equal(upgrades[0]!.method, 'GET');
    assert.equal(upgrades[0]!.headers['x-global'], 'ran');
  });
});
