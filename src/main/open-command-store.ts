/**
 * What `gatehouse import` and `gatehouse export` work on: the store `--store` names (SQLite in
 * the `--data` folder by default, or PostgreSQL) and the secret box of the data folder's
 * encryption key (or GATEHOUSE_ENCRYPTION_KEY), the same ones `gatehouse start` uses.
 */
import { resolve } from 'node:path';
import type { EntityStore } from '../core/entity-store.js';
import type { SecretSealer } from '../management/arm/secret-sealer.js';
import { openSecretBox } from '../store/encryption-key.js';
import { openEntityStore } from './open-entity-store.js';
import { parseStoreOption, StoreOptionError } from './store-option.js';
import { UsageError } from './start-options.js';

export interface CommandStore {
  store: EntityStore;
  sealer: SecretSealer;
  /** Where the store is (no password), for the summary line. */
  description: string;
}

/** Opens the store and secret box for `--data`/`--store` (environment twins GATEHOUSE_DATA, GATEHOUSE_STORE). */
export async function openCommandStore(data: string | undefined, storeText: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<CommandStore> {
  const dataDir = resolve(data ?? (env.GATEHOUSE_DATA || '.gatehouse'));
  let choice;
  try {
    choice = parseStoreOption(storeText ?? (env.GATEHOUSE_STORE || undefined), env);
  } catch (err) {
    if (err instanceof StoreOptionError) throw new UsageError(err.message);
    throw err;
  }
  const { box } = await openSecretBox({ dataDir, env });
  const opened = await openEntityStore(choice, dataDir);
  return { store: opened.store, sealer: box, description: opened.description };
}
