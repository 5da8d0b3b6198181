/**
 * Live configuration (issue 3 §5, issue 17 §2, DESIGN.md "Compile once, run many"): the gateway
 * follows the store. Every committed write bumps `store.version()`. A store that pushes its
 * versions (PostgreSQL: LISTEN/NOTIFY, so a write through any instance) triggers a check at
 * once, and a slow poll (every 5 s) only catches what a lost notification missed; other stores
 * are polled every 200 ms. A check reads the entities, builds the configuration and the
 * snapshot on the side and swaps it in. A version that fails to convert or compile is logged
 * once and never reaches the gateway, which keeps serving the last good snapshot until a later
 * version compiles.
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
  /** How often the store version is polled (default: 5 s when the store pushes changes, else 200 ms). */
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

/** The poll of a store that cannot push its changes. */
export const storePollMs = 200;
/** The fallback poll of a store that pushes its changes: only a lost notification waits for it. */
export const pushedStorePollMs = 5_000;

/** Starts following the store. */
export function followStore(options: LiveConfigOptions): LiveConfig {
  const { store, runtime, logger } = options;
  const interval = options.intervalMs ?? (store.watchVersion ? pushedStorePollMs : storePollMs);
  let served = options.servedVersion;
  // The version that last failed: not retried until the store changes again.
  let failed = -1;
  let running: Promise<boolean> | null = null;
  // A check asked for while one runs: that one may have read the version before the change.
  let again = false;
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
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let swapped = false;
      do {
        again = false;
        if (await run()) swapped = true;
      } while (again && !closed);
      return swapped;
    })().finally(() => {
      running = null;
    });
    return running;
  };

  // Pushed changes: checked at once; after a lost connection, once it listens again.
  let notificationsLost = false;
  const unwatch = store.watchVersion?.({
    changed(version) {
      if (version > served && version !== failed) void check();
    },
    listening() {
      if (notificationsLost) logger.info('store change notifications are back; checking the store now');
      notificationsLost = false;
      void check();
    },
    lost(reason, retryInMs) {
      // Once per outage: a database that stays away is retried quietly until it is back.
      if (!notificationsLost) logger.warn({ reason, retryInMs, pollMs: interval }, 'store change notifications lost; reconnecting, and polling the store meanwhile');
      else logger.debug({ reason, retryInMs }, 'store change notifications still unavailable; retrying');
      notificationsLost = true;
    },
  });

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
      await unwatch?.();
      await running;
    },
  };
}
