/**
 * WebSocket pass-through on real loopback sockets: the gateway runtime (real request handler,
 * real listeners, HTTP and HTTPS) in front of a real `ws` server. A handshake runs the
 * onHandshake operation's inbound policies (a header set there reaches the backend), a missing
 * subscription key is refused with Azure's 401 before any backend connection, frames echo both
 * ways, each side's close reaches the other, a backend refusing the upgrade has its answer
 * relayed (without the headers its `Connection` lists), an unreachable backend gives Azure's BackendConnectionFailure, and a plain GET or an
 * h2c upgrade are not mistaken for WebSocket handshakes.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket, { WebSocketServer } from 'ws';
import { createLogger } from '../../../src/core/logger.js';
import { devCertificate } from '../../../src/main/dev-certificate.js';
import { startGatewayRuntime, type GatewayRuntime } from '../../../src/main/gateway-runtime.js';
import { emptyServiceConfig, type Api, type ServiceConfig } from '../../../src/model/resources.js';

const logger = createLogger('silent');
const key = 'k'.repeat(32);
const handshakePolicy =
  '<policies><inbound><base /><set-header name="x-from-handshake" exists-action="override"><value>@(context.Operation.Name)</value></set-header></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>';

function webSocketApi(name: string, serviceUrl: string, subscriptionRequired: boolean): Api {
  return {
    name,
    displayName: name,
    path: name,
    serviceUrl,
    protocols: ['ws', 'wss'],
    type: 'websocket',
    subscriptionRequired,
    apiRevision: '1',
    isCurrent: true,
    isOnline: true,
    operations: [{ name: 'onHandshake', displayName: 'onHandshake', method: 'GET', urlTemplate: '/', policy: { xml: handshakePolicy, source: 'onHandshake' } }],
  };
}

function config(backendUrl: string, refusingUrl: string): ServiceConfig {
  return {
    ...emptyServiceConfig('gatehouse'),
    apis: [
      webSocketApi('chat', `ws://${backendUrl}/socket`, true),
      webSocketApi('open', `ws://${backendUrl}/socket`, false),
      webSocketApi('refusing', `ws://${refusingUrl}`, false),
      webSocketApi('nowhere', 'ws://127.0.0.1:1', false),
      // An HTTP API (its backend echoes what it got) for the h2c upgrade.
      { ...webSocketApi('plain', `http://${refusingUrl}`, false), type: 'http', protocols: ['http'], operations: [{ name: 'post', displayName: 'post', method: 'POST', urlTemplate: '/*' }] },
    ],
    subscriptions: [{ name: 'all', displayName: 'All', scope: '/apis', primaryKey: key, secondaryKey: 's'.repeat(32), state: 'active' }],
  };
}

let backend: WebSocketServer;
let backendHandshakes: IncomingMessage[] = [];
let backendClosed: Array<{ code: number }> = [];
let refusing: Server;
let runtime: GatewayRuntime;
let secureRuntime: GatewayRuntime;
let dataDir: string;
let httpBase: string;
let wssBase: string;

before(async () => {
  backend = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(backend, 'listening');
  backend.on('connection', (socket, req) => {
    backendHandshakes.push(req);
    socket.on('message', (data, binary) => {
      const text = data.toString();
      if (text === 'server-close') socket.close(4001, 'bye from backend');
      else socket.send(binary ? data : `echo:${text}`, { binary });
    });
    socket.on('close', (code) => backendClosed.push({ code }));
  });
  // An HTTP server that refuses every upgrade and answers plain calls with what it saw.
  refusing = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, upgrade: req.headers.upgrade ?? null, body }));
    });
  });
  refusing.on('upgrade', (_req, socket) => {
    // `Connection` lists X-Hop: a header for this hop only, which the gateway must not relay.
    socket.end('HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 7\r\nX-Backend: refusing\r\nConnection: close, X-Hop\r\nX-Hop: backend-only\r\nKeep-Alive: timeout=5\r\n\r\nno way!');
  });
  refusing.listen(0, '127.0.0.1');
  await once(refusing, 'listening');
  const backendHost = `127.0.0.1:${(backend.address() as AddressInfo).port}`;
  const refusingHost = `127.0.0.1:${(refusing.address() as AddressInfo).port}`;
  runtime = await startGatewayRuntime(config(backendHost, refusingHost), { host: '127.0.0.1', httpPort: 0, httpsPort: null, certificates: [] }, logger);
  httpBase = runtime.listeners[0]!.url.replace(/^http/, 'ws');
  dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-ws-'));
  const cert = await devCertificate(dataDir, '127.0.0.1');
  secureRuntime = await startGatewayRuntime(
    config(backendHost, refusingHost),
    { host: '127.0.0.1', httpPort: null, httpsPort: 0, certificates: [{ hostname: '*', certFile: cert.certFile, keyFile: cert.keyFile }] },
    logger,
  );
  wssBase = secureRuntime.listeners[0]!.url.replace(/^https/, 'wss');
});

after(async () => {
  await runtime?.close();
  await secureRuntime?.close();
  for (const c of backend?.clients ?? []) c.terminate();
  await new Promise<void>((resolve) => backend.close(() => resolve()));
  refusing.closeAllConnections();
  await new Promise<void>((resolve) => refusing.close(() => resolve()));
  rmSync(dataDir, { recursive: true, force: true });
});

/** Opens a client; resolves once open, or with the HTTP answer that refused it. */
function connect(url: string, options: WebSocket.ClientOptions = {}): Promise<{ socket: WebSocket } | { status: number; headers: IncomingMessage['headers']; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options);
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    socket.once('error', reject);
  });
}

