/**
 * The machine's Redis for tests (127.0.0.1:6379; GATEHOUSE_TEST_REDIS_URL points elsewhere) and a
 * key prefix no other test run shares. Absent Redis fails under CI=true and skips with a printed
 * reason elsewhere (DESIGN.md "Tests").
 */
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const testRedisUrl = process.env.GATEHOUSE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A prefix (or service name part) unique to this test run. */
export function uniqueRedisTag(): string {
  return `t${process.pid}x${randomBytes(4).toString('hex')}`;
}

/** Undefined when Redis answers, else why the Redis tests are skipped (a failing test under CI=true). */
export async function redisSkipReason(what: string): Promise<string | undefined> {
  const client = new Redis(testRedisUrl, { lazyConnect: true, connectTimeout: 3000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  let reason: string | undefined;
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    reason = `Redis at ${testRedisUrl} is unreachable (${(err as Error).message})`;
  } finally {
    client.disconnect();
  }
  if (reason === undefined) return undefined;
  if (process.env.CI === 'true') it(`reaches Redis (required in CI for ${what})`, () => assert.fail(reason));
  else console.log(`# skipping ${what}: ${reason}`);
  return reason;
}

/** Deletes every key under `prefix` (a test's own). */
export async function deleteRedisKeys(pattern: string): Promise<void> {
  const client = new Redis(testRedisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
