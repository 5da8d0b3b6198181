import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expectCompileError, runPolicies } from '../helpers/policy-harness.js';

let server: Server;
let base: string;
before(async () => {
  // A backend whose answers link to itself, and one binary answer that must not be touched.
  server = createServer((req, res) => {
    req.resume();
    const self = `http://127.0.0.1:${(server.address() as AddressInfo).port}/base`;
    if (req.url?.endsWith('/binary')) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      return res.end(`${self}/x`);
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ self: `${self}/orders/1`, next: `${self}/orders/2`, other: 'http://elsewhere.test/base/orders' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/base`;
});
after(() => new Promise<void>((resolve) => {
  server.closeAllConnections();
  server.close(() => resolve());
}));

describe('redirect-content-urls', () => {
  it('outbound: links to the backend become links to the API on the gateway', async () => {
    const r = await runPolicies(
      { serviceUrl: base, apiModel: { path: 'shop' }, api: '<policies><outbound><redirect-content-urls /></outbound></policies>' },
      { url: 'http://gateway.test/shop/orders' },
    );
    assert.deepEqual(r.json(), { self: 'http://gateway.test/shop/orders/1', next: 'http://gateway.test/shop/orders/2', other: 'http://elsewhere.test/base/orders' });
    assert.equal(r.headers.get('content-length'), undefined);
  });

  it('leaves a binary body alone', async () => {
    const r = await runPolicies(
      { serviceUrl: base, apiModel: { path: 'shop' }, api: '<policies><outbound><redirect-content-urls /></outbound></policies>' },
      { url: 'http://gateway.test/shop/binary' },
    );
    assert.equal(r.body, `${base}/x`);
  });

  it('inbound: links to the gateway in the request body become links to the backend', async () => {
    const api = '<policies><inbound><redirect-content-urls /><return-response><set-body>@(context.Request.Body.As<string>())</set-body></return-response></inbound></policies>';
    const r = await runPolicies(
      { serviceUrl: base, apiModel: { path: 'shop' }, api },
      { method: 'POST', url: 'http://gateway.test/shop/orders', body: '{"parent":"http://gateway.test/shop/orders/7"}', headers: { 'content-type': 'application/json' } },
    );
    assert.equal(r.body, `{"parent":"${base}/orders/7"}`);
  });

  it('is refused with content, in the backend section and twice in a section', () => {
    assert.equal(expectCompileError('<policies><outbound><redirect-content-urls>x</redirect-content-urls></outbound></policies>').element, 'redirect-content-urls');
    assert.equal(expectCompileError('<policies><backend><redirect-content-urls /></backend></policies>').element, 'redirect-content-urls');
    assert.equal(expectCompileError('<policies><outbound><redirect-content-urls /><redirect-content-urls /></outbound></policies>').element, 'redirect-content-urls');
  });
});
