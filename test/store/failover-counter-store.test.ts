/**
 * The failover in front of the Redis counters, against a real redis-server of the test's own
 * that it stops and starts again: with `local` the calls are counted on this host's store while
 * Redis is gone and in Redis again once it is back; with `refuse` they fail with
 * CounterStoreUnavailableError. Each switch is logged once and reported once.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import { CounterStoreUnavailableError } from '../../src/core/ports.js';
import { FailoverCounterStore, type CounterFallback } from '../../src/store/failover-counter-store.js';
import { MemoryCounterStore } from '../../src/store/memory-counter-store.js';
import { counterKeyPrefix, RedisCounterStore } from '../../src/store/redis-counter-store.js';
import { waitFor } from '../e2e/helpers/wait-for.js';
import { PrivateRedis, privateRedisSkipReason } from '../helpers/private-redis.js';

const skip = privateRedisSkipReason('the counter failover tests');
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function recordingLogger() {
  const lines: Array<{ level: number; msg: string }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as { level: number; msg: string });
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

async function setUp(fallback: CounterFallback) {
  const redis = await PrivateRedis.start();
  cleanups.push(() => redis.stop());
  const remote = new RedisCounterStore(redis.url, { keyPrefix: counterKeyPrefix('failover'), commandTimeoutMs: 300, connectTimeoutMs: 300 });
  cleanups.push(() => remote.close());
  assert.ok(await remote.whenConnected(10_000));
  const local = new MemoryCounterStore();
  const { logger, lines } = recordingLogger();
  const switches: boolean[] = [];
  const store = new FailoverCounterStore(remote, local, { fallback, logger, retryEveryMs: 100, onSwitch: (up) => switches.push(up) });
  return { redis, remote, local, store, lines, switches };
}

describe('FailoverCounterStore', { skip }, () => {
  it('local: counts on this host while Redis is gone, says so once, and counts in Redis again once it is back', async () => {
    const { redis, local, store, lines, switches } = await setUp('local');
    const now = Date.now();
    assert.equal((await store.rateLimit('k', 3, 60_000, 2, now)).remaining, 1);
    assert.equal((await local.peekRateLimit('k', 3, 60_000, now)).remaining, 3, 'counted in Redis, not locally');

    await redis.stop();
    // Every call is answered (locally), none fails or hangs.
    for (let i = 0; i < 5; i++) assert.equal((await store.quota('q', 10, 1, now, now + 60_000, now)).allowed, true);
    assert.equal(store.usingRemote, false);
    assert.deepEqual(await local.quota('q', 10, 0, now, now + 60_000, now), { allowed: true, remaining: 5, resetInMs: 60_000 });
    assert.deepEqual(switches, [false]);
    assert.equal(lines.filter((l) => l.level === 40).length, 1, 'the switch is logged once');
    assert.match(lines.find((l) => l.level === 40)!.msg, /do not answer; counting on this host's counters/);

    await redis.startAgain();
    // The private Redis starts empty: once back, the counts are Redis' again (the local ones are not copied).
    await waitFor('the counters to go back to Redis', async () => {
      await store.quota('q', 10, 0, now, now + 60_000, now);
      return store.usingRemote;
    }, undefined, 30_000);
    assert.deepEqual(await store.quota('q', 10, 1, now, now + 60_000, now), { allowed: true, remaining: 9, resetInMs: 60_000 });
    assert.deepEqual(switches, [false, true]);
    assert.ok(lines.some((l) => l.level === 30 && /answer again/.test(l.msg)));
  });

  it('refuse: fails calls with CounterStoreUnavailableError while Redis is gone, and serves again once it is back', async () => {
    const { redis, store, switches } = await setUp('refuse');
    const now = Date.now();
    await redis.stop();
    await assert.rejects(store.rateLimit('k', 3, 60_000, 1, now), CounterStoreUnavailableError);
    await assert.rejects(store.quota('q', 3, 1, now, now + 60_000, now), CounterStoreUnavailableError);
    assert.deepEqual(switches, [false]);
    await redis.startAgain();
    await waitFor('the counters to answer again', async () => {
      try {
        return (await store.rateLimit('k', 3, 60_000, 1, now)).allowed;
      } catch (err) {
        if (err instanceof CounterStoreUnavailableError) return false;
        throw err;
      }
    }, undefined, 30_000);
    assert.deepEqual(switches, [false, true]);
  });
});
