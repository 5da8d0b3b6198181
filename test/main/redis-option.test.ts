/**
 * `--redis` and its `GATEHOUSE_REDIS` twin: none by default, a redis:// or rediss:// URL kept as
 * given, and a start refused with a message naming the flag (and never repeating the URL, which
 * may hold a password) otherwise; and `--redis-counter-fallback local|refuse`, which needs it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseStartOptions, UsageError } from '../../src/main/start-options.js';

describe('--redis', () => {
  it('is unset by default, and no longer listed as not built', () => {
    const options = parseStartOptions([], {});
    assert.equal(options.redis, undefined);
    assert.equal(parseStartOptions(['--redis', 'redis://127.0.0.1:6379'], {}).redis, 'redis://127.0.0.1:6379');
  });

  it('takes a redis:// or rediss:// URL from the flag or its environment twin (the flag wins)', () => {
    assert.equal(parseStartOptions(['--redis', 'redis://127.0.0.1:6379/2'], {}).redis, 'redis://127.0.0.1:6379/2');
    assert.equal(parseStartOptions([], { GATEHOUSE_REDIS: 'rediss://cache.example:6380' }).redis, 'rediss://cache.example:6380');
    assert.equal(parseStartOptions(['--redis', 'redis://a:1'], { GATEHOUSE_REDIS: 'redis://b:2' }).redis, 'redis://a:1');
  });

  it('refuses what is not a usable Redis URL, without echoing it', () => {
    for (const text of ['127.0.0.1:6379', 'http://127.0.0.1:6379', 'redis://', 'redis://:pw@h:6379/db', 'redis://u:s3cret@h:99999']) {
      assert.throws(
        () => parseStartOptions(['--redis', text], {}),
        (err: Error) => err instanceof UsageError && err.message.startsWith('Invalid --redis: ') && !err.message.includes('s3cret'),
        text,
      );
    }
    assert.throws(() => parseStartOptions([], { GATEHOUSE_REDIS: 'nope' }), (err: Error) => err instanceof UsageError && err.message.startsWith('Invalid GATEHOUSE_REDIS: '));
  });
});

describe('--redis-counter-fallback', () => {
  it('is local by default, and takes local or refuse from the flag or GATEHOUSE_REDIS_COUNTER_FALLBACK', () => {
    const redis = ['--redis', 'redis://127.0.0.1:6379'];
    assert.equal(parseStartOptions(redis, {}).redisCounterFallback, 'local');
    assert.equal(parseStartOptions([...redis, '--redis-counter-fallback', 'refuse'], {}).redisCounterFallback, 'refuse');
    assert.equal(parseStartOptions(redis, { GATEHOUSE_REDIS_COUNTER_FALLBACK: 'refuse' }).redisCounterFallback, 'refuse');
    assert.equal(parseStartOptions([...redis, '--redis-counter-fallback', 'local'], { GATEHOUSE_REDIS_COUNTER_FALLBACK: 'refuse' }).redisCounterFallback, 'local');
  });

  it('refuses another mode, and a fallback without --redis, naming where the value came from', () => {
    assert.throws(
      () => parseStartOptions(['--redis', 'redis://h:1', '--redis-counter-fallback', 'ignore'], {}),
      (err: Error) => err instanceof UsageError && err.message === "Invalid --redis-counter-fallback 'ignore': expected local or refuse.",
    );
    assert.throws(
      () => parseStartOptions([], { GATEHOUSE_REDIS_COUNTER_FALLBACK: 'refuse' }),
      (err: Error) => err instanceof UsageError && err.message.startsWith('GATEHOUSE_REDIS_COUNTER_FALLBACK needs --redis'),
    );
  });
});
