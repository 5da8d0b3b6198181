/**
 * The gateway's managed identity tokens against a real loopback token endpoint, through the real
 * outbound call sender: both protocols' requests, one fetch per (resource, client id) while the
 * token is fresh, a new one five minutes before it expires, concurrent callers sharing one fetch,
 * and failures reported (not cached).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BackendForwarder } from '../../../src/gateway/backend-forwarder.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ManagedIdentityTokenCache, maxAnswerBytes, refreshMarginMs } from '../../../src/gateway/managed-identity/managed-identity-token-cache.js';
import { readTokenAnswer, type ManagedIdentityEndpoint } from '../../../src/gateway/managed-identity/token-endpoint.js';
import { ManagedIdentityError } from '../../../src/pipeline/managed-identity.js';
import { manualClock } from '../../helpers/policy-harness.js';
import { startManagedIdentityServer, type ManagedIdentityServer } from '../../helpers/managed-identity-server.js';
import { unusedLoopbackUrl } from '../../e2e/helpers/policy-e2e-support.js';

let server: ManagedIdentityServer;
const forwarder = new BackendForwarder();

before(async () => {
  server = await startManagedIdentityServer('app-service-secret');
});
after(async () => {
  await server.close();
  await forwarder.close();
});

function cache(endpoint?: ManagedIdentityEndpoint) {
  const clock = manualClock(Date.now());
  server.requests.length = 0;
  server.lifetimeSeconds = 3600;
  server.failWith = undefined;
  return { clock, tokens: new ManagedIdentityTokenCache(endpoint ?? { protocol: 'imds', url: server.url }, forwarder.outbound, clock) };
}

const rejectsWith = async (promise: Promise<unknown>, reason: string, text: RegExp) =>
  assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ManagedIdentityError, String(err));
    assert.equal(err.reason, reason);
    assert.match(err.message, text);
    return true;
  });

describe('managed identity tokens', () => {
  it('asks the instance metadata protocol once, then serves the cached token', async () => {
    const { tokens } = cache();
    assert.equal(await tokens.token('https://vault.azure.net', undefined), 'token-1-https://vault.azure.net');
    assert.equal(await tokens.token('https://vault.azure.net', undefined), 'token-1-https://vault.azure.net');
    assert.deepEqual(server.requests, [
      { path: '/metadata/identity/oauth2/token', apiVersion: '2018-02-01', resource: 'https://vault.azure.net', clientId: null, metadata: 'true', identityHeader: undefined },
    ]);
  });

  it('keeps one token per resource and client id, and sends client_id for a user-assigned identity', async () => {
    const { tokens } = cache();
    const a = await tokens.token('https://storage.azure.com/', undefined);
    const b = await tokens.token('https://storage.azure.com/', 'c0ffee00-1111-2222-3333-444455556666');
    const c = await tokens.token('https://management.azure.com', 'c0ffee00-1111-2222-3333-444455556666');
    assert.equal(new Set([a, b, c]).size, 3);
    assert.equal(await tokens.token('https://storage.azure.com/', 'c0ffee00-1111-2222-3333-444455556666'), b);
    assert.deepEqual(server.requests.map((r) => r.clientId), [null, 'c0ffee00-1111-2222-3333-444455556666', 'c0ffee00-1111-2222-3333-444455556666']);
  });

  it('fetches again five minutes before the token expires', async () => {
    const { tokens, clock } = cache();
    const first = await tokens.token('api://orders', undefined);
    clock.advance(3600_000 - refreshMarginMs - 2_000);
    assert.equal(await tokens.token('api://orders', undefined), first);
    assert.equal(server.requests.length, 1);
    clock.advance(3_000);
    const second = await tokens.token('api://orders', undefined);
    assert.notEqual(second, first);
    assert.equal(server.requests.length, 2);
  });

  it('concurrent requests for a token not cached share one fetch', async () => {
    const { tokens } = cache();
    server.hold = true;
    const waiting = Array.from({ length: 5 }, () => tokens.token('https://graph.microsoft.com', undefined));
    await new Promise((resolve) => setTimeout(resolve, 100));
    server.hold = false;
    server.release();
    const got = await Promise.all(waiting);
    assert.equal(new Set(got).size, 1);
    assert.equal(server.requests.length, 1);
    assert.equal(tokens.fetches, 1);
  });

  it('speaks the App Service protocol with X-IDENTITY-HEADER', async () => {
    const { tokens } = cache({ protocol: 'app-service', url: server.url, header: 'app-service-secret' });
    assert.match(await tokens.token('https://servicebus.azure.net', 'uai'), /^token-\d+-https:\/\/servicebus.azure.net-uai$/);
    assert.deepEqual(server.requests.at(-1), {
      path: '/metadata/identity/oauth2/token',
      apiVersion: '2019-08-01',
      resource: 'https://servicebus.azure.net',
      clientId: 'uai',
      metadata: undefined,
      identityHeader: 'app-service-secret',
    });
  });

  it("reports the endpoint's refusal, and does not cache the failure", async () => {
    const { tokens } = cache();
    server.failWith = 400;
    await rejectsWith(tokens.token('https://storage.azure.com/', 'nobody'), 'TokenAcquisitionFailed', /user-assigned identity 'nobody'.*answered 400 \(invalid_request: Identity not found\)/);
    server.failWith = undefined;
    assert.match(await tokens.token('https://storage.azure.com/', 'nobody'), /^token-/);
    assert.equal(server.requests.length, 2);
  });

  it('reports an endpoint nobody listens on, and `off` as not enabled', async () => {
    const { tokens } = cache({ protocol: 'imds', url: `${await unusedLoopbackUrl()}/metadata/identity/oauth2/token` });
    await rejectsWith(tokens.token('https://vault.azure.net', undefined), 'TokenAcquisitionFailed', /system-assigned identity/);
    const off = cache({ protocol: 'off' }).tokens;
    await rejectsWith(off.token('https://vault.azure.net', undefined), 'ManagedIdentityNotEnabled', /^Managed service identity is not enabled for this service/);
  });
});

describe('hostile token endpoints', () => {
  it('one that never answers times out; one that answers too much is cut off', async () => {
    let mode: 'hang' | 'flood' = 'hang';
    const hostile = createServer((req, res) => {
      req.resume();
      if (mode === 'hang') return;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"access_token":"${'x'.repeat(maxAnswerBytes)}","expires_in":"3600"}`);
    });
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}/token`;
    try {
      const tokens = new ManagedIdentityTokenCache({ protocol: 'imds', url }, forwarder.outbound, { now: () => Date.now() }, 300);
      const started = Date.now();
      await rejectsWith(tokens.token('api://x', undefined), 'TokenAcquisitionFailed', /Unable to acquire a token for resource 'api:\/\/x'/);
      assert.ok(Date.now() - started < 5_000, 'bounded by the timeout');
      mode = 'flood';
      await rejectsWith(tokens.token('api://x', undefined), 'TokenAcquisitionFailed', /larger than the 65536 bytes/);
    } finally {
      hostile.closeAllConnections();
      await new Promise<void>((resolve) => hostile.close(() => resolve()));
    }
  });
});

describe('token answers', () => {
  it('take expires_on (epoch seconds) over expires_in, and refuse answers without a token or expiry', () => {
    assert.deepEqual(readTokenAnswer(200, '{"access_token":"t","expires_on":"1700000000","expires_in":"10"}', 0), { accessToken: 't', expiresAtMs: 1_700_000_000_000 });
    assert.deepEqual(readTokenAnswer(200, '{"access_token":"t","expires_in":3599}', 1000), { accessToken: 't', expiresAtMs: 3_600_000 });
    assert.throws(() => readTokenAnswer(200, '{"expires_in":"5"}', 0), /without an access_token/);
    assert.throws(() => readTokenAnswer(200, '{"access_token":"t","expires_on":"soon"}', 0), /expires_on or expires_in/);
    assert.throws(() => readTokenAnswer(500, 'not json', 0), /answered 500\.$/);
    assert.throws(() => readTokenAnswer(403, '{"statusCode":403,"message":"Forbidden"}', 0), /answered 403 \(Forbidden\)/);
  });
});
