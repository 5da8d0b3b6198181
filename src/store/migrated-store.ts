/** Opening a store means migrating it; a store whose migration fails is closed, not returned. */
import type { EntityStore } from '../core/entity-store.js';

/** Runs the store's migrations and returns it, closing it when they fail. */
export async function migratedStore<T extends Pick<EntityStore, 'migrate' | 'close'>>(store: T): Promise<T> {
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}
