/**
 * xsl-transform, jsonp, redirect-content-urls, proxy and validate-odata-request through a real
 * `gatehouse start --config` process: the XSLT worker thread of the built gateway, a backend that links to itself, and a
 * loopback HTTP proxy that counts the absolute-form requests and CONNECT tunnels it carries.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { apiFiles, writeApiopsFolder } from './helpers/apiops-writer.js';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { policies } from './helpers/policy-e2e-support.js';
import { selfSignedCertificate, startHttpsBackend, startTestProxy, type ProxyLog, type RunningServer } from '../helpers/tls-test-servers.js';

let echo: EchoBackend;
let linking: Server;
let linkingUrl: string;
let https: RunningServer;
let proxyServer: RunningServer & { log: ProxyLog[] };
let gh: GatehouseProcess;

const stylesheet = `<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="xml" omit-xml-declaration="yes" />
  <xsl:param name="who" />
  <xsl:template match="/order"><receipt for="{$who}" lines="{count(line)}"><xsl:value-of select="sum(line/@qty)" /></receipt></xsl:template>
</xsl:stylesheet>`;

const api = apiFiles;

before(async () => {
  echo = await startEchoBackend();
  linking = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ self: `${linkingUrl}/orders/1` }));
  });
  await new Promise<void>((resolve) => linking.listen(0, '127.0.0.1', resolve));
  linkingUrl = `http://127.0.0.1:${(linking.address() as AddressInfo).port}/base`;
  https = await startHttpsBackend(await selfSignedCertificate('backend.test', { ips: ['127.0.0.1'] }));
  proxyServer = await startTestProxy();
  const echoBody = '<return-response><set-body>@(context.Request.Body.As<string>())</set-body></return-response>';
  const dir = writeApiopsFolder({
    'backends/tls-partner/backendInformation.json': { properties: { url: https.url, protocol: 'http', tls: { validateCertificateChain: false, validateCertificateName: false } } },
    ...api('xslt', echo.url, [['receipt', 'POST', '/receipt']], policies({
      inbound: `<base /><xsl-transform><parameter name="who">@(context.Request.Headers.GetValueOrDefault("X-Who", "nobody"))</parameter>${stylesheet}</xsl-transform>${echoBody}`,
    })),
    ...api('padded', echo.url, [['get', 'GET', '/data']], policies({ outbound: '<base /><jsonp callback-parameter-name="cb" />' })),
    ...api('linked', linkingUrl, [['get', 'GET', '/orders']], policies({ outbound: '<base /><redirect-content-urls />' })),
    ...api('proxied', echo.url, [['get', 'GET', '/via']], policies({ inbound: `<base /><proxy url="${proxyServer.url}" />` })),
    ...api('odata', echo.url, [['people', 'GET', '/People']], policies({
      inbound: '<base /><validate-odata-request error-variable-name="odataErrors" min-odata-version="4.0" max-odata-version="4.01" max-size="64" />',
    })),
    ...api('tunnelled', https.url, [['get', 'GET', '/via']], policies({ inbound: `<base /><set-backend-service backend-id="tls-partner" /><proxy url="${proxyServer.url}" />` })),
  });
  gh = await startGatehouseProcess(['--config', dir]);
});

after(async () => {
  await gh?.stop();
  linking?.closeAllConnections();
  await Promise.all([echo?.close(), https?.close(), proxyServer?.close(), new Promise<void>((resolve) => (linking ? linking.close(() => resolve()) : resolve()))]);
});

describe('transformation policies (gatehouse process)', () => {
  it('xsl-transform turns the request body into the stylesheet\'s output, with a parameter from a header', async () => {
    const res = await fetch(`${gh.gatewayUrl}/xslt/receipt`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml', 'x-who': 'ann' },
      body: '<order><line qty="2"/><line qty="3"/></order>',
    });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), '<receipt for="ann" lines="2">5</receipt>');
  });

  it('xsl-transform refuses a body that is not XML with 400', async () => {
    const res = await fetch(`${gh.gatewayUrl}/xslt/receipt`, { method: 'POST', body: '{"not":"xml"}' });
    assert.equal(res.status, 400);
    assert.match(((await res.json()) as { message: string }).message, /not well-formed XML/);
  });

  it('jsonp wraps the answer when the caller names a callback, and refuses a bad one', async () => {
    const wrapped = await fetch(`${gh.gatewayUrl}/padded/data?cb=show`);
    assert.equal(wrapped.headers.get('content-type'), 'application/javascript; charset=utf-8');
    assert.match(await wrapped.text(), /^show\(\{.*\}\);$/s);
    const plain = await fetch(`${gh.gatewayUrl}/padded/data`);
    assert.equal(((await plain.json()) as { method: string }).method, 'GET');
    const bad = await fetch(`${gh.gatewayUrl}/padded/data?cb=x%3Balert(1)`);
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { message: string }).message, 'Value of callback parameter cb is not a valid JavaScript identifier.');
  });

  it('redirect-content-urls hides the backend\'s URL behind the gateway\'s', async () => {
    const res = await fetch(`${gh.gatewayUrl}/linked/orders`);
    assert.deepEqual(await res.json(), { self: `${gh.gatewayUrl}/linked/orders/1` });
  });

  it('proxy: an http backend is called through the proxy in absolute form', async () => {
    const before = proxyServer.log.length;
    const res = await fetch(`${gh.gatewayUrl}/proxied/via`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { path: string }).path, '/via');
    assert.deepEqual(proxyServer.log.slice(before).map((l) => [l.kind, l.target]), [['absolute', `${echo.url}/via`]]);
  });

  it('proxy: an https backend is reached through a CONNECT tunnel', async () => {
    const before = proxyServer.log.length;
    const res = await fetch(`${gh.gatewayUrl}/tunnelled/via`);
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    const seen = proxyServer.log.slice(before);
    assert.deepEqual(seen.map((l) => [l.kind, l.target]), [['connect', new URL(https.url).host]]);
  });
});

describe('validate-odata-request (gatehouse process)', () => {
  it('passes a conforming OData query to the backend', async () => {
    const res = await fetch(`${gh.gatewayUrl}/odata/People?$filter=${encodeURIComponent("LastName eq 'O''Hara'")}&$top=5&$orderby=LastName desc`, { headers: { 'OData-Version': '4.0' } });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { path: string }).path, '/People');
  });

  it('refuses an unsupported OData-Version and a malformed system query option with 400', async () => {
    const version = await fetch(`${gh.gatewayUrl}/odata/People`, { headers: { 'OData-Version': '3.0' } });
    assert.equal(version.status, 400);
    assert.match(((await version.json()) as { message: string }).message, /OData-Version header value '3\.0'/);
    const top = await fetch(`${gh.gatewayUrl}/odata/People?$top=many`);
    assert.equal(top.status, 400);
    assert.equal(((await top.json()) as { message: string }).message, "$top must be a non-negative integer, not 'many'.");
  });
});
