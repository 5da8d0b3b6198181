/**
 * Live configuration (issue 3 §5, DESIGN.md "Compile once, run many"): the gateway follows the
 * store. Every committed write bumps `store.version()`; a cheap poll (every 200 ms by default)
 * notices it, reads the entities, builds the configuration and the snapshot on the side and
 * swaps it in. A version that fails to convert or compile is logged once and never reaches the
 * gateway, which keeps serving the last good snapshot until a later version compiles.
 */
import type { EntityStore } from '../core/entity-store.js';
import type { Logger } from '../core/logger.js';
import type { ServiceConfig } from '../model/resources.js';
import { readStoreConfig } from '../management/store-config/read-store-config.js';
import type { SecretSealer } from '../management/arm/secret-sealer.js';
import type { GatewayRuntime } from './gateway-runtime.js';

export interface LiveConfigOptions {
  store: EntityStore;
  sealer: Pick<SecretSealer, 'open'>;
  serviceName: string;
  runtime: GatewayRuntime;
  logger: Logger;
  /** The store version the running snapshot was built from. */
  servedVersion: number;
  intervalMs?: number;
  /** Told about each configuration swapped in (protocol-hints.ts). */
  onApplied?: (config: ServiceConfig) => void;
}

export interface LiveConfig {
  /** Checks the store now and swaps when it changed; resolves true when a new snapshot went in. */
  check(): Promise<boolean>;
  /**
   * Resolves once the gateway serves store version `version` or a later one (true), or once that
   * version failed to apply (false): what a reload that wrote the store waits for.
   */
  reach(version: number): Promise<boolean>;
  /** The store version the gateway serves. */
  readonly servedVersion: number;
  close(): Promise<void>;
}

/** Starts following the store. */
export function followStore(options: LiveConfigOptions): LiveConfig {
  const { store, runtime, logger } = options;
  const interval = options.intervalMs ?? 200;
  let served = options.servedVersion;
  // The version that last failed: not retried until the store changes again.
  let failed = -1;
  let running: Promise<boolean> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const run = async (): Promise<boolean> => {
    let version: number;
    try {
      version = await store.version();
    } catch (err) {
      logger.warn({ err }, 'cannot read the store version; the gateway keeps its configuration');
      return false;
    }
    if (version === served || version === failed) return false;
    const started = performance.now();
    try {
      const read = await readStoreConfig(store, {
        serviceName: options.serviceName,
        sealer: options.sealer,
        log: (m) => logger.debug(m),
        // One unreadable resource is left out, not the whole change (service-config-from-entities.ts).
        onSkipped: (id, reason) => logger.warn({ version, resource: id, reason }, 'stored resource cannot be served and is left out of the gateway configuration'),
      });
      runtime.reload(read.config);
      served = read.version;
      options.onApplied?.(read.config);
      logger.info({ version: read.version, snapshot: runtime.snapshots.current.version, ms: Math.round(performance.now() - started) }, 'configuration changed in the store; new snapshot swapped in');
      return true;
    } catch (err) {
      failed = version;
      logger.error({ version, error: err instanceof Error ? err.message : String(err) }, 'store configuration not applied, the gateway keeps the previous one');
      return false;
    }
  };

  const check = (): Promise<boolean> => {
    running ??= run().finally(() => {
      running = null;
    });
    return running;
  };

  const schedule = (): void => {
    if (closed) return;
    timer = setTimeout(() => {
      void check().finally(schedule);
    }, interval);
    // Polling alone must not keep the process alive.
    timer.unref();
  };
  schedule();

  return {
    check,
    async reach(version) {
      // A poll already running may have read the version before `version` was committed: its
      // run ends first, and the next one reads `version` (or a later one) and serves or fails it.
      for (let runs = 0; runs < 2 && served < version && failed < version; runs++) await check();
      return served >= version;
    },
    get servedVersion() {
      return served;
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
