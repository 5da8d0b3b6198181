/**
 * Request tracing's management actions over the real management API: listDebugCredentials
 * (a signed token for one API and gateway, at most PT1H), invalidateDebugCredentials and
 * listTrace, with Azure's validation refusals.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readDebugToken } from '../../../src/core/debug-token.js';
import { MemoryTraceStore } from '../../../src/store/memory-trace-store.js';
import { servicePath, startManagement, type ManagementHarness } from './arm-harness.js';

const now = new Date('2026-03-04T05:06:07.000Z');
const apiId = `${servicePath}/apis/echo`;

describe('gateway debug credentials and traces', () => {
  let m: ManagementHarness;
  const traces = new MemoryTraceStore();
  before(async () => {
    m = await startManagement({ traces, now: () => now });
    assert.equal((await m.call('PUT', 'apis/echo', { body: { properties: { displayName: 'Echo', path: 'echo', serviceUrl: 'http://127.0.0.1:9' } } })).status, 201);
    assert.equal((await m.call('PUT', 'gateways/gw1', { body: { properties: { locationData: { name: 'here' } } } })).status, 201);
  });
  after(() => m.close());

  const storedKey = async (): Promise<string> => {
    const settings = await m.store.get('debugCredentials/settings');
    assert.ok(settings, 'the debug key is in the store');
    return m.box.open(String(settings.body.key));
  };

  it('hands out a token for the API and gateway, signed with the sealed per-service key, valid PT1H by default', async () => {
    const r = await m.call('POST', 'gateways/managed/listDebugCredentials', { body: { apiId, purposes: ['tracing'] } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(Object.keys(r.body), ['token']);
    const key = await storedKey();
    const settings = await m.store.get('debugCredentials/settings');
    assert.ok(!JSON.stringify(settings!.body).includes(key), 'the key is sealed at rest');
    assert.deepEqual(readDebugToken(r.body.token, key), { apiName: 'echo', gatewayId: 'managed', issuedAt: now.getTime(), expiresAt: now.getTime() + 3_600_000 });
    const shorter = await m.call('POST', 'gateways/gw1/listDebugCredentials', { body: { apiId, purposes: ['tracing'], credentialsExpireAfter: 'PT5M' } });
    assert.equal(shorter.status, 200, shorter.text);
    assert.deepEqual(readDebugToken(shorter.body.token, key), { apiName: 'echo', gatewayId: 'gw1', issuedAt: now.getTime(), expiresAt: now.getTime() + 300_000 });
  });

  it('refuses bad bodies with ValidationError naming the field', async () => {
    const refused = async (body: unknown, target: string): Promise<void> => {
      const r = await m.call('POST', 'gateways/managed/listDebugCredentials', { body });
      assert.equal(r.status, 400, r.text);
      assert.equal(r.body.error.code, 'ValidationError');
      assert.deepEqual(r.body.error.details.map((d: { target: string }) => d.target), [target]);
    };
    await refused({ apiId, purposes: ['tracing'], credentialsExpireAfter: 'PT2H' }, 'credentialsExpireAfter');
    await refused({ apiId, purposes: ['tracing'], credentialsExpireAfter: 'an hour' }, 'credentialsExpireAfter');
    await refused({ apiId, purposes: ['tracing'], credentialsExpireAfter: 'PT0S' }, 'credentialsExpireAfter');
    await refused({ apiId, purposes: ['debugging'] }, 'purposes');
    await refused({ apiId }, 'purposes');
    await refused({ purposes: ['tracing'] }, 'apiId');
    await refused({ apiId: `${servicePath}/products/starter`, purposes: ['tracing'] }, 'apiId');
  });

  it('answers 404 for an API or a gateway that does not exist, and 405 for a GET', async () => {
    const noApi = await m.call('POST', 'gateways/managed/listDebugCredentials', { body: { apiId: `${servicePath}/apis/nope`, purposes: ['tracing'] } });
    assert.equal(noApi.status, 404, noApi.text);
    assert.equal(noApi.body.error.message, 'Api not found.');
    const noGateway = await m.call('POST', 'gateways/nope/listDebugCredentials', { body: { apiId, purposes: ['tracing'] } });
    assert.equal(noGateway.status, 404, noGateway.text);
    assert.equal(noGateway.body.error.message, 'Gateway not found.');
    assert.equal((await m.call('GET', 'gateways/managed/listTrace')).status, 405);
  });

  it('invalidateDebugCredentials records when, per gateway, and answers 204', async () => {
    const r = await m.call('POST', 'gateways/managed/invalidateDebugCredentials');
    assert.equal(r.status, 204, r.text);
    const settings = await m.store.get('debugCredentials/settings');
    assert.deepEqual(settings!.body.invalidatedAt, { managed: now.toISOString() });
  });

  it("listTrace answers a kept trace in Azure's shape; unknown ids are 404, a missing id 400", async () => {
    traces.keep({ traceId: 't-1', gatewayId: 'managed', traceEntries: { inbound: [{ source: 'api-inspector', timestamp: 'x', elapsed: '00:00:00.0000001', data: 'd' }] } });
    const r = await m.call('POST', 'gateways/managed/listTrace', { body: { traceId: 't-1' } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body, { serviceName: 'gatehouse', traceId: 't-1', traceEntries: { inbound: [{ source: 'api-inspector', timestamp: 'x', elapsed: '00:00:00.0000001', data: 'd' }] } });
    assert.equal((await m.call('POST', 'gateways/gw1/listTrace', { body: { traceId: 't-1' } })).status, 404, "another gateway's trace is not found");
    const missing = await m.call('POST', 'gateways/managed/listTrace', { body: {} });
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.details[0].target, 'traceId');
  });
});
