/** A new SQLite store in a temporary folder for one piece of a test, closed and removed after it. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEntityStore } from '../../../src/store/sqlite-entity-store.js';

/** Runs `work` on a fresh store; the store is closed and its folder removed whatever happens. */
export async function withFreshStore(work: (store: SqliteEntityStore) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-store-'));
  const store = await SqliteEntityStore.open({ dataDir: dir });
  try {
    await work(store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
