/**
 * A Backend's connection settings on real loopback servers, through the real pipeline and
 * forwarder (policy harness): `tls` validateCertificateChain / validateCertificateName against
 * self-signed certificates, client certificates presented to a backend that asks for one, an
 * HTTP proxy (absolute form for http, CONNECT for https) with its credentials, and
 * forward-request `http-version`, `timeout-ms` and `buffer-response`.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import type { Backend } from '../../src/model/resources.js';
import { expectCompileError, runPipelineOnly, runPolicies } from '../helpers/policy-harness.js';
import {
  packPfx,
  selfSignedCertificate,
  startHttp2Backend,
  startHttpsBackend,
  startTestProxy,
  type ClientPfx,
  type RunningServer,
  type SeenRequest,
} from '../helpers/tls-test-servers.js';
import { startCountingBackend, type CountingBackend } from '../helpers/counting-backend.js';
import { BackendTransports, transportSettings } from '../../src/gateway/backend-transports.js';

const viaBackend = (forward = '<forward-request />') =>
  `<policies><inbound><set-backend-service backend-id="b" /></inbound><backend>${forward}</backend></policies>`;
const call = (backend: Omit<Backend, 'name'>, forward?: string) =>
  runPolicies({ backends: [{ name: 'b', type: 'Single', ...backend }], global: viaBackend(forward) }, { url: 'http://gw.test/api/x' });

let rightName: RunningServer;
let wrongName: RunningServer;
let askingForCert: RunningServer;
let h2: RunningServer;
let h2Only: RunningServer;
let plain: CountingBackend;
let client: ClientPfx;
before(async () => {
  const forLoopback = await selfSignedCertificate('127.0.0.1', { ips: ['127.0.0.1'] });
  const forElsewhere = await selfSignedCertificate('elsewhere.example', { dns: ['elsewhere.example'] });
  rightName = await startHttpsBackend(forLoopback);
  wrongName = await startHttpsBackend(forElsewhere);
  askingForCert = await startHttpsBackend(forLoopback, { requestCert: true });
  h2 = await startHttp2Backend(forLoopback, true);
  h2Only = await startHttp2Backend(forLoopback, false);
  plain = await startCountingBackend('plain');
  client = packPfx(await selfSignedCertificate('gatehouse-client'), 'pfx-secret');
});
after(async () => {
  for (const s of [rightName, wrongName, askingForCert, h2, h2Only, plain]) await s?.close();
});

describe('backend tls', () => {
  it('validates the chain by default: a self-signed backend fails, for a Backend and for a plain URL', async () => {
    const byBackend = await call({ url: rightName.url });
    assert.equal(byBackend.status, 500);
    assert.equal(byBackend.gw.lastError?.reason, 'BackendConnectionFailure');
    assert.match(byBackend.gw.lastError?.message ?? '', /self-signed certificate/);
    const byUrl = await runPolicies({ serviceUrl: rightName.url }, { url: 'http://gw.test/api/x' });
    assert.equal(byUrl.status, 500);
    assert.equal(byUrl.gw.lastError?.reason, 'BackendConnectionFailure');
  });

  it('validateCertificateChain false accepts a self-signed certificate whose name matches', async () => {
    const result = await call({ url: rightName.url, tls: { validateCertificateChain: false } });
    assert.equal(result.status, 200);
    assert.equal(result.json<SeenRequest>().path, '/x');
  });

  it('validateCertificateName is applied on its own: a wrong name fails unless it is false', async () => {
    const named = await call({ url: wrongName.url, tls: { validateCertificateChain: false } });
    assert.equal(named.status, 500);
    assert.match(named.gw.lastError?.message ?? '', /does not match its host name/);
    const unnamed = await call({ url: wrongName.url, tls: { validateCertificateChain: false, validateCertificateName: false } });
    assert.equal(unnamed.status, 200);
  });
});

describe('backend client certificates', () => {
  it('presents the certificate of credentials to a backend that asks for one', async () => {
    const tls = { validateCertificateChain: false };
    const without = await call({ url: askingForCert.url, tls });
    assert.equal(without.json<SeenRequest>().clientCertificate, null);
    const withCert = await call({
      url: askingForCert.url,
      tls,
      credentials: { certificateIds: ['client'] },
      clientCertificates: [{ thumbprint: client.thumbprint, data: client.pfx, password: client.password }],
    });
    assert.equal(withCert.status, 200);
    assert.equal(withCert.json<SeenRequest>().clientCertificate, 'gatehouse-client');
  });
});

describe('backend proxy', () => {
  const credentials = { username: 'proxy-user', password: 'p@ss:word' };
  const basic = `Basic ${Buffer.from('proxy-user:p@ss:word').toString('base64')}`;

  it('sends an http backend request to the proxy in absolute form, with Proxy-Authorization', async () => {
    const proxy = await startTestProxy(basic);
    try {
      const calls = plain.calls;
      const result = await call({ url: plain.url + '/base', proxy: { url: proxy.url, ...credentials } });
      assert.equal(result.status, 200);
      assert.equal(result.body, 'plain');
      assert.equal(plain.calls, calls + 1);
      assert.deepEqual(proxy.log, [{ kind: 'absolute', target: `${plain.url}/base/x`, proxyAuthorization: basic }]);
    } finally {
      await proxy.close();
    }
  });

  it('tunnels an https backend with CONNECT, and the tls settings still apply inside the tunnel', async () => {
    const proxy = await startTestProxy(basic);
    try {
      const result = await call({ url: rightName.url, tls: { validateCertificateChain: false }, proxy: { url: proxy.url, ...credentials } });
      assert.equal(result.status, 200);
      assert.equal(result.json<SeenRequest>().path, '/x');
      assert.deepEqual(proxy.log, [{ kind: 'connect', target: `127.0.0.1:${rightName.port}`, proxyAuthorization: basic }]);
      const checked = await call({ url: wrongName.url, tls: { validateCertificateChain: false }, proxy: { url: proxy.url, ...credentials } });
      assert.equal(checked.status, 500);
      assert.match(checked.gw.lastError?.message ?? '', /does not match its host name/);
    } finally {
      await proxy.close();
    }
  });

  it('fails the call when the proxy refuses the credentials', async () => {
    const proxy = await startTestProxy(basic);
    try {
      const result = await call({ url: rightName.url, tls: { validateCertificateChain: false }, proxy: { url: proxy.url, username: 'x', password: 'y' } });
      assert.equal(result.status, 500);
      assert.equal(result.gw.lastError?.reason, 'BackendConnectionFailure');
      assert.match(result.gw.lastError?.message ?? '', /407/);
    } finally {
      await proxy.close();
    }
  });
});

describe('forward-request http-version', () => {
  const tls = { validateCertificateChain: false };
  it('speaks HTTP/2 with 2 and 2or1, and HTTP/1.1 with 1 (the default)', async () => {
    assert.equal((await call({ url: h2.url, tls }, '<forward-request http-version="2" />')).json<SeenRequest>().httpVersion, '2.0');
    assert.equal((await call({ url: h2.url, tls }, '<forward-request http-version="2or1" />')).json<SeenRequest>().httpVersion, '2.0');
    assert.equal((await call({ url: h2.url, tls }, '<forward-request />')).json<SeenRequest>().httpVersion, '1.1');
    assert.equal((await call({ url: h2Only.url, tls }, '<forward-request http-version="2" />')).status, 200);
  });

  it('2or1 falls back to HTTP/1.1 for a backend without HTTP/2; 2 fails', async () => {
    assert.equal((await call({ url: rightName.url, tls }, '<forward-request http-version="2or1" />')).json<SeenRequest>().httpVersion, '1.1');
    const required = await call({ url: rightName.url, tls }, '<forward-request http-version="2" />');
    assert.equal(required.status, 500);
    assert.equal(required.gw.lastError?.reason, 'BackendConnectionFailure');
    assert.match(required.gw.lastError?.message ?? '', /does not support HTTP\/2/);
    const cleartext = await call({ url: plain.url }, '<forward-request http-version="2" />');
    assert.equal(cleartext.status, 500);
    assert.match(cleartext.gw.lastError?.message ?? '', /negotiated over TLS/);
  });
});

/** A backend whose answers the test writes piece by piece; it calls `onRequest` with the open response. */
async function startHeldBackend(onRequest: (res: ServerResponse) => void): Promise<RunningServer> {
  const server = createServer((req, res) => {
    req.resume();
    onRequest(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The first chunk a stream gives. */
function firstChunk(stream: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    stream.once('data', (chunk: Buffer) => resolve(chunk));
    stream.once('error', reject);
  });
}

describe('forward-request timeout-ms and buffer-response', () => {
  it('timeout-ms gives up on a backend that has not answered', async () => {
    const held: ServerResponse[] = [];
    const backend = await startHeldBackend((res) => held.push(res));
    try {
      const result = await call({ url: backend.url }, '<forward-request timeout-ms="1" />');
      assert.equal(result.status, 500);
      assert.equal(result.gw.lastError?.reason, 'Timeout');
    } finally {
      for (const res of held) res.destroy();
      await backend.close();
    }
  });

  it('refuses timeout and timeout-ms together, as Azure does', () => {
    const err = expectCompileError('<policies><backend><forward-request timeout="5" timeout-ms="500" /></backend></policies>', 'global');
    assert.match(err.message, /Only one of the 'timeout' and 'timeout-ms' attributes/);
  });

  it('buffer-response="false" hands the client each piece while the backend is still sending', async () => {
    let release: (() => void) | undefined;
    const backend = await startHeldBackend((res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
      release = () => res.end('data: last\n\n');
    });
    try {
      const gw = await runPipelineOnly({ backends: [{ name: 'b', type: 'Single', url: backend.url }], global: viaBackend('<forward-request buffer-response="false" />') });
      const stream = gw.response.body.payload() as Readable;
      // The backend has not finished: the first piece arrives on its own.
      assert.equal((await firstChunk(stream)).toString(), 'data: first\n\n');
      release!();
      stream.resume();
    } finally {
      await backend.close();
    }
  });

  it('buffer-response (default true) passes a streamed body on in pieces of 8 KB at least', async () => {
    const backend = await startHeldBackend((res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('x'.repeat(100), () => res.end('y'.repeat(20_000)));
    });
    try {
      const gw = await runPipelineOnly({ backends: [{ name: 'b', type: 'Single', url: backend.url }], global: viaBackend() });
      const body = gw.response.body.payload();
      if (Buffer.isBuffer(body)) {
        // All of it had arrived by the time it was asked for: nothing to buffer.
        assert.equal(body.length, 20_100);
      } else {
        const first = await firstChunk(body as Readable);
        assert.ok(first.length >= 8 * 1024, `first piece of ${first.length} bytes`);
        (body as Readable).resume();
      }
    } finally {
      await backend.close();
    }
  });
});

describe('connection pools per settings', () => {
  it('shares a pool between backends with the same settings, and drops pools no backend uses any more', async () => {
    const transports = new BackendTransports({ connections: 4, keepAliveTimeout: 1000 });
    const a: Backend = { name: 'a', url: 'https://a.test', tls: { validateCertificateChain: false } };
    const b: Backend = { name: 'b', url: 'https://b.test', proxy: { url: 'http://proxy.test:3128', username: 'u', password: 'p' } };
    const twin: Backend = { name: 'twin', url: 'https://twin.test', tls: { validateCertificateChain: false } };
    const plainOne = transports.agentFor(transportSettings({ name: 'p', url: 'https://p.test' }, '1'));
    assert.equal(plainOne, transports.plain, 'default settings use the plain pool');
    const agentA = transports.agentFor(transportSettings(a, '1'));
    assert.equal(transports.agentFor(transportSettings(twin, '1')), agentA);
    transports.agentFor(transportSettings(b, '1'));
    transports.agentFor(transportSettings(a, '2'));
    assert.equal(transports.agentCount, 3);
    // b's proxy password changed: its old pool goes, a's stay.
    transports.retain([a, { ...b, proxy: { url: 'http://proxy.test:3128', username: 'u', password: 'rotated' } }]);
    assert.equal(transports.agentCount, 2);
    assert.equal(transports.agentFor(transportSettings(a, '1')), agentA);
    await transports.close();
  });
});
