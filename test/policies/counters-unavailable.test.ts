/**
 * What the counting policies answer while the shared counters (Redis) do not answer: with
 * `--redis-counter-fallback refuse` a 503 `Service Unavailable` (LastError reason
 * `CounterStoreUnavailable`), with `local` the call is counted on the host's counters and served.
 * Redis here is a closed loopback port: the real client, refused connections.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Product, Subscription } from '../../src/model/resources.js';
import { createLogger } from '../../src/core/logger.js';
import { FailoverCounterStore, type CounterFallback } from '../../src/store/failover-counter-store.js';
import { MemoryCounterStore } from '../../src/store/memory-counter-store.js';
import { counterKeyPrefix, RedisCounterStore } from '../../src/store/redis-counter-store.js';
import { unusedLoopbackUrl } from '../e2e/helpers/policy-e2e-support.js';
import { runPolicies, useEchoBackend } from '../helpers/policy-harness.js';

const backend = useEchoBackend();
const subscription: Subscription = { name: 'sub-a', displayName: 'A', scope: '/apis', primaryKey: 'ka1', secondaryKey: 'ka2', state: 'active' };
const product: Product = { name: 'gold', displayName: 'Gold', subscriptionRequired: true, state: 'published', apis: ['test-api'], groups: [] };
const inbound = (policy: string) => `<policies><inbound>${policy}</inbound><backend><forward-request /></backend></policies>`;
const closed: RedisCounterStore[] = [];
after(async () => {
  for (const store of closed) await store.close();
});

async function countersWithRedisDown(fallback: CounterFallback): Promise<FailoverCounterStore> {
  const port = new URL(await unusedLoopbackUrl()).port;
  const redis = new RedisCounterStore(`redis://127.0.0.1:${port}`, { keyPrefix: counterKeyPrefix('down'), commandTimeoutMs: 200, connectTimeoutMs: 200 });
  closed.push(redis);
  return new FailoverCounterStore(redis, new MemoryCounterStore(), { fallback, logger: createLogger('silent') });
}

/** Each counting policy, at a scope it is allowed in (quota: product only). */
const policies: Array<{ policy: string; scope: 'api' | 'product' }> = [
  { policy: '<rate-limit calls="5" renewal-period="60" />', scope: 'api' },
  { policy: '<rate-limit-by-key calls="5" renewal-period="60" counter-key="k" />', scope: 'api' },
  { policy: '<quota calls="5" renewal-period="3600" />', scope: 'product' },
  { policy: '<quota-by-key calls="5" renewal-period="3600" counter-key="k" />', scope: 'api' },
];
const setup = (policy: string, scope: 'api' | 'product', counters: FailoverCounterStore) => ({
  [scope]: inbound(policy),
  serviceUrl: backend.url,
  subscription,
  productModel: product,
  counters,
});

describe('counting policies while Redis is down', () => {
  for (const { policy, scope } of policies) {
    it(`refuse: ${policy} answers 503 Service Unavailable and never calls the backend`, async () => {
      const counters = await countersWithRedisDown('refuse');
      const r = await runPolicies(setup(policy, scope, counters));
      assert.equal(r.status, 503);
      const body = r.json<{ statusCode: number; message: string; activityId?: string }>();
      assert.equal(body.statusCode, 503);
      assert.equal(body.message, 'Service Unavailable');
      assert.equal(typeof body.activityId, 'string');
      assert.equal(r.gw.forwarded, false);
      assert.equal(r.gw.lastError?.reason, 'CounterStoreUnavailable');
      assert.equal(r.gw.lastError?.source, policy.slice(1, policy.indexOf(' ')));
    });

    it(`local: ${policy} counts on the host's counters and serves`, async () => {
      const counters = await countersWithRedisDown('local');
      for (let i = 0; i < 5; i++) assert.equal((await runPolicies(setup(policy, scope, counters))).status, 200);
      // The local counters hold the limit too.
      assert.notEqual((await runPolicies(setup(policy, scope, counters))).status, 200);
    });
  }
});
