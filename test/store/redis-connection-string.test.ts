import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RedisConnectionStringError, redisOptionsFrom } from '../../src/store/redis-connection-string.js';

describe('Redis connection strings', () => {
  it('reads redis:// and rediss:// URLs', () => {
    assert.deepEqual(redisOptionsFrom('redis://127.0.0.1:6379'), { host: '127.0.0.1', port: 6379 });
    assert.deepEqual(redisOptionsFrom('redis://user:p%40ss@cache.example:6390/3'), { host: 'cache.example', port: 6390, username: 'user', password: 'p@ss', db: 3 });
    assert.deepEqual(redisOptionsFrom('rediss://cache.example'), { host: 'cache.example', port: 6379, tls: { servername: 'cache.example' } });
  });

  it("reads Azure's StackExchange.Redis form (TLS on 6380 by default)", () => {
    assert.deepEqual(redisOptionsFrom('contoso.redis.cache.windows.net:6380,password=secret=,ssl=True,abortConnect=False'), {
      host: 'contoso.redis.cache.windows.net',
      port: 6380,
      password: 'secret=',
      tls: { servername: 'contoso.redis.cache.windows.net' },
    });
    assert.deepEqual(redisOptionsFrom('localhost,defaultDatabase=2'), { host: 'localhost', port: 6379, db: 2 });
  });

  it('refuses strings that name no usable host, without repeating them', () => {
    for (const bad of ['', '  ', 'password=x,ssl=true', 'redis://', 'redis://h:1/x', 'host:99999', 'a:b:c', 'h,defaultDatabase=x']) {
      assert.throws(() => redisOptionsFrom(bad), (err: Error) => err instanceof RedisConnectionStringError && !(bad.length > 3 && err.message.includes(bad)), bad);
    }
  });
});
