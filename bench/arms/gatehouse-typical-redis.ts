/**
 * Arm `gatehouse-typical-redis`: the typical set of gatehouse-typical.ts with its counters in
 * Redis (`--redis`, issue 17): every rate-limit-by-key call is one Lua script in Redis instead
 * of a question to the start process. Redis is the machine's (GATEHOUSE_BENCH_REDIS_URL, default
 * redis://127.0.0.1:6379); the arm refuses to start when it does not answer, since the gateway
 * would then count locally and the figure would measure the wrong thing.
 */
import { Redis } from 'ioredis';
import { typicalGatehouseArm } from './gatehouse-typical.js';

const benchRedisUrl = process.env.GATEHOUSE_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The bench Redis URL, once it answers PING. */
async function reachableRedis(): Promise<string> {
  const client = new Redis(benchRedisUrl, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return benchRedisUrl;
  } catch (err) {
    throw new Error(`the Redis-counters arm needs Redis at ${benchRedisUrl} (GATEHOUSE_BENCH_REDIS_URL): ${(err as Error).message}`);
  } finally {
    client.disconnect();
  }
}

export const gatehouseTypicalRedisArm = typicalGatehouseArm({
  id: 'gatehouse-typical-redis',
  label: 'Gatehouse, typical set, counters in Redis',
  description: 'The typical set with `--redis`, one gateway process (--workers 1): the rate-limit-by-key counter lives in Redis (one atomic script per call, shared by every gateway on that Redis) instead of the start process.',
  notes: ['Counters in Redis vs in-process: Redis runs on the same 2 cores as the gateway, the backend and the load generator, so its CPU is part of the price measured.'],
  redis: reachableRedis,
});
