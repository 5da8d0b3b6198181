/**
 * The import's read cache answers keyed lookups (the current API with a path) from an index it
 * keeps up to date through puts and deletes, with the answers a scan of the store gives: a
 * stale index would let an import store two current APIs on one path, or refuse a free one.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EntityTransaction, StoredEntity } from '../../../src/core/entity-store.js';
import { entitiesByKey, type ListIndex } from '../../../src/management/arm/keyed-lookup.js';
import { ReadCachedTransaction } from '../../../src/management/apiops-sync/read-cache.js';
import { withFreshStore } from './fresh-store.js';

const byPath: ListIndex = { name: 'test-path', key: (e) => (e.body.isCurrent === true ? String(e.body.path) : undefined) };
const apis = { kind: 'api', parent: '' };
const ids = (entities: readonly StoredEntity[]): string[] => entities.map((e) => e.id).sort();
const api = (id: string, path: string, isCurrent = true) => ({ kind: 'api', id, parent: '', body: { path, isCurrent } });

/** What the index answers and what a scan of the uncached transaction answers, for `path`. */
async function both(cached: ReadCachedTransaction, tx: EntityTransaction, path: string): Promise<[string[], string[]]> {
  return [ids(await cached.lookup(apis, byPath, path)), ids(await entitiesByKey(tx, apis, byPath, path))];
}

describe('keyed lookups through the import read cache', () => {
  it('follow creates, path changes, revisions leaving the index and deletes, as a scan does', () =>
    withFreshStore(async (store) => {
      await store.transaction('test', async (tx) => {
        await tx.put(api('apis/a', 'one'));
        const cached = new ReadCachedTransaction(tx);
        // The index is built from what the store holds when first asked.
        assert.deepEqual(await both(cached, tx, 'one'), [['apis/a'], ['apis/a']]);

        await cached.put(api('apis/b', 'two'));
        await cached.put(api('apis/c', 'one'));
        assert.deepEqual(await both(cached, tx, 'one'), [['apis/a', 'apis/c'], ['apis/a', 'apis/c']]);

        // A changed path moves the API from one key to the other.
        await cached.put(api('apis/a', 'two'));
        assert.deepEqual(await both(cached, tx, 'one'), [['apis/c'], ['apis/c']]);
        assert.deepEqual(await both(cached, tx, 'two'), [['apis/a', 'apis/b'], ['apis/a', 'apis/b']]);

        // An entity the index leaves out (not current) leaves its key.
        await cached.put(api('apis/b', 'two', false));
        assert.deepEqual(await both(cached, tx, 'two'), [['apis/a'], ['apis/a']]);

        // Other kinds and other parents are not in the API list's index.
        await cached.put({ kind: 'operation', id: 'apis/a/operations/x', parent: 'apis/a', body: { path: 'two', isCurrent: true } });
        assert.deepEqual(await both(cached, tx, 'two'), [['apis/a'], ['apis/a']]);

        // A delete (which may remove more) rebuilds the index from the store.
        await cached.delete('apis/a');
        assert.deepEqual(await both(cached, tx, 'two'), [[], []]);
        assert.deepEqual(await both(cached, tx, 'one'), [['apis/c'], ['apis/c']]);
      });
    }));
});
