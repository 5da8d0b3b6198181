/**
 * The Redis counter store sends the calls of one event-loop turn as one script (batchScript):
 * against the machine's Redis, the same answers and the same stored counters as the single-call
 * scripts sent one EVALSHA per call (the store before batching), for a turn of mixed calls; a
 * turn larger than one script; and one call's failure kept to that call.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { CounterStoreUnavailableError } from '../../src/core/ports.js';
import { counterKeyPrefix, maxCallsPerScript, RedisCounterStore } from '../../src/store/redis-counter-store.js';
import { quotaScript, rateLimitScript, releaseScript } from '../../src/store/redis-counter-scripts.js';
import { deleteRedisKeys, redisSkipReason, testRedisUrl, uniqueRedisTag } from '../helpers/test-redis.js';

const skip = await redisSkipReason('the Redis counter batching tests');
const tag = uniqueRedisTag();

type Single = (key: string, ...args: string[]) => Promise<unknown>;
/** The store before batching: each call its own EVALSHA of its single-call script, auto-pipelined. */
interface SingleCalls {
  rl: Single;
  rel: Single;
  q: Single;
}

describe('RedisCounterStore batching the calls of one turn', { skip }, () => {
  const client = new Redis(testRedisUrl, { maxRetriesPerRequest: 0, enableAutoPipelining: true });
  client.defineCommand('rl', { numberOfKeys: 1, lua: rateLimitScript });
  client.defineCommand('rel', { numberOfKeys: 1, lua: releaseScript });
  client.defineCommand('q', { numberOfKeys: 1, lua: quotaScript });
  const single = client as unknown as SingleCalls;
  const stores: RedisCounterStore[] = [];
  const store = async (service: string) => {
    const s = new RedisCounterStore(testRedisUrl, { keyPrefix: counterKeyPrefix(service) });
    stores.push(s);
    assert.ok(await s.whenConnected(10_000));
    return s;
  };
  after(async () => {
    for (const s of stores) await s.close();
    client.disconnect();
    await deleteRedisKeys(`gatehouse:${tag}*`);
  });

  it('answers and stores exactly as one script per call, for a turn of mixed calls', async () => {
    const batched = await store(`${tag}-new`);
    const oldPrefix = counterKeyPrefix(`${tag}-old`);
    const now = Date.now();
    const grace = '60000';
    const n = (x: number) => (x === Infinity ? 'inf' : String(x));
    // Several turns; each mixes counting, refusals (limit 7 on four keys), peeks, releases and quotas.
    for (let turn = 0; turn < 4; turn++) {
      const t = now + turn * 250;
      const newCalls: Array<Promise<unknown>> = [];
      const oldCalls: Array<Promise<unknown>> = [];
      for (let i = 0; i < 40; i++) {
        const k = `k${i % 4}`;
        const kind = i % 5;
        if (kind <= 1) {
          newCalls.push(batched.rateLimit(k, 7, 10_000, 1, t));
          oldCalls.push(single.rl(`${oldPrefix}rl:${k}`, '7', '10000', '1', n(t), grace, 'count').then(asRateLimit));
        } else if (kind === 2) {
          newCalls.push(batched.peekRateLimit(k, 7, 10_000, t));
          oldCalls.push(single.rl(`${oldPrefix}rl:${k}`, '7', '10000', '0', n(t), grace, 'peek').then(asRateLimit));
        } else if (kind === 3) {
          newCalls.push(batched.releaseRateLimit(k, 1, t));
          oldCalls.push(single.rel(`${oldPrefix}rl:${k}`, '1', n(t)).then(() => undefined));
        } else {
          newCalls.push(batched.quota(k, 5, 1, now, Infinity, t));
          oldCalls.push(single.q(`${oldPrefix}q:${k}`, '5', '1', n(now), 'inf', n(t), grace, 'quota').then(asQuota));
        }
      }
      newCalls.push(batched.addToQuota('k0', 2, now, Infinity));
      oldCalls.push(single.q(`${oldPrefix}q:k0`, '0', '2', n(now), 'inf', '0', grace, 'add').then(() => undefined));
      assert.deepEqual(await Promise.all(newCalls), await Promise.all(oldCalls), `turn ${turn}`);
    }
    const newPrefix = counterKeyPrefix(`${tag}-new`);
    for (let i = 0; i < 4; i++) {
      for (const kind of ['rl', 'q']) {
        const stored = await client.get(`${newPrefix}${kind}:k${i}`);
        assert.ok(stored, `${kind}:k${i} stored`);
        assert.equal(stored, await client.get(`${oldPrefix}${kind}:k${i}`), `${kind}:k${i}`);
      }
    }
  });

  it('counts exactly the limit when one turn holds more calls than one script', async () => {
    const batched = await store(`${tag}-many`);
    const now = Date.now();
    const calls = Array.from({ length: maxCallsPerScript * 2 + 50 }, () => batched.rateLimit('k', 300, 60_000, 1, now));
    const results = await Promise.all(calls);
    assert.equal(results.filter((r) => r.allowed).length, 300);
    // In call order: the first 300 admitted, the rest refused.
    assert.ok(results.slice(0, 300).every((r) => r.allowed));
    assert.deepEqual(results.slice(0, 3).map((r) => r.remaining), [299, 298, 297]);
  });

  it('fails only the call whose counter is unreadable; the others of its turn are answered', async () => {
    const service = `${tag}-broken`;
    const batched = await store(service);
    await client.set(`${counterKeyPrefix(service)}rl:broken`, 'not numbers');
    const now = Date.now();
    const [before, broken, afterIt] = await Promise.allSettled([
      batched.rateLimit('fine', 5, 60_000, 1, now),
      batched.rateLimit('broken', 5, 60_000, 1, now),
      batched.rateLimit('fine', 5, 60_000, 1, now),
    ]);
    assert.deepEqual(before, { status: 'fulfilled', value: { allowed: true, remaining: 4, retryAfterMs: 0 } });
    assert.equal(broken.status, 'rejected');
    assert.ok((broken as PromiseRejectedResult).reason instanceof CounterStoreUnavailableError);
    assert.match(String((broken as PromiseRejectedResult).reason.message), /not a number/);
    assert.deepEqual(afterIt, { status: 'fulfilled', value: { allowed: true, remaining: 3, retryAfterMs: 0 } });
  });
});

function parsedNumber(text: string): number {
  return text === 'inf' ? Infinity : text === '-inf' ? -Infinity : Number(text);
}
function asRateLimit(reply: unknown) {
  const r = reply as [number, string, string];
  return { allowed: r[0] === 1, remaining: parsedNumber(r[1]), retryAfterMs: parsedNumber(r[2]) };
}
function asQuota(reply: unknown) {
  const r = reply as [number, string, string];
  return { allowed: r[0] === 1, remaining: parsedNumber(r[1]), resetInMs: parsedNumber(r[2]) };
}
