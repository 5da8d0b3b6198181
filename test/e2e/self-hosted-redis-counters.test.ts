/**
 * Two replicas of one self-hosted gateway (`gatehouse gateway --redis`, docs/self-hosted-gateway.md)
 * count one rate limit together in the machine's Redis: with calls="4" on the linked API, eight
 * calls spread over both replicas admit exactly four, whichever replica each one reaches. The
 * service has a name of this run's own, so its counters share no key with another test.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { managementClient } from './helpers/management-client.js';
import { redisSkipReason, testRedisUrl, uniqueRedisTag } from '../helpers/test-redis.js';

const serviceName = `shgw${uniqueRedisTag()}`;
const servicePath = `/subscriptions/sub-e2e/resourceGroups/rg-e2e/providers/Microsoft.ApiManagement/service/${serviceName}`;
const limited = `<policies><inbound><base /><rate-limit calls="4" renewal-period="60" /></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;

const skip = await redisSkipReason('self-hosted gateways sharing counters in Redis');

describe('self-hosted gateway replicas with counters in Redis', { skip }, () => {
  let backend: EchoBackend;
  let management: GatehouseProcess | undefined;
  const replicas: GatehouseProcess[] = [];
  let key: string;

  before(async () => {
    backend = await startEchoBackend();
    management = await startGatehouseProcess(['--service-name', serviceName]);
    const call = managementClient(management, servicePath);
    const ok = async (answer: ReturnType<typeof call>, status: number): Promise<any> => {
      const res = await answer;
      assert.equal(res.status, status, res.text);
      return res.body;
    };
    await ok(call('PUT', 'apis/limited', { properties: { displayName: 'limited', path: 'limited', protocols: ['http'], serviceUrl: backend.url, subscriptionRequired: true } }), 201);
    await ok(call('PUT', 'apis/limited/operations/hello', { properties: { displayName: 'hello', method: 'GET', urlTemplate: '/hello' } }), 201);
    await ok(call('PUT', 'apis/limited/policies/policy', { properties: { format: 'rawxml', value: limited } }), 201);
    await ok(call('PUT', 'subscriptions/all-apis', { properties: { displayName: 'all APIs', scope: '/apis', state: 'active' } }), 201);
    key = (await ok(call('POST', 'subscriptions/all-apis/listSecrets'), 200)).primaryKey;
    await ok(call('PUT', 'gateways/gw1', { properties: { locationData: { name: 'rack' } } }), 201);
    await ok(call('PUT', 'gateways/gw1/apis/limited', {}), 201);
    const expiry = new Date(Date.now() + 3600_000).toISOString();
    const token = (await ok(call('POST', 'gateways/gw1/generateToken', { keyType: 'primary', expiry }), 200)).value;
    const managementUrl = /management API \(http\): (\S+)/.exec(management.stdout.join('\n'))![1]!;
    for (let i = 0; i < 2; i++) {
      replicas.push(
        await startGatehouseProcess(['--data', join(mkdtempSync(join(tmpdir(), 'gatehouse-shgw-redis-')), 'data'), '--redis', testRedisUrl], {
          command: 'gateway',
          env: { GATEHOUSE_MANAGEMENT_URL: managementUrl, GATEHOUSE_GATEWAY_TOKEN: token },
        }),
      );
    }
  });

  after(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await management?.stop();
    await backend?.close();
  });

  it('says where its counters are, and the two replicas admit the limit once between them', async () => {
    for (const replica of replicas) assert.match(replica.stdout.join('\n'), /rate-limit and quota counters: in Redis at /);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const replica = replicas[i % 2]!;
      const res = await fetch(`${replica.gatewayUrl}/limited/hello`, { headers: { 'ocp-apim-subscription-key': key } });
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 429, 429, 429, 429], 'four calls in all, not four per replica');
  });
});
