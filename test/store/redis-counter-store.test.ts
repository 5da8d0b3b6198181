/**
 * The Redis counter store against the machine's Redis: the shared CounterStore cases
 * (counter-store-conformance.ts), then what only Redis does: counting shared by several
 * clients, keys per service that expire, and failing fast (never hanging) when Redis is down.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { CounterStoreUnavailableError } from '../../src/core/ports.js';
import { counterKeyPrefix, RedisCounterStore } from '../../src/store/redis-counter-store.js';
import { deleteRedisKeys, redisSkipReason, testRedisUrl, uniqueRedisTag } from '../helpers/test-redis.js';
import { unusedLoopbackUrl } from '../e2e/helpers/policy-e2e-support.js';
import { counterStoreConformance } from './counter-store-conformance.js';

const skip = await redisSkipReason('the Redis counter store tests');
const tag = uniqueRedisTag();
const opened: RedisCounterStore[] = [];
let stores = 0;
/** A store of its own service (fresh counters), or of `service` to share them. */
const open = (service = `${tag}-${stores++}`, url = testRedisUrl, options = {}) => {
  const store = new RedisCounterStore(url, { keyPrefix: counterKeyPrefix(service), ...options });
  opened.push(store);
  return store;
};
after(async () => {
  for (const store of opened) await store.close();
  if (!skip) await deleteRedisKeys(`gatehouse:${tag}*`);
});

async function connected(service?: string): Promise<RedisCounterStore> {
  const store = open(service);
  assert.ok(await store.whenConnected(10_000), 'the Redis counter store connects');
  return store;
}

counterStoreConformance('Redis', () => connected(), { skip });

describe('RedisCounterStore', { skip }, () => {
  const now = Date.now();

  it('shares one window between clients: concurrent calls from several admit exactly the limit', async () => {
    const service = `${tag}-shared`;
    const clients = await Promise.all([connected(service), connected(service), connected(service)]);
    const calls = Array.from({ length: 90 }, (_, i) => clients[i % 3]!.rateLimit('k', 40, 60_000, 1, now));
    const results = await Promise.all(calls);
    assert.equal(results.filter((r) => r.allowed).length, 40);
    assert.ok(results.filter((r) => !r.allowed).every((r) => r.retryAfterMs > 0 && r.retryAfterMs <= 60_000 && r.remaining === 0));
    const quotas = await Promise.all(Array.from({ length: 30 }, (_, i) => clients[i % 3]!.quota('q', 10, 1, now, now + 3_600_000, now)));
    assert.equal(quotas.filter((r) => r.allowed).length, 10);
  });

  it('keeps services apart: the same counter key under two service names is two counters', async () => {
    const a = await connected(`${tag}-a`);
    const b = await connected(`${tag}-b`);
    await a.rateLimit('k', 1, 60_000, 1, now);
    assert.equal((await a.peekRateLimit('k', 1, 60_000, now)).allowed, false);
    assert.equal((await b.peekRateLimit('k', 1, 60_000, now)).allowed, true);
  });

  it('gives every key an expiry: a window its longest window plus the grace, a period its end plus the grace, an endless period none', async () => {
    const service = `${tag}-ttl`;
    const store = open(service, testRedisUrl, { expiryGraceMs: 5_000 });
    assert.ok(await store.whenConnected(10_000));
    await store.rateLimit('k', 5, 10_000, 1, now);
    await store.rateLimit('k', 5, 30_000, 1, now);
    await store.quota('q', 5, 1, now, now + 20_000, now);
    await store.quota('forever', 5, 1, now, Infinity, now);
    const redis = new Redis(testRedisUrl);
    try {
      const prefix = counterKeyPrefix(service);
      const windowTtl = await redis.pttl(`${prefix}rl:k`);
      assert.ok(windowTtl > 30_000 && windowTtl <= 35_000, `window key expires in ${windowTtl} ms`);
      const periodTtl = await redis.pttl(`${prefix}q:q`);
      assert.ok(periodTtl > 20_000 && periodTtl <= 25_000, `period key expires in ${periodTtl} ms`);
      assert.equal(await redis.pttl(`${prefix}q:forever`), -1);
      // A release keeps the expiry it had.
      await store.releaseRateLimit('k', 1, now);
      assert.ok((await redis.pttl(`${prefix}rl:k`)) > 0);
    } finally {
      redis.disconnect();
    }
  });

  it('refuses NaN before it reaches Redis (a TypeError, not an outage)', async () => {
    const store = await connected();
    await assert.rejects(store.rateLimit('k', NaN, 1_000, 1, now), TypeError);
  });
});

describe('RedisCounterStore with Redis down (a closed port)', () => {
  it('fails every call at once with CounterStoreUnavailableError, never hanging', async () => {
    const closed = new URL(await unusedLoopbackUrl());
    const store = open(`${tag}-down`, `redis://127.0.0.1:${closed.port}`, { commandTimeoutMs: 200, connectTimeoutMs: 200 });
    assert.equal(await store.whenConnected(300), false);
    const now = Date.now();
    await assert.rejects(store.rateLimit('k', 1, 1_000, 1, now), CounterStoreUnavailableError);
    await assert.rejects(store.peekRateLimit('k', 1, 1_000, now), CounterStoreUnavailableError);
    await assert.rejects(store.releaseRateLimit('k', 1, now), CounterStoreUnavailableError);
    await assert.rejects(store.quota('q', 1, 1, now, now + 1_000, now), CounterStoreUnavailableError);
    await assert.rejects(store.addToQuota('q', 1, now, now + 1_000), CounterStoreUnavailableError);
  });
});
