/**
 * Finding the entities of one list that share a key (the APIs with a given path), without each
 * write scanning the whole list: a transaction that keeps indexes (the folder import's read
 * cache, apiops-sync/read-cache.ts) answers from them, so an import of n APIs makes n lookups
 * instead of n scans of up to n APIs. Any other transaction is scanned, with the same answer.
 */
import type { EntityTransaction, StoredEntity } from '../../core/entity-store.js';

/** One complete list: a kind, under one parent or (parent absent) under all. */
export interface IndexedList {
  kind: string;
  parent?: string;
}

/** How a list is indexed: `key` gives an entity's key, or undefined to leave it out of the index. */
export interface ListIndex {
  /** Names the index: one transaction keeps one index per list and name. */
  readonly name: string;
  key(entity: StoredEntity): string | undefined;
}

/** A transaction that answers keyed lookups from indexes it keeps up to date. */
export interface KeyedLookup {
  lookup(list: IndexedList, index: ListIndex, key: string): Promise<StoredEntity[]>;
}

const keepsIndexes = (tx: EntityTransaction): tx is EntityTransaction & KeyedLookup => typeof (tx as Partial<KeyedLookup>).lookup === 'function';

/** The entities of `list` whose `index` key is `key`. */
export async function entitiesByKey(tx: EntityTransaction, list: IndexedList, index: ListIndex, key: string): Promise<StoredEntity[]> {
  if (keepsIndexes(tx)) return tx.lookup(list, index, key);
  return (await tx.list(list)).items.filter((e) => index.key(e) === key);
}
