/**
 * What `gatehouse import` and `gatehouse export` work on: the store `--store` names (SQLite in
 * the `--data` folder by default, or PostgreSQL) and the secret box of the data folder's
 * encryption key (or GATEHOUSE_ENCRYPTION_KEY), the same ones `gatehouse start` uses.
 *
 * An import may start a new store (the data folder, its key and database are created, as
 * `gatehouse start` creates them). An export only reads: a data folder, database or PostgreSQL
 * schema that does not exist, or a store that holds no service, is refused before anything is
 * created (a mistyped `--data` must not leave an empty store behind and report `0 files`).
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import type { EntityStore } from '../core/entity-store.js';
import { serviceStoreId } from '../management/arm/service-resource.js';
import type { SecretSealer } from '../management/arm/secret-sealer.js';
import { ENCRYPTION_KEY_ENV, ENCRYPTION_KEY_FILE, openSecretBox } from '../store/encryption-key.js';
import { SQLITE_FILE_NAME } from '../store/sqlite-entity-store.js';
import { openEntityStore } from './open-entity-store.js';
import { parseStoreOption, StoreOptionError, type StoreChoice } from './store-option.js';
import { UsageError } from './command-options.js';

export interface CommandStore {
  store: EntityStore;
  sealer: SecretSealer;
  /** Where the store is (no password), for the summary line. */
  description: string;
  /** True when this call created the SQLite store (a new data folder or database file). */
  created: boolean;
  /** The data folder (absolute). */
  dataDir: string;
}

/** The store asked for does not exist or holds no service; nothing was created. */
export class MissingStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingStoreError';
  }
}

export interface OpenCommandStoreOptions {
  /** Refuse a store that does not exist yet instead of creating it (export). */
  mustExist?: boolean;
}

/** Opens the store and secret box for `--data`/`--store` (environment twins GATEHOUSE_DATA, GATEHOUSE_STORE). */
export async function openCommandStore(
  data: string | undefined,
  storeText: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
  options: OpenCommandStoreOptions = {},
): Promise<CommandStore> {
  const dataDir = resolve(data ?? (env.GATEHOUSE_DATA || '.gatehouse'));
  let choice;
  try {
    choice = parseStoreOption(storeText ?? (env.GATEHOUSE_STORE || undefined), env);
  } catch (err) {
    if (err instanceof StoreOptionError) throw new UsageError(err.message);
    throw err;
  }
  const created = choice.kind === 'sqlite' && !existsSync(join(dataDir, SQLITE_FILE_NAME));
  if (options.mustExist) await checkStoreExists(choice, dataDir);
  const sealer = options.mustExist ? await existingSealer(dataDir, env) : (await openSecretBox({ dataDir, env })).box;
  const opened = await openEntityStore(choice, dataDir);
  if (options.mustExist && !(await opened.store.get(serviceStoreId))) {
    await opened.store.close();
    throw new MissingStoreError(`${opened.description} holds no Gatehouse service (nothing was ever started or imported there); check --data / --store`);
  }
  return { store: opened.store, sealer, description: opened.description, created, dataDir };
}

/** Refuses a data folder, database file or PostgreSQL schema that is not there, before opening creates it. */
async function checkStoreExists(choice: StoreChoice, dataDir: string): Promise<void> {
  if (choice.kind === 'sqlite') {
    const info = statSync(dataDir, { throwIfNoEntry: false });
    if (!info) throw new MissingStoreError(`the data folder ${dataDir} does not exist; check --data (or GATEHOUSE_DATA)`);
    if (!info.isDirectory()) throw new MissingStoreError(`the data folder ${dataDir} is not a folder; check --data (or GATEHOUSE_DATA)`);
    if (!existsSync(join(dataDir, SQLITE_FILE_NAME))) throw new MissingStoreError(`the data folder ${dataDir} holds no store (${SQLITE_FILE_NAME} is missing); check --data (or GATEHOUSE_DATA)`);
    return;
  }
  const client = new pg.Client({ connectionString: choice.connectionString });
  try {
    await client.connect();
    const found = await client.query('SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2', [choice.schema, 'entities']);
    if (found.rowCount === 0) throw new MissingStoreError(`PostgreSQL schema '${choice.schema}' holds no Gatehouse store; check --store (or GATEHOUSE_STORE_SCHEMA)`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The key of an existing store, without generating one: a store whose data folder has no key
 * file (a PostgreSQL store used from another folder) can still be exported without secrets.
 */
async function existingSealer(dataDir: string, env: NodeJS.ProcessEnv): Promise<SecretSealer> {
  const keyFile = join(dataDir, ENCRYPTION_KEY_FILE);
  if ((env[ENCRYPTION_KEY_ENV] ?? '').trim() !== '' || existsSync(keyFile)) return (await openSecretBox({ dataDir, env })).box;
  const missing = (): never => {
    throw new MissingStoreError(`no encryption key to open the store's secrets: set ${ENCRYPTION_KEY_ENV} or use the --data folder holding ${ENCRYPTION_KEY_FILE}`);
  };
  return { seal: missing, open: missing };
}
