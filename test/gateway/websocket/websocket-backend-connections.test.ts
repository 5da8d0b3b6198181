/**
 * A WebSocket handshake travels on the connection its Backend entity asks for, as any call does
 * (backend-transports.ts), on real loopback sockets through the real gateway runtime: a `wss://`
 * backend with a self-signed certificate is refused by default and reached once
 * `tls.validateCertificateChain` is false (also on a second connection, whose name check a
 * resumed TLS session would defeat), the Backend's client certificate is presented to a
 * backend that asks for one, a Backend's `proxy` carries a `ws://` upgrade in a CONNECT
 * tunnel, and a proxy that answers after the handshake timed out does not bring the gateway down.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import WebSocket, { WebSocketServer } from 'ws';
import { createLogger } from '../../../src/core/logger.js';
import { startGatewayRuntime, type GatewayRuntime } from '../../../src/main/gateway-runtime.js';
import { emptyServiceConfig, type Api, type Backend, type ServiceConfig } from '../../../src/model/resources.js';
import { packPfx, selfSignedCertificate, startTestProxy, type ClientPfx, type RunningServer } from '../../helpers/tls-test-servers.js';

const logger = createLogger('silent');

/** A WebSocket API whose handshake goes to the Backend entity `backendId`. */
function apiVia(backendId: string, forward = '<base />'): Api {
  const policy = `<policies><inbound><base /><set-backend-service backend-id="${backendId}" /></inbound><backend>${forward}</backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;
  return {
    name: backendId,
    displayName: backendId,
    path: backendId,
    serviceUrl: 'ws://127.0.0.1:1',
    protocols: ['ws'],
    type: 'websocket',
    subscriptionRequired: false,
    apiRevision: '1',
    isCurrent: true,
    isOnline: true,
    operations: [{ name: 'onHandshake', displayName: 'onHandshake', method: 'GET', urlTemplate: '/', policy: { xml: policy, source: 'onHandshake' } }],
  };
}

/** A WebSocket echo server; `secure` puts it behind TLS that asks for (and accepts any) client certificate. */
async function startEchoBackend(secure?: { cert: string; key: string }): Promise<{ url: string; clientCertificates: Array<string | null>; close(): Promise<void> }> {
  const clientCertificates: Array<string | null> = [];
  let https: HttpsServer | undefined;
  let wss: WebSocketServer;
  if (secure) {
    https = createHttpsServer({ ...secure, requestCert: true, rejectUnauthorized: false });
    wss = new WebSocketServer({ server: https });
    https.listen(0, '127.0.0.1');
    await once(https, 'listening');
  } else {
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(wss, 'listening');
  }
  wss.on('connection', (socket, req) => {
    const peer = secure ? (req.socket as TLSSocket).getPeerCertificate() : undefined;
    clientCertificates.push(peer?.subject ? String(peer.subject.CN) : null);
    socket.on('message', (data) => socket.send(`echo:${data.toString()}`));
  });
  const port = ((https ?? wss).address() as AddressInfo).port;
  return {
    // Backend entities take http(s) URLs (set-backend-service refuses ws and wss).
    url: `${secure ? 'https' : 'http'}://127.0.0.1:${port}`,
    clientCertificates,
    async close() {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      if (https) {
        https.closeAllConnections();
        await new Promise<void>((resolve) => https!.close(() => resolve()));
      }
    },
  };
}

/** Opens a client; resolves with its first echo, or with the HTTP status that refused the handshake. */
function echoThrough(url: string): Promise<{ echo: string } | { status: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url);
    socket.once('open', () => socket.send('ping'));
    socket.once('message', (data) => {
      resolve({ echo: data.toString() });
      socket.close();
    });
    socket.once('unexpected-response', (_req, res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0 });
    });
    socket.once('error', reject);
  });
}

let secureBackend: Awaited<ReturnType<typeof startEchoBackend>>;
let plainBackend: Awaited<ReturnType<typeof startEchoBackend>>;
let proxy: RunningServer & { log: Array<{ kind: string; target: string }> };
let client: ClientPfx;
/** A proxy that answers CONNECT with 407 only after `delayMs`; `refused` counts its answers. */
let slowProxy: { url: string; refused: number; close(): Promise<void> };
let runtime: GatewayRuntime;
let base: string;

