/**
 * A gateway process's counters with `--redis` (redis-counters.ts): with Redis answering they
 * count in Redis and the metric says 1; with Redis unreachable at start the gateway waits a
 * moment, starts on its host's counters, says so once in the log and in the metrics; the banner
 * line names the Redis address without its password.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { Registry } from 'prom-client';
import { openRedisCounters, redisCountersLine, type RedisCounters } from '../../src/main/redis-counters.js';
import { MemoryCounterStore } from '../../src/store/memory-counter-store.js';
import { unusedLoopbackUrl } from '../e2e/helpers/policy-e2e-support.js';
import { deleteRedisKeys, redisSkipReason, testRedisUrl, uniqueRedisTag } from '../helpers/test-redis.js';

const skip = await redisSkipReason('the Redis counters wiring tests');
const tag = uniqueRedisTag();
const opened: RedisCounters[] = [];
after(async () => {
  for (const counters of opened) await counters.close();
  if (!skip) await deleteRedisKeys(`gatehouse:${tag}*`);
});

async function open(redisUrl: string, fallback: 'local' | 'refuse' = 'local') {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as { level: number; msg: string }) });
  const registry = new Registry();
  const local = new MemoryCounterStore();
  const counters = await openRedisCounters({ redisUrl, serviceName: `${tag}-svc`, local, fallback, logger, metricsRegistry: registry });
  opened.push(counters);
  return { counters, local, lines, registry };
}

async function series(registry: Registry, name: string): Promise<Array<{ value: number; labels: Record<string, unknown> }>> {
  const metric = registry.getSingleMetric(name);
  assert.ok(metric, `${name} is registered`);
  return (await metric.get()).values as Array<{ value: number; labels: Record<string, unknown> }>;
}

describe('openRedisCounters', () => {
  it('counts in Redis when it answers, and says so in gatehouse_counter_store_redis_up', { skip }, async () => {
    const { counters, local, registry, lines } = await open(testRedisUrl);
    const now = Date.now();
    await counters.store.rateLimit('k', 5, 60_000, 2, now);
    assert.equal((await local.peekRateLimit('k', 5, 60_000, now)).remaining, 5, 'not counted locally');
    assert.equal((await counters.store.peekRateLimit('k', 5, 60_000, now)).remaining, 3);
    assert.equal((await series(registry, 'gatehouse_counter_store_redis_up'))[0]?.value, 1);
    assert.deepEqual(await series(registry, 'gatehouse_counter_store_fallbacks_total'), []);
    assert.equal(lines.filter((l) => l.level >= 40).length, 0);
  });

  it('starts on the host counters when Redis is unreachable at start, saying so once', async () => {
    const port = new URL(await unusedLoopbackUrl()).port;
    const { counters, local, registry, lines } = await open(`redis://user:s3cret@127.0.0.1:${port}`);
    assert.equal((await series(registry, 'gatehouse_counter_store_redis_up'))[0]?.value, 0);
    assert.deepEqual((await series(registry, 'gatehouse_counter_store_fallbacks_total')).map((s) => [s.labels.fallback, s.value]), [['local', 1]]);
    const now = Date.now();
    for (let i = 0; i < 3; i++) await counters.store.quota('q', 10, 1, now, now + 60_000, now);
    assert.equal((await local.quota('q', 10, 0, now, now + 60_000, now)).remaining, 7, 'counted on the host counters');
    const warnings = lines.filter((l) => l.level === 40);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!.msg, /do not answer; counting on this host's counters/);
    assert.equal(JSON.stringify(lines).includes('s3cret'), false);
  });
});

describe('redisCountersLine', () => {
  it('names the address and the fallback, never the password', () => {
    const line = redisCountersLine('redis://user:s3cret@redis.internal:6380/2', 'refuse');
    assert.equal(line, '  rate-limit and quota counters: in Redis at redis.internal:6380, shared by every gateway of this service; while it does not answer, calls that need a counter are refused (503)');
    assert.match(redisCountersLine('redis://127.0.0.1', 'local'), /in Redis at 127\.0\.0\.1:6379, .*this host's counters$/);
  });
});
