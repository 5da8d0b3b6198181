/**
 * `gatehouse import`: reads an APIOps extractor folder and writes its resources into the entity
 * store in ONE transaction, validated by the management REST API's own rules. A folder with an
 * error changes nothing; the error names the file and the reason (docs/import-export.md).
 *
 * A folder in which nothing is recognised (an empty folder, a folder that is not an APIOps
 * extract at all) is refused unless `force` is set: in replace mode it would remove everything.
 */
import { resolve } from 'node:path';
import type { EntityStore, EntityTransaction } from '../../core/entity-store.js';
import type { SecretProvider } from '../../core/secret-provider.js';
import type { ServicePath } from '../arm/arm-ids.js';
import type { SecretSealer } from '../arm/secret-sealer.js';
import { ConfigFolderError } from '../apiops/config-folder-error.js';
import type { LoadLog } from '../apiops/folder-context.js';
import { applyImportPlan } from './apply-import-plan.js';
import { readFolderImportRecord, writeFolderImportRecord } from './folder-import-record.js';
import type { CountsByKind } from './import-counts.js';
import { plainWriteLists, type ImportPlan } from './import-plan.js';
import { readFolderSecrets } from './read-folder-secrets.js';
import { readImportFolder } from './read-import-folder.js';

export interface ImportOptions {
  /** `merge` (default) writes the folder's resources over the store's; `replace` also removes what the folder does not have. */
  mode?: 'merge' | 'replace';
  /** The service name full resource ids are written with (default `gatehouse`). */
  serviceName?: string;
  /** Receives one line per folder entry not read. */
  log?: LoadLog;
  now?: () => Date;
  /** Import a folder with nothing recognised, and replace even when that removes more than the folder holds. */
  force?: boolean;
  /** Called after each resource of the folder is written (or found unchanged). */
  progress?: (done: number, total: number) => void;
  /** Receives what a forced replace removes beyond the folder's size, before it is removed. */
  notice?: (line: string) => void;
  /** Reads the secrets of Key Vault named values; without it they are stored unread (lastStatus `NotResolved`). */
  secrets?: SecretProvider;
  /**
   * `start --config`: remember in the store what this import wrote, and remove what the last
   * import of the same folder wrote that the folder no longer has (merge mode only).
   */
  tracked?: boolean;
}

/** A subscription this import created without keys in the folder: the key the store generated. */
export interface GeneratedKey {
  subscription: string;
  primaryKey: string;
}

export interface ImportResult {
  /** Per stored kind: created, updated, unchanged, removed. */
  counts: CountsByKind;
  warnings: string[];
  /** Paths accepted and not read, relative to the folder. */
  ignored: string[];
  /** The store's configuration version after the import. */
  version: number;
  /** Subscriptions created by this import whose folder gave no primary key, with the generated one. */
  generatedKeys: GeneratedKey[];
}

/** The service path of ids written by an import (ARM ids need a subscription and resource group; these are placeholders). */
export function importServicePath(serviceName = 'gatehouse'): ServicePath {
  return { subscriptionId: '00000000-0000-0000-0000-000000000000', resourceGroup: 'gatehouse', serviceName };
}

/** How many resources the plan describes (API children and links included). */
export function plannedResourceCount(plan: ImportPlan): number {
  const simple = plainWriteLists(plan).reduce((n, list) => n + list.length, 0);
  const users = plan.users.reduce((n, u) => n + 1 + u.groups.length, 0);
  const apis = plan.apis.reduce((n, a) => n + 1 + a.children.length + a.releases.length, 0);
  return simple + users + apis + (plan.globalPolicy ? 1 : 0);
}

/** Imports the folder at `dir` into `store` as `actor`; throws ConfigFolderError (store unchanged) on the first problem. */
export async function importFolderToStore(dir: string, store: EntityStore, sealer: SecretSealer, actor: string, options: ImportOptions = {}): Promise<ImportResult> {
  const plan = await readImportFolder(dir, options.log);
  if (plannedResourceCount(plan) === 0 && !options.force) {
    const skipped = plan.ignored.length > 0 ? ` (${plan.ignored.length} entries not recognised)` : '';
    throw new ConfigFolderError(
      dir,
      `no APIOps artifact found${skipped}: expected apis/, products/, named values/, … with their information files, or a policy.xml. Nothing was changed; use --force to import it anyway${options.mode === 'replace' ? ' (a replace then removes everything stored)' : ''}`,
    );
  }
  const now = options.now ?? (() => new Date());
  const secrets = await readFolderSecrets(plan.namedValues, options.secrets, now, plan.certificates);
  const mode = options.mode ?? 'merge';
  if (options.tracked && mode !== 'merge') throw new Error('a tracked import is a merge');
  const folder = resolve(dir);
  const applied = await store.transaction(actor, async (tx) => {
    const keyless = await keylessNewSubscriptions(tx, plan);
    const result = await applyImportPlan(tx, plan, {
      mode,
      service: importServicePath(options.serviceName),
      sealer,
      now,
      force: options.force,
      progress: options.progress,
      notice: options.notice,
      secretReads: secrets.reads,
      previouslyImported: options.tracked ? await readFolderImportRecord(tx, folder) : undefined,
    });
    if (options.tracked) await writeFolderImportRecord(tx, folder, result.planned);
    const generatedKeys: GeneratedKey[] = [];
    for (const [id, subscription] of keyless) {
      const stored = await tx.get(id);
      if (typeof stored?.body.primaryKey === 'string') generatedKeys.push({ subscription, primaryKey: sealer.open(stored.body.primaryKey) });
    }
    return { counts: result.counts, warnings: result.warnings, generatedKeys };
  });
  return { ...applied, warnings: [...secrets.warnings, ...applied.warnings], ignored: plan.ignored, version: await store.version() };
}

/** Subscriptions of the plan the store does not have yet and the folder gives no primary key: the store generates one (kinds/subscription.ts). */
async function keylessNewSubscriptions(tx: EntityTransaction, plan: ImportPlan): Promise<Map<string, string>> {
  const keyless = new Map<string, string>();
  for (const w of plan.subscriptions) {
    const id = w.segments.join('/');
    if (typeof w.properties.primaryKey !== 'string' && !(await tx.get(id))) keyless.set(id, w.segments[1]!);
  }
  return keyless;
}