before(async () => {
  secureBackend = await startEchoBackend(await selfSignedCertificate('127.0.0.1', { ips: ['127.0.0.1'] }));
  plainBackend = await startEchoBackend();
  proxy = await startTestProxy();
  client = packPfx(await selfSignedCertificate('gatehouse-ws-client'), 'pfx-secret');
  slowProxy = await startSlowRefusingProxy(1500);
  const backends: Backend[] = [
    { name: 'validated', type: 'Single', url: secureBackend.url },
    { name: 'unvalidated', type: 'Single', url: secureBackend.url, tls: { validateCertificateChain: false } },
    {
      name: 'with-certificate',
      type: 'Single',
      url: secureBackend.url,
      tls: { validateCertificateChain: false },
      credentials: { certificateIds: ['/certificates/ws-client'] },
    },
    { name: 'proxied', type: 'Single', url: plainBackend.url, proxy: { url: proxy.url } },
    { name: 'slow-proxy', type: 'Single', url: plainBackend.url, proxy: { url: slowProxy.url } },
  ];
  const certificates = [{ name: 'ws-client', subject: 'CN=gatehouse-ws-client', expirationDate: '2099-01-01T00:00:00Z', thumbprint: client.thumbprint, data: client.pfx, password: client.password }];
  // The slow proxy's API gives up on the handshake long before the proxy answers.
  const apis = backends.map((b) => (b.name === 'slow-proxy' ? apiVia(b.name, '<forward-request timeout-ms="50" />') : apiVia(b.name)));
  const config: ServiceConfig = { ...emptyServiceConfig('gatehouse'), apis, backends, certificates };
  runtime = await startGatewayRuntime(config, { host: '127.0.0.1', httpPort: 0, httpsPort: null, certificates: [] }, logger);
  base = runtime.listeners[0]!.url.replace(/^http/, 'ws');
});

after(async () => {
  await runtime?.close();
  await secureBackend?.close();
  await plainBackend?.close();
  await proxy?.close();
  await slowProxy?.close();
});

async function startSlowRefusingProxy(delayMs: number): Promise<typeof slowProxy> {
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('data', () =>
      setTimeout(() => {
        state.refused++;
        socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nContent-Length: 0\r\n\r\n');
      }, delayMs),
    );
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const state = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    refused: 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return state;
}

describe('WebSocket upgrades use the Backend connection settings', () => {
  it('refuses a self-signed wss:// backend by default (Azure 500) and reaches it with validateCertificateChain false', async () => {
    const before = secureBackend.clientCertificates.length;
    assert.deepEqual(await echoThrough(`${base}/validated`), { status: 500 });
    assert.equal(secureBackend.clientCertificates.length, before, 'no handshake reached the backend');
    assert.deepEqual(await echoThrough(`${base}/unvalidated`), { echo: 'echo:ping' });
    assert.equal(secureBackend.clientCertificates.at(-1), null, 'no client certificate without one configured');
    // A second connection with the same settings: a resumed TLS session would hide the
    // certificate from the name check, so none is resumed.
    assert.deepEqual(await echoThrough(`${base}/unvalidated`), { echo: 'echo:ping' });
  });

  it("presents the Backend's client certificate to a backend that asks for one", async () => {
    assert.deepEqual(await echoThrough(`${base}/with-certificate`), { echo: 'echo:ping' });
    assert.equal(secureBackend.clientCertificates.at(-1), 'gatehouse-ws-client');
  });

  it('answers Azure 500 when the proxy is too slow, and survives its refusal arriving afterwards', async () => {
    assert.deepEqual(await echoThrough(`${base}/slow-proxy`), { status: 500 });
    assert.equal(slowProxy.refused, 0, 'the timeout answered, not the proxy');
    // The tunnel fails after the attempt was given up; the gateway must stay up and serving.
    while (slowProxy.refused === 0) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(await echoThrough(`${base}/unvalidated`), { echo: 'echo:ping' });
  });

  it("carries the upgrade through the Backend's proxy in a CONNECT tunnel", async () => {
    proxy.log.length = 0;
    assert.deepEqual(await echoThrough(`${base}/proxied`), { echo: 'echo:ping' });
    assert.deepEqual(
      proxy.log.map((l) => [l.kind, l.target]),
      [['connect', new URL(plainBackend.url).host]],
    );
  });
});
