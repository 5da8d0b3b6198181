/**
 * `start --config DIR` (issue 14 §1): the folder is an import into the store, which stays the
 * gateway's only source. At start and at each reload (`--watch`, SIGHUP) the folder is imported
 * exactly as `gatehouse import` does (one transaction, the management API's own validation),
 * remembering in the store what it wrote so an artifact removed from the folder is removed from
 * the store (folder-import-record.ts); the gateway picks the new store version up through
 * live-config.ts. A folder that is refused changes nothing: at start the error propagates (exit
 * 1), on reload it is logged with its file and the store and gateway keep the last good state.
 * Reload requests while one runs are coalesced into one more run afterwards.
 */
import type { EntityStore } from '../core/entity-store.js';
import type { Logger } from '../core/logger.js';
import type { SecretProvider } from '../core/secret-provider.js';
import { ConfigFolderError } from '../management/apiops/config-folder-error.js';
import { totalCounts } from '../management/apiops-sync/import-counts.js';
import { importFolderToStore, type ImportResult } from '../management/apiops-sync/import-folder-to-store.js';
import type { SecretSealer } from '../management/arm/secret-sealer.js';
import type { LiveConfig } from './live-config.js';

/** The audit log's actor for what `start --config` writes. */
const actor = 'start --config';

export interface FolderImportOptions {
  /** The APIOps folder (absolute). */
  dir: string;
  store: EntityStore;
  sealer: SecretSealer;
  /** Reads Key Vault named values' secrets, as the management API does at PUT. */
  secrets: SecretProvider;
  serviceName: string;
  logger: Logger;
  /** Told after each resource is written (the progress line at start). */
  progress?: (done: number, total: number) => void;
}

/** Imports the folder once; throws ConfigFolderError (store unchanged) when it is refused. */
export function importConfigFolder(options: FolderImportOptions, log: (line: string) => void): Promise<ImportResult> {
  return importFolderToStore(options.dir, options.store, options.sealer, actor, {
    mode: 'merge',
    tracked: true,
    serviceName: options.serviceName,
    // An empty folder is a valid configuration here: it removes what it imported before.
    force: true,
    log,
    progress: options.progress,
    secrets: options.secrets,
  });
}

/** `1 created, 0 updated, 3 unchanged, 0 removed`. */
export function importCountsText(result: ImportResult): string {
  const c = totalCounts(result.counts);
  return `${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.removed} removed`;
}

/** The line printed for a subscription the import created without keys (shown once: later imports keep its keys). */
export function generatedKeyLine(key: { subscription: string; primaryKey: string }): string {
  return `  subscription '${key.subscription}' had no keys; generated primary key: ${key.primaryKey}`;
}

export interface FolderReimporter {
  /** Re-imports after any run in progress; resolves true once the gateway serves the import. */
  reload(reason: string): Promise<boolean>;
  /** Refuses later reloads and waits for the runs in progress (the store closes after). */
  close(): Promise<void>;
}

/** Re-imports the folder on request and waits for `live` to serve the result. */
export function createFolderReimporter(options: FolderImportOptions & { live: LiveConfig; print: (line: string) => void }): FolderReimporter {
  const { logger, live, print } = options;
  let active: Promise<boolean> | null = null;
  let queued: Promise<boolean> | null = null;
  let closed = false;

  const run = async (reason: string): Promise<boolean> => {
    if (closed) return false;
    const started = performance.now();
    try {
      // The reader's notices (folders not read …) were logged at start; repeating them on every save is noise.
      const result = await importConfigFolder(options, (line) => logger.debug(line));
      for (const key of result.generatedKeys) print(generatedKeyLine(key));
      for (const warning of result.warnings) logger.warn(warning);
      const served = await live.reach(result.version);
      if (!served) {
        logger.error({ reason, version: result.version }, 'the folder was imported, but the store configuration does not compile; the gateway keeps the previous one');
        return false;
      }
      logger.info(
        { reason, version: result.version, changes: importCountsText(result), ms: Math.round(performance.now() - started) },
        'configuration reloaded',
      );
      return true;
    } catch (err) {
      const located = err instanceof ConfigFolderError ? { file: err.file, error: err.reason } : { error: err instanceof Error ? err.message : String(err) };
      logger.error({ reason, ...located }, `configuration not reloaded, the store and the gateway keep the previous one: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  };

  const start = (reason: string): Promise<boolean> => {
    const current: Promise<boolean> = run(reason).finally(() => {
      if (active === current) active = null;
    });
    active = current;
    return current;
  };

  return {
    reload(reason) {
      // A queued run has not read the folder yet, so it will see this change too.
      if (queued) return queued;
      if (!active) return start(reason);
      const next = active.then(() => {
        queued = null;
        return start(reason);
      });
      queued = next;
      return next;
    },
    async close() {
      closed = true;
      await (queued ?? active);
    },
  };
}
