/**
 * authentication-managed-identity through real `gatehouse start` processes and a loopback token
 * endpoint: with `--managed-identity-endpoint` (the instance metadata protocol) tokens are fetched
 * once and cached until shortly before they expire, concurrent requests share one fetch, and a
 * refusal fails the request unless ignore-error; with IDENTITY_ENDPOINT and IDENTITY_HEADER set
 * (App Service, Container Apps) the gateway speaks that protocol instead.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { apiInformation, openApi, writeApiopsFolder } from './helpers/apiops-writer.js';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { policies } from './helpers/policy-e2e-support.js';
import { startManagedIdentityServer, type ManagedIdentityServer } from '../helpers/managed-identity-server.js';

let echo: EchoBackend;
let imds: ManagedIdentityServer;
let gh: GatehouseProcess;
let appService: GatehouseProcess;
type Echoed = { headers: Record<string, string> };

const operations: Array<[string, string]> = [
  ['graph', '<authentication-managed-identity resource="https://graph.microsoft.com" />'],
  ['coalesce', '<authentication-managed-identity resource="api://coalesce" />'],
  ['short', '<authentication-managed-identity resource="api://short-lived" />'],
  ['strict', '<authentication-managed-identity resource="api://refused" />'],
  ['lenient', '<authentication-managed-identity resource="api://refused" ignore-error="true" />'],
];

before(async () => {
  echo = await startEchoBackend();
  imds = await startManagedIdentityServer('e2e-identity-header');
  const files: Record<string, string | object> = {
    'apis/mi/apiInformation.json': apiInformation({ displayName: 'mi', path: 'mi', serviceUrl: echo.url, subscriptionRequired: false }),
    'apis/mi/specification.json': openApi([...operations.map(([id]) => ({ operationId: id, method: 'GET', path: `/${id}` })), { operationId: 'child', method: 'GET', path: '/child' }]),
    'apis/mi/policy.xml': policies({ inbound: '<base />' }),
    'apis/mi/operations/child/policy.xml': policies({
      inbound: `<base /><send-request mode="new" response-variable-name="kv" timeout="10">
          <set-url>${echo.url}/secrets/mycert</set-url><set-method>GET</set-method>
          <authentication-managed-identity resource="https://vault.azure.net" client-id="c0ffee00-0000-0000-0000-000000000042" />
        </send-request>
        <return-response><set-body>@(((IResponse)context.Variables["kv"]).Body.As&lt;JObject&gt;()["headers"]["authorization"].ToString())</set-body></return-response>`,
    }),
  };
  for (const [id, policy] of operations) files[`apis/mi/operations/${id}/policy.xml`] = policies({ inbound: `<base />${policy}` });
  const dir = writeApiopsFolder(files);
  [gh, appService] = await Promise.all([
    startGatehouseProcess(['--config', dir, '--managed-identity-endpoint', imds.url]),
    startGatehouseProcess(['--config', dir], { env: { IDENTITY_ENDPOINT: imds.url, IDENTITY_HEADER: 'e2e-identity-header' } }),
  ]);
});

after(async () => {
  await Promise.all([gh?.stop(), appService?.stop()]);
  await Promise.all([echo?.close(), imds?.close()]);
});

const fetchesFor = (resource: string) => imds.requests.filter((r) => r.resource === resource);
const authorizationSeen = async (res: Response): Promise<string | undefined> => {
  assert.equal(res.status, 200);
  return ((await res.json()) as Echoed).headers.authorization;
};

describe('authentication-managed-identity (gatehouse process, instance metadata protocol)', () => {
  it('sends the bearer token to the backend and asks the endpoint once', async () => {
    const seen = [];
    for (let i = 0; i < 3; i++) seen.push(await authorizationSeen(await fetch(`${gh.gatewayUrl}/mi/graph`, { headers: { authorization: 'Bearer caller' } })));
    assert.match(seen[0]!, /^Bearer token-\d+-https:\/\/graph\.microsoft\.com$/);
    assert.deepEqual(new Set(seen).size, 1);
    assert.equal(fetchesFor('https://graph.microsoft.com').filter((r) => r.apiVersion === '2018-02-01' && r.metadata === 'true').length, 1);
  });

  it('concurrent requests share one token fetch', async () => {
    imds.hold = true;
    const pending = Array.from({ length: 6 }, () => fetch(`${gh.gatewayUrl}/mi/coalesce`));
    await new Promise((resolve) => setTimeout(resolve, 300));
    imds.hold = false;
    imds.release();
    const seen = await Promise.all(pending.map(async (p) => authorizationSeen(await p)));
    assert.equal(new Set(seen).size, 1);
    assert.equal(fetchesFor('api://coalesce').length, 1);
  });

  it('a token is fetched again once it is within five minutes of expiring', async () => {
    // expires_on is whole epoch seconds (floored by the endpoint), so 302 s of life leaves the
    // token fresh for between one and two seconds; after 2.1 s it is inside the refresh margin.
    imds.lifetimeSeconds = 302;
    try {
      const first = await authorizationSeen(await fetch(`${gh.gatewayUrl}/mi/short`));
      assert.equal(await authorizationSeen(await fetch(`${gh.gatewayUrl}/mi/short`)), first);
      assert.equal(fetchesFor('api://short-lived').length, 1);
      await new Promise((resolve) => setTimeout(resolve, 2100));
      assert.notEqual(await authorizationSeen(await fetch(`${gh.gatewayUrl}/mi/short`)), first);
      assert.equal(fetchesFor('api://short-lived').length, 2);
    } finally {
      imds.lifetimeSeconds = 3600;
    }
  });

  it("a refused token is a 500 with Azure's body; with ignore-error the request goes on without one", async () => {
    imds.failWith = 400;
    try {
      const strict = await fetch(`${gh.gatewayUrl}/mi/strict`);
      assert.equal(strict.status, 500);
      const body = (await strict.json()) as { statusCode: number; message: string };
      assert.deepEqual([body.statusCode, body.message], [500, 'Internal server error']);
      const lenient = await fetch(`${gh.gatewayUrl}/mi/lenient`, { headers: { authorization: 'Bearer caller' } });
      assert.equal(await authorizationSeen(lenient), 'Bearer caller');
    } finally {
      imds.failWith = undefined;
    }
  });

  it("send-request's child authorizes the call it makes, as the user-assigned identity", async () => {
    const res = await fetch(`${gh.gatewayUrl}/mi/child`);
    assert.equal(res.status, 200);
    assert.match(await res.text(), /^Bearer token-\d+-https:\/\/vault\.azure\.net-c0ffee00-0000-0000-0000-000000000042$/);
    assert.equal(fetchesFor('https://vault.azure.net').at(-1)!.clientId, 'c0ffee00-0000-0000-0000-000000000042');
  });
});

describe('authentication-managed-identity (gatehouse process, IDENTITY_ENDPOINT protocol)', () => {
  it('asks IDENTITY_ENDPOINT with X-IDENTITY-HEADER and api-version 2019-08-01', async () => {
    const before = imds.requests.length;
    const seen = await authorizationSeen(await fetch(`${appService.gatewayUrl}/mi/graph`));
    assert.match(seen!, /^Bearer token-\d+-https:\/\/graph\.microsoft\.com$/);
    const asked = imds.requests.slice(before);
    assert.deepEqual(asked.map((r) => [r.apiVersion, r.identityHeader, r.metadata]), [['2019-08-01', 'e2e-identity-header', undefined]]);
  });
});
