/**
 * The CacheStore contract every implementation passes (DESIGN.md "Ports, not globals"): values
 * come back byte for byte, expire after their time to live, are replaced and deleted, and
 * keys never collide.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CacheStore } from '../../src/core/ports.js';
import { waitFor } from '../e2e/helpers/wait-for.js';

export function cacheStoreConformance(name: string, open: () => CacheStore | Promise<CacheStore>, options: { skip?: string | undefined } = {}): void {
  describe(`${name} cache store (conformance)`, { skip: options.skip }, () => {
    it('gives back what was stored, byte for byte, and misses on an unknown key', async () => {
      const store = await open();
      const bytes = Buffer.from([0, 1, 2, 255, 10, 13]);
      await store.set('k1', bytes, 60_000);
      assert.deepEqual(await store.get('k1'), bytes);
      assert.equal(await store.get('k2'), undefined);
    });

    it('replaces a value and deletes one', async () => {
      const store = await open();
      await store.set('k', Buffer.from('one'), 60_000);
      await store.set('k', Buffer.from('two'), 60_000);
      assert.equal((await store.get('k'))?.toString(), 'two');
      await store.delete('k');
      assert.equal(await store.get('k'), undefined);
      await store.delete('never-stored');
    });

    it('forgets a value once its time to live ends', async () => {
      const store = await open();
      await store.set('short', Buffer.from('x'), 200);
      await store.set('long', Buffer.from('y'), 60_000);
      await waitFor('the short-lived entry to expire', async () => (await store.get('short')) === undefined, undefined, 20_000);
      assert.equal((await store.get('long'))?.toString(), 'y');
    });

    it('keeps no value for a time to live of 0', async () => {
      const store = await open();
      await store.set('zero', Buffer.from('x'), 0);
      assert.equal(await store.get('zero'), undefined);
    });
  });
}
