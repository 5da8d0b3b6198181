/**
 * The outbound-call and resilience policies (send-request, send-one-way-request, retry, wait,
 * limit-concurrency) through a real `gatehouse start --config` process and real loopback
 * servers, and the corpus snippets that use send-request run end to end with loopback stand-ins
 * for the services they call (an OAuth token endpoint, an SAP gateway's CSRF handshake).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { apiFiles, writeApiopsFolder } from './helpers/apiops-writer.js';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { corpusDocument } from './helpers/expression-snippets-support.js';
import { policies } from './helpers/policy-e2e-support.js';
import { startCountingBackend, type CountingBackend } from '../helpers/counting-backend.js';
import { startHeldBackend, type HeldBackend } from '../helpers/held-backend.js';

let echo: EchoBackend;
let held: HeldBackend;
let hook: HeldBackend;
let flaky: CountingBackend;
let tokenServer: Server;
let tokenRequests: string[] = [];
let sap: Server;
let sapCalls: Array<{ method: string; url: string; csrf: string | undefined; cookie: string | undefined; authorization: string | undefined }> = [];
let gh: GatehouseProcess;
const SUBSCRIPTION_KEY = 'e2e0outbound0calls0key0000000001';

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};
const close = (server: Server | undefined) =>
  new Promise<void>((resolve) => {
    if (!server) return resolve();
    server.closeAllConnections();
    server.close(() => resolve());
  });

const api = apiFiles;

before(async () => {
  echo = await startEchoBackend();
  held = await startHeldBackend();
  hook = await startHeldBackend();
  flaky = await startCountingBackend('flaky');
  tokenServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      tokenRequests.push(`${req.method} ${req.headers['content-type']} ${Buffer.concat(chunks).toString('utf8')}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ token_type: 'Bearer', expires_in: 3599, access_token: 'loopback-token-42' }));
    });
  });
  const tokenUrl = await listen(tokenServer);
  // An SAP gateway's X-CSRF handshake: HEAD with `X-CSRF-Token: Fetch` hands out a token and cookies; a write must bring them back.
  sap = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const csrf = req.headers['x-csrf-token'] as string | undefined;
      sapCalls.push({ method: req.method ?? '', url: req.url ?? '', csrf, cookie: req.headers.cookie, authorization: req.headers.authorization });
      if (req.method === 'HEAD' && csrf === 'Fetch') {
        res.writeHead(200, { 'x-csrf-token': 'csrf-7f3a', 'set-cookie': ['SAP_SESSIONID_X=s1; path=/', 'sap-XSRF_X=xsrf-99; path=/'] });
        return res.end();
      }
      const ok = csrf === 'csrf-7f3a' && req.headers.cookie === 'sap-XSRF_X=xsrf-99';
      res.writeHead(ok ? 201 : 403, { 'content-type': 'text/plain' });
      res.end(ok ? 'created' : 'CSRF token validation failed');
    });
  });
  const sapUrl = await listen(sap);

  const dir = writeApiopsFolder({
    'subscriptions/all-apis/subscriptionInformation.json': { properties: { displayName: 'All APIs', scope: '/apis', state: 'active', primaryKey: SUBSCRIPTION_KEY } },
    'named values/authorizationServer/namedValueInformation.json': { properties: { displayName: 'authorizationServer', value: `${tokenUrl}/tenant/oauth2/token` } },
    'named values/clientId/namedValueInformation.json': { properties: { displayName: 'clientId', value: 'gatehouse-client' } },
    'named values/scope/namedValueInformation.json': { properties: { displayName: 'scope', value: 'api%3A%2F%2Forders%2F.default' } },
    'named values/clientSecret/namedValueInformation.json': { properties: { displayName: 'clientSecret', value: 's3cret', secret: true } },
    ...api('calls', echo.url, [['slow', 'GET', '/slow'], ['slow-ignored', 'GET', '/slow-ignored'], ['hook', 'GET', '/hook'], ['both', 'GET', '/both']], policies({ inbound: '<base />' })),
    'apis/calls/operations/slow/policy.xml': policies({
      inbound: `<base /><send-request mode="new" response-variable-name="r" timeout="1"><set-url>${held.url}/slow</set-url><set-method>GET</set-method></send-request>`,
      onError: '<base /><return-response><set-status code="504" reason="Gateway Timeout" /><set-body>@(context.LastError.Source + "/" + context.LastError.Reason)</set-body></return-response>',
    }),
    'apis/calls/operations/slow-ignored/policy.xml': policies({
      inbound: `<base /><send-request mode="new" response-variable-name="r" timeout="1" ignore-error="true"><set-url>${held.url}/slow-ignored</set-url><set-method>GET</set-method></send-request>
        <set-header name="X-Lookup" exists-action="override"><value>@(context.Variables["r"] == null ? "skipped" : "answered")</value></set-header>`,
    }),
    'apis/calls/operations/hook/policy.xml': policies({
      outbound: `<base /><send-one-way-request mode="new"><set-url>${hook.url}/audit</set-url><set-method>POST</set-method><set-body>@(context.Response.StatusCode.ToString())</set-body></send-one-way-request>`,
    }),
    'apis/calls/operations/both/policy.xml': policies({
      inbound: `<base /><wait for="all">
          <send-request response-variable-name="a"><set-url>${echo.url}/status/201</set-url><set-method>GET</set-method></send-request>
          <send-request response-variable-name="b"><set-url>${echo.url}/status/202</set-url><set-method>GET</set-method></send-request>
        </wait>
        <return-response><set-body>@(((IResponse)context.Variables["a"]).StatusCode + "+" + ((IResponse)context.Variables["b"]).StatusCode)</set-body></return-response>`,
    }),
    ...api('flaky', flaky.url, [['get', 'GET', '/x']], policies({
      backend: '<retry condition="@(context.Response.StatusCode >= 500)" count="3" interval="0" first-fast-retry="true"><forward-request /></retry>',
    })),
    ...api('limited', held.url, [['get', 'GET', '/x']], policies({
      backend: '<limit-concurrency key="held-backend" max-count="2"><forward-request timeout="60" /></limit-concurrency>',
    })),
    ...api('oauth', echo.url, [['get', 'GET', '/orders']], corpusDocument('Get OAuth2 access token from AAD and forward it to the backend.policy.xml')),
    ...api('sap', sapUrl, [['create', 'POST', '/odata/Orders'], ['read', 'GET', '/odata/Orders']], corpusDocument('Get X-CSRF token from SAP gateway using send request.policy.xml')),
  });
  gh = await startGatehouseProcess(['--config', dir]);
});

after(async () => {
  await gh?.stop();
  held?.releaseAll();
  hook?.releaseAll();
  await Promise.all([echo?.close(), held?.close(), hook?.close(), flaky?.close(), close(tokenServer), close(sap)]);
});

describe('outbound calls and resilience (gatehouse process)', () => {
  it('a send-request to a server that never answers times out into on-error', async () => {
    const res = await fetch(`${gh.gatewayUrl}/calls/slow`);
    assert.equal(res.status, 504);
    assert.equal(await res.text(), 'send-request/Timeout');
  });

  it('with ignore-error the timed-out call leaves null and the request goes on to the backend', async () => {
    const res = await fetch(`${gh.gatewayUrl}/calls/slow-ignored`);
    assert.equal(res.status, 200);
    const seen = (await res.json()) as { headers: Record<string, string>; path: string };
    assert.equal(seen.headers['x-lookup'], 'skipped');
    assert.equal(seen.path, '/slow-ignored');
  });

  it('send-one-way-request does not hold the answer back', async () => {
    const before = hook.received.length;
    const res = await fetch(`${gh.gatewayUrl}/calls/hook`);
    assert.equal(res.status, 200);
    await res.arrayBuffer();
    await hook.arrived(before + 1);
    // The audit call is still waiting for its answer while the caller has had theirs.
    assert.ok(hook.waiting >= 1);
    assert.deepEqual([hook.received.at(-1)!.method, hook.received.at(-1)!.body], ['POST', '200']);
  });

  it('wait for="all" gathers two calls', async () => {
    const res = await fetch(`${gh.gatewayUrl}/calls/both`);
    assert.equal(await res.text(), '201+202');
  });

  it('retry: the backend counts one call and three retries', async () => {
    flaky.status = 503;
    const calls = flaky.calls;
    const res = await fetch(`${gh.gatewayUrl}/flaky/x`);
    assert.equal(res.status, 503);
    assert.equal(flaky.calls - calls, 4);
    flaky.status = 200;
    const ok = await fetch(`${gh.gatewayUrl}/flaky/x`);
    assert.equal(ok.status, 200);
    assert.equal(flaky.calls - calls, 5, 'a good answer is not retried');
  });

  it('limit-concurrency admits exactly max-count requests at a time', async () => {
    const start = held.received.length;
    const inside = [fetch(`${gh.gatewayUrl}/limited/x`), fetch(`${gh.gatewayUrl}/limited/x`)];
    await held.arrived(start + 2);
    const refused = await Promise.all([1, 2, 3].map(() => fetch(`${gh.gatewayUrl}/limited/x`)));
    for (const r of refused) {
      assert.equal(r.status, 429);
      assert.equal(((await r.json()) as { statusCode: number }).statusCode, 429);
    }
    assert.equal(held.received.length, start + 2, 'no refused request reached the backend');
    held.releaseAll();
    assert.deepEqual((await Promise.all(inside)).map((r) => r.status), [200, 200]);
    const after = await fetch(`${gh.gatewayUrl}/limited/x`);
    assert.equal(after.status, 200);
  });
});

describe('corpus snippets with send-request, end to end', () => {
  it('"Get OAuth2 access token from AAD…": the token endpoint is asked, the backend gets the bearer token', async () => {
    tokenRequests = [];
    const res = await fetch(`${gh.gatewayUrl}/oauth/orders`, { headers: { 'Ocp-Apim-Subscription-Key': SUBSCRIPTION_KEY } });
    assert.equal(res.status, 200);
    const seen = (await res.json()) as { headers: Record<string, string> };
    assert.equal(seen.headers.authorization, 'Bearer loopback-token-42');
    assert.equal(seen.headers['ocp-apim-subscription-key'], undefined);
    assert.deepEqual(tokenRequests, [
      'POST application/x-www-form-urlencoded client_id=gatehouse-client&scope=api%3A%2F%2Forders%2F.default&client_secret=s3cret&grant_type=client_credentials',
    ]);
  });

  it('"Get X-CSRF token from SAP gateway…": a write fetches the token with HEAD first and brings it back', async () => {
    sapCalls = [];
    const res = await fetch(`${gh.gatewayUrl}/sap/odata/Orders?sap-client=100`, { method: 'POST', body: '{"id":1}', headers: { authorization: 'Basic dTpw' } });
    assert.equal(await res.text(), 'created');
    assert.equal(res.status, 201);
    // The HEAD goes to the backend URL of the request itself, with the caller's Authorization.
    assert.deepEqual(sapCalls, [
      { method: 'HEAD', url: '/odata/Orders?sap-client=100', csrf: 'Fetch', cookie: undefined, authorization: 'Basic dTpw' },
      { method: 'POST', url: '/odata/Orders?sap-client=100', csrf: 'csrf-7f3a', cookie: 'sap-XSRF_X=xsrf-99', authorization: 'Basic dTpw' },
    ]);
    sapCalls = [];
    // A read needs no token: no HEAD.
    assert.equal((await fetch(`${gh.gatewayUrl}/sap/odata/Orders`)).status, 403);
    assert.deepEqual(sapCalls.map((c) => c.method), ['GET']);
  });
});

