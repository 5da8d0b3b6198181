/** Reads the store's whole content as the gateway's configuration, with the version it was read at. */
import type { EntityStore } from '../../core/entity-store.js';
import type { ServiceConfig } from '../../model/resources.js';
import { serviceConfigFromEntities, type EntitiesToConfigOptions } from './service-config-from-entities.js';

export interface StoreConfig {
  config: ServiceConfig;
  /** The store version read before the entities: a later change bumps it past this. */
  version: number;
}

/** Reads every entity and builds the configuration; throws ConfigFolderError for an entity the readers refuse. */
export async function readStoreConfig(store: EntityStore, options: EntitiesToConfigOptions): Promise<StoreConfig> {
  // Version first: a write landing between the two reads is seen again on the next poll.
  const version = await store.version();
  const entities = await store.all();
  return { config: serviceConfigFromEntities(entities, options), version };
}