async function opened(url: string, options: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  const result = await connect(url, options);
  assert.ok('socket' in result, `refused: ${JSON.stringify(result)}`);
  return result.socket;
}

function nextMessage(socket: WebSocket): Promise<{ data: string; binary: boolean }> {
  return new Promise((resolve) => socket.once('message', (data, binary) => resolve({ data: data.toString(), binary })));
}

describe('WebSocket pass-through', () => {
  it('echoes text and binary frames after running the onHandshake inbound policies', async () => {
    backendHandshakes = [];
    const socket = await opened(`${httpBase}/chat/?room=7`, { headers: { 'Ocp-Apim-Subscription-Key': key } });
    assert.equal(backendHandshakes.length, 1);
    const seen = backendHandshakes[0]!;
    assert.equal(seen.headers['x-from-handshake'], 'onHandshake');
    assert.equal(seen.url, '/socket/?room=7');
    assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
    socket.send('hello');
    assert.deepEqual(await nextMessage(socket), { data: 'echo:hello', binary: false });
    socket.send(Buffer.from([0, 1, 2, 255]));
    const binary = await nextMessage(socket);
    assert.equal(binary.binary, true);
    socket.close(1000);
    await once(socket, 'close');
  });

  it('refuses a handshake without a subscription key with Azure 401, before any backend connection', async () => {
    backendHandshakes = [];
    const result = await connect(`${httpBase}/chat`);
    assert.ok('status' in result);
    assert.equal(result.status, 401);
    assert.deepEqual(JSON.parse(result.body), {
      statusCode: 401,
      message: 'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
    });
    assert.equal(backendHandshakes.length, 0);
  });

  it('closes the backend side when the client closes, with the client close code', async () => {
    backendClosed = [];
    const socket = await opened(`${httpBase}/open`);
    socket.close(4002, 'client leaves');
    const [code] = (await once(socket, 'close')) as [number];
    assert.equal(code, 4002);
    while (backendClosed.length === 0) await new Promise((r) => setImmediate(r));
    assert.equal(backendClosed[0]!.code, 4002);
  });

  it('closes the client side when the backend closes', async () => {
    const socket = await opened(`${httpBase}/open`);
    socket.send('server-close');
    const [code, reason] = (await once(socket, 'close')) as [number, Buffer];
    assert.equal(code, 4001);
    assert.equal(reason.toString(), 'bye from backend');
  });

  it('ends the client connection when the backend connection drops without a close frame', async () => {
    const socket = await opened(`${httpBase}/open`);
    for (const c of backend.clients) c.terminate();
    const [code] = (await once(socket, 'close')) as [number];
    assert.equal(code, 1006);
  });

  it('relays the answer of a backend that refuses the upgrade', async () => {
    const result = await connect(`${httpBase}/refusing`);
    assert.ok('status' in result);
    assert.equal(result.status, 403);
    assert.equal(result.body, 'no way!');
    assert.equal(result.headers['x-backend'], 'refusing');
    // Hop-by-hop headers, and those the backend's Connection lists, stay with the backend (as for any call).
    assert.equal(result.headers['x-hop'], undefined);
    assert.equal(result.headers['keep-alive'], undefined);
  });

  it('answers Azure 500 BackendConnectionFailure when the backend cannot be reached', async () => {
    const result = await connect(`${httpBase}/nowhere`);
    assert.ok('status' in result);
    assert.equal(result.status, 500);
    const body = JSON.parse(result.body) as { statusCode: number; message: string };
    assert.equal(body.statusCode, 500);
    assert.equal(body.message, 'Internal server error');
  });

  it('proxies wss:// on the HTTPS listener', async () => {
    const socket = await opened(`${wssBase}/open`, { rejectUnauthorized: false });
    socket.send('secure');
    assert.deepEqual(await nextMessage(socket), { data: 'echo:secure', binary: false });
    socket.close();
    await once(socket, 'close');
  });

  it('ends open WebSocket sessions when the gateway closes its listeners, and the close does not wait for them', async () => {
    const backendHost = `127.0.0.1:${(backend.address() as AddressInfo).port}`;
    const closing = await startGatewayRuntime(config(backendHost, backendHost), { host: '127.0.0.1', httpPort: 0, httpsPort: null, certificates: [] }, logger);
    const socket = await opened(`${closing.listeners[0]!.url.replace(/^http/, 'ws')}/open`);
    const closed = once(socket, 'close');
    await closing.close();
    const [code] = (await closed) as [number];
    assert.equal(code, 1006);
  });

  it('does not route a plain GET to a WebSocket API (its protocols are ws and wss)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      httpRequest(`${httpBase.replace(/^ws/, 'http')}/open`, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject).end();
    });
    assert.equal(status, 404);
  });

  it('serves a non-WebSocket upgrade (h2c) as a plain HTTP call, body included', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(`${httpBase.replace(/^ws/, 'http')}/plain/x`, {
        method: 'POST',
        headers: { Connection: 'Upgrade, HTTP2-Settings', Upgrade: 'h2c', 'HTTP2-Settings': 'AAMAAABkAARAAAAAAAIAAAAA', 'Content-Length': '11' },
      });
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.write('hello ');
      setImmediate(() => req.end('world'));
    });
    assert.equal(answer.status, 200);
    assert.deepEqual(JSON.parse(answer.body), { method: 'POST', upgrade: null, body: 'hello world' });
  });
});
