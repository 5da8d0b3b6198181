import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../../src/core/logger.js';
import { RedisCacheStore } from '../../src/store/redis-cache-store.js';
import { deleteRedisKeys, redisSkipReason, testRedisUrl, uniqueRedisTag } from '../helpers/test-redis.js';
import { cacheStoreConformance } from './cache-store-conformance.js';
import { waitFor } from '../e2e/helpers/wait-for.js';
import { unusedLoopbackUrl } from '../e2e/helpers/policy-e2e-support.js';

const skip = await redisSkipReason('the Redis cache store tests');
const tag = uniqueRedisTag();
const opened: RedisCacheStore[] = [];
const open = (url = testRedisUrl, options = {}) => {
  const store = new RedisCacheStore(url, createLogger('silent'), { keyPrefix: `gh-test:${tag}:${opened.length}:`, ...options });
  opened.push(store);
  return store;
};
after(async () => {
  for (const store of opened) await store.close();
  if (!skip) await deleteRedisKeys(`gh-test:${tag}:*`);
});

/** A store connected to the test Redis (a store drops writes until it is connected). */
async function connected(): Promise<RedisCacheStore> {
  const store = open();
  await waitFor('the Redis cache store to connect', () => store.connected);
  return store;
}

cacheStoreConformance('Redis', connected, { skip });

describe('RedisCacheStore', { skip }, () => {
  it('keeps entries under its own prefix: two prefixes never see each other', async () => {
    const a = await connected();
    const b = await connected();
    await a.set('shared-name', Buffer.from('a'), 60_000);
    assert.equal(await b.get('shared-name'), undefined);
    assert.equal((await a.get('shared-name'))?.toString(), 'a');
  });
});

describe('RedisCacheStore with Redis down (a closed port)', () => {
  it('misses, drops writes and deletes, never throws, answers within its bound, and counts the failures', async () => {
    const closed = new URL(await unusedLoopbackUrl());
    const store = open(`redis://127.0.0.1:${closed.port}`, { commandTimeoutMs: 200, connectTimeoutMs: 200 });
    const started = Date.now();
    assert.equal(await store.get('k'), undefined);
    await store.set('k', Buffer.from('v'), 60_000);
    await store.delete('k');
    assert.equal(await store.get('k'), undefined);
    // Bounded, not timed: with no offline queue the calls fail at once; 10 s is far past any bound.
    assert.ok(Date.now() - started < 10_000);
    assert.ok(store.failures >= 4, `failures counted: ${store.failures}`);
  });
});
