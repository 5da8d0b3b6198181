/**
 * Reloads the configuration folder into a running gateway: loads the folder (in a worker thread,
 * off the event loop that serves requests), builds the new snapshot on the side and swaps it in (DESIGN.md "Compile once, run many"). A folder that
 * fails to load or compile is logged with its file and reason and never replaces the last good
 * snapshot. Requests for a reload while one runs are coalesced into one more run afterwards.
 */
import type { Logger } from '../core/logger.js';
import type { ServiceConfig } from '../model/resources.js';
import { ConfigFolderError, type GeneratedKeys } from '../management/apiops/load-apiops-folder.js';
import { SnapshotBuildError } from '../gateway/snapshot/snapshot-error.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import { FolderLoaderThread } from './load-folder-off-thread.js';

export interface ConfigReloaderOptions {
  /** The APIOps folder (absolute). */
  dir: string;
  serviceName: string;
  runtime: GatewayRuntime;
  logger: Logger;
  /** Operator output (stdout): generated keys of subscriptions added by a reload. */
  print: (line: string) => void;
  /** Keys the first load generated, kept so callers' keys survive reloads. */
  generatedKeys: readonly GeneratedKeys[];
  /** Told about each configuration swapped in (protocol-hints.ts). */
  onApplied?: (config: ServiceConfig) => void;
}

export interface ConfigReloader {
  /** Reloads after any reload in progress; resolves true when a new snapshot was swapped in. */
  reload(reason: string): Promise<boolean>;
  /** Stops the loader thread. */
  close(): Promise<void>;
}

/** Creates the reloader for one folder and gateway. */
export function createConfigReloader(options: ConfigReloaderOptions): ConfigReloader {
  const { dir, serviceName, runtime, logger, print } = options;
  let keys = new Map(options.generatedKeys.map((k) => [k.subscription, k]));
  const loader = new FolderLoaderThread();
  let active: Promise<boolean> | null = null;
  let queued: Promise<boolean> | null = null;

  const run = async (reason: string): Promise<boolean> => {
    const started = performance.now();
    try {
      // The loader's notices (skipped folders …) were logged at start; repeating them on every save is noise.
      const loaded = await loader.load(dir, serviceName, keys, (message) => logger.debug(message));
      loaded.config.serviceName = serviceName;
      runtime.reload(loaded.config);
      options.onApplied?.(loaded.config);
      for (const generated of loaded.generatedKeys) {
        if (!keys.has(generated.subscription)) {
          print(`  subscription '${generated.subscription}' had no keys; generated primary key: ${generated.primaryKey}`);
        }
      }
      keys = new Map(loaded.generatedKeys.map((k) => [k.subscription, k]));
      logger.info(
        { reason, version: runtime.snapshots.current.version, apis: loaded.config.apis.length, ms: Math.round(performance.now() - started) },
        'configuration reloaded',
      );
      return true;
    } catch (err) {
      const located = err instanceof ConfigFolderError ? { file: err.file, error: err.reason }
        : err instanceof SnapshotBuildError ? { file: err.source, error: err.reason }
        : { error: err instanceof Error ? err.message : String(err) };
      logger.error(
        { reason, ...located },
        `configuration not reloaded, still serving the previous one: ${err instanceof Error ? err.message : String(err)}`,
      );
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
    close: () => loader.close(),
  };
}
