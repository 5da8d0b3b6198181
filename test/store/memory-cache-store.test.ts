import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryCacheStore } from '../../src/store/memory-cache-store.js';
import { manualClock } from '../helpers/policy-harness.js';
import { cacheStoreConformance } from './cache-store-conformance.js';

cacheStoreConformance('in-memory', () => new MemoryCacheStore());

/** What one entry of `key` with a value of `valueBytes` costs (key, value and the fixed overhead). */
const cost = (key: string, valueBytes: number) => Buffer.byteLength(key) + valueBytes + 64;

describe('MemoryCacheStore: bounded by bytes, least recently used out first', () => {
  it('evicts the least recently used entry when a new one would pass the bound', async () => {
    const store = new MemoryCacheStore(cost('a', 100) * 3);
    for (const key of ['a', 'b', 'c']) await store.set(key, Buffer.alloc(100), 60_000);
    // Reading `a` makes `b` the least recently used.
    assert.ok(await store.get('a'));
    await store.set('d', Buffer.alloc(100), 60_000);
    assert.equal(await store.get('b'), undefined);
    for (const key of ['a', 'c', 'd']) assert.ok(await store.get(key), key);
    assert.equal(store.usedBytes, cost('a', 100) * 3);
  });

  it('never holds more bytes than its bound, and refuses an entry larger than the whole cache', async () => {
    const store = new MemoryCacheStore(10_000);
    for (let i = 0; i < 500; i++) {
      await store.set(`key-${i}`, Buffer.alloc(1 + (i % 700)), 60_000);
      assert.ok(store.usedBytes <= 10_000, `after ${i + 1} stores: ${store.usedBytes} bytes`);
    }
    await store.set('huge', Buffer.alloc(20_000), 60_000);
    assert.equal(await store.get('huge'), undefined);
  });

  it('gives back the bytes of a replaced or deleted entry', async () => {
    const store = new MemoryCacheStore();
    await store.set('k', Buffer.alloc(1000), 60_000);
    await store.set('k', Buffer.alloc(10), 60_000);
    assert.equal(store.usedBytes, cost('k', 10));
    await store.delete('k');
    assert.equal(store.usedBytes, 0);
  });

  it('expires on the gateway clock, to the millisecond', async () => {
    const clock = manualClock();
    const store = new MemoryCacheStore(1 << 20, clock);
    await store.set('k', Buffer.from('v'), 5_000);
    clock.advance(4_999);
    assert.equal((await store.get('k'))?.toString(), 'v');
    clock.advance(1);
    assert.equal(await store.get('k'), undefined);
    assert.equal(store.usedBytes, 0);
  });

  it('keeps its own copy: changing the stored buffer afterwards changes nothing', async () => {
    const store = new MemoryCacheStore();
    const bytes = Buffer.from('abc');
    await store.set('k', bytes, 60_000);
    bytes[0] = 0x7a;
    assert.equal((await store.get('k'))?.toString(), 'abc');
  });
});
