/** Opens the store `--store` names and runs its migrations (issue 3 §1): SQLite in the data folder or PostgreSQL. */
import type { EntityStore } from '../core/entity-store.js';
import type { GatewayHeartbeatStore } from '../core/gateway-heartbeat-store.js';
import { PostgresEntityStore } from '../store/postgres-entity-store.js';
import { SqliteEntityStore } from '../store/sqlite-entity-store.js';
import type { StoreChoice } from './store-option.js';

export interface OpenedStore {
  /** Both engines keep self-hosted gateways' heartbeats too. */
  store: EntityStore & GatewayHeartbeatStore;
  /** Where the store is, for the banner (no password). */
  description: string;
}

/** Opens and migrates the chosen store. */
export async function openEntityStore(choice: StoreChoice, dataDir: string): Promise<OpenedStore> {
  if (choice.kind === 'sqlite') {
    const store = await SqliteEntityStore.open({ dataDir });
    return { store, description: `SQLite ${store.file}` };
  }
  const store = await PostgresEntityStore.open({ connectionString: choice.connectionString, schema: choice.schema });
  const url = new URL(choice.connectionString);
  if (url.password) url.password = '***';
  return { store, description: `PostgreSQL ${url.toString()} (schema ${choice.schema})` };
}
