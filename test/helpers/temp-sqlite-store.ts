/**
 * A real SQLite store in a fresh temporary folder for one `describe` block: opened before its
 * tests, closed and removed after them, with a secret box to seal what it stores.
 */
import { after, before } from 'node:test';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox } from '../../src/store/secret-box.js';
import { SqliteEntityStore } from '../../src/store/sqlite-entity-store.js';

export interface TempSqliteStore {
  /** The temporary folder (the store is in `data/` below it; tests may write beside it). */
  root: string;
  box: SecretBox;
  /** The open store (from the block's `before` on). */
  store(): SqliteEntityStore;
}

/** Registers the block's hooks; call it inside `describe`. */
export function useTempSqliteStore(prefix: string): TempSqliteStore {
  const root = mkdtempSync(join(tmpdir(), prefix));
  let store: SqliteEntityStore | undefined;
  before(async () => {
    store = await SqliteEntityStore.open({ dataDir: join(root, 'data') });
  });
  after(async () => {
    await store?.close();
    rmSync(root, { recursive: true, force: true });
  });
  return {
    root,
    box: new SecretBox(randomBytes(32)),
    store() {
      if (!store) throw new Error('the temporary store is opened in before()');
      return store;
    },
  };
}
