/**
 * Runs the periodic refresh of Key Vault named values and certificates in the `start` process (Azure re-reads
 * them every four hours; `--secret-refresh-interval` sets the period). A pass never overlaps
 * the previous one, a failing vault is logged (never the secret) and retried at the next
 * period, and the timer does not keep the process alive.
 */
import type { EntityStore } from '../core/entity-store.js';
import type { Logger } from '../core/logger.js';
import type { SecretProvider } from '../core/secret-provider.js';
import { refreshNamedValueSecrets, type RefreshSummary } from '../management/arm/refresh-named-value-secrets.js';
import type { SecretSealer } from '../management/arm/secret-sealer.js';
import { importServicePath } from '../management/apiops-sync/import-folder-to-store.js';

/** A running refresher. */
export interface SecretRefresher {
  /** Runs a pass now (or waits for the one running). */
  refresh(): Promise<RefreshSummary | undefined>;
  close(): Promise<void>;
}

/** Starts refreshing every `intervalMs`. */
export function startSecretRefresher(options: {
  store: EntityStore;
  sealer: SecretSealer;
  secrets: SecretProvider;
  serviceName: string;
  logger: Logger;
  intervalMs: number;
}): SecretRefresher {
  const { logger } = options;
  let running: Promise<RefreshSummary | undefined> | null = null;
  let closed = false;
  const pass = async (): Promise<RefreshSummary | undefined> => {
    try {
      const summary = await refreshNamedValueSecrets({
        store: options.store,
        sealer: options.sealer,
        secrets: options.secrets,
        service: importServicePath(options.serviceName),
        now: () => new Date(),
        actor: 'gatehouse:secret-refresh',
      });
      for (const f of summary.failed) logger.warn({ [f.kind]: f.name, code: f.code, reason: f.message }, `Key Vault ${f.kind === 'certificate' ? 'certificate' : 'named value'} not refreshed; its last good value keeps serving`);
      if (summary.read > 0) logger.info({ read: summary.read, changed: summary.changed, failed: summary.failed.length }, 'Key Vault named values and certificates refreshed');
      return summary;
    } catch (err) {
      logger.error({ err }, 'Key Vault secret refresh failed; retried at the next period');
      return undefined;
    }
  };
  const refresh = (): Promise<RefreshSummary | undefined> => {
    running ??= pass().finally(() => {
      running = null;
    });
    return running;
  };
  const timer = setInterval(() => {
    if (!closed) void refresh();
  }, options.intervalMs);
  timer.unref();
  return {
    refresh,
    async close() {
      closed = true;
      clearInterval(timer);
      await running;
    },
  };
}
