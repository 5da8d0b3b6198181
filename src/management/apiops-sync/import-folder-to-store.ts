/**
 * `gatehouse import`: reads an APIOps extractor folder and writes its resources into the entity
 * store in ONE transaction, validated by the management REST API's own rules. A folder with an
 * error changes nothing; the error names the file and the reason (docs/import-export.md).
 */
import type { EntityStore } from '../../core/entity-store.js';
import type { ServicePath } from '../arm/arm-ids.js';
import type { SecretSealer } from '../arm/secret-sealer.js';
import type { LoadLog } from '../apiops/folder-context.js';
import { applyImportPlan } from './apply-import-plan.js';
import { readImportFolder } from './read-import-folder.js';

export interface ImportOptions {
  /** `merge` (default) writes the folder's resources over the store's; `replace` also removes what the folder does not have. */
  mode?: 'merge' | 'replace';
  /** The service name full resource ids are written with (default `gatehouse`). */
  serviceName?: string;
  /** Receives one line per folder entry not read. */
  log?: LoadLog;
  now?: () => Date;
}

export interface ImportResult {
  written: number;
  deleted: number;
  warnings: string[];
  /** Paths accepted and not read, relative to the folder. */
  ignored: string[];
  /** The store's configuration version after the import. */
  version: number;
}

/** The service path of ids written by an import (ARM ids need a subscription and resource group; these are placeholders). */
export function importServicePath(serviceName = 'gatehouse'): ServicePath {
  return { subscriptionId: '00000000-0000-0000-0000-000000000000', resourceGroup: 'gatehouse', serviceName };
}

/** Imports the folder at `dir` into `store` as `actor`; throws ConfigFolderError (store unchanged) on the first problem. */
export async function importFolderToStore(dir: string, store: EntityStore, sealer: SecretSealer, actor: string, options: ImportOptions = {}): Promise<ImportResult> {
  const plan = await readImportFolder(dir, options.log);
  const applied = await store.transaction(actor, (tx) =>
    applyImportPlan(tx, plan, {
      mode: options.mode ?? 'merge',
      service: importServicePath(options.serviceName),
      sealer,
      now: options.now ?? (() => new Date()),
    }),
  );
  return { ...applied, ignored: plan.ignored, version: await store.version() };
}
