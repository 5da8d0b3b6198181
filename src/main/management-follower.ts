/**
 * A self-hosted gateway follows its management API (docs/self-hosted-gateway.md, "Following
 * changes"): every poll interval it asks for its configuration with `If-None-Match` (the ETag
 * served and the one that last failed to compile, so neither is sent again), swaps a new one in
 * and writes it to the encrypted cache. The state changes are logged once each, not every poll:
 * unreachable (fail static: the last good configuration goes on serving), reachable again, and
 * the token refused, which is logged as an error because nothing will change any more until
 * the gateway gets a new token; it keeps serving meanwhile (as Azure's self-hosted gateway does
 * until restarted) and asks again only every 30 seconds.
 */
import type { Logger } from '../core/logger.js';
import type { ServiceConfig } from '../model/resources.js';
import type { GatewayConfigCache } from './gateway-config-cache.js';
import type { GatewayManagementClient } from './gateway-management-client.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import { repeat } from './periodic-task.js';

/** How often a refused token is tried again (the management side logs each refusal). */
const rejectedRetryMs = 30_000;

export interface ManagementFollowerOptions {
  client: GatewayManagementClient;
  runtime: GatewayRuntime;
  cache: GatewayConfigCache;
  logger: Logger;
  intervalMs: number;
  /** The ETag and store version of the configuration served at start. */
  served: { etag: string; version: number };
  /** Whether the start found the management API unreachable (served from the cache). */
  startedUnreachable: boolean;
  /** The management URL, for the log. */
  managementUrl: string;
}

export interface ManagementFollower {
  /** Asks now; resolves true when a new configuration went in. */
  check(): Promise<boolean>;
  /** `following`, `unreachable`, `rejected` or `failing` (an answer that is not a configuration). */
  readonly state: FollowerState;
  close(): Promise<void>;
}

export type FollowerState = 'following' | 'unreachable' | 'rejected' | 'failing';

/** Starts following the management API. */
export function followManagement(options: ManagementFollowerOptions): ManagementFollower {
  const { client, runtime, cache, logger } = options;
  let served = options.served;
  let failedEtag: string | undefined;
  let state: FollowerState = options.startedUnreachable ? 'unreachable' : 'following';

  const enter = (next: FollowerState, log: () => void): void => {
    if (state !== next) log();
    state = next;
  };

  const apply = (config: ServiceConfig, etag: string, version: number): boolean => {
    try {
      runtime.reload(config);
    } catch (err) {
      failedEtag = etag;
      logger.error({ version, error: err instanceof Error ? err.message : String(err) }, 'configuration from the management API not applied, the gateway keeps the previous one');
      return false;
    }
    served = { etag, version };
    failedEtag = undefined;
    logger.info({ version, snapshot: runtime.snapshots.current.version }, 'configuration changed on the management API; new snapshot swapped in');
    try {
      cache.save({ config, etag, version, savedAt: new Date().toISOString() });
    } catch (err) {
      logger.error({ file: cache.path, error: (err as Error).message }, 'the configuration cache could not be written; a restart without the management API would serve an older configuration');
    }
    return true;
  };

  const following = (): void =>
    enter('following', () =>
      logger.info({ managementUrl: options.managementUrl }, state === 'rejected' ? 'the gateway token is accepted again; following the configuration' : 'management API reachable again; following its configuration'),
    );

  const run = async (): Promise<boolean> => {
    const pull = await client.pull(served.etag, failedEtag);
    switch (pull.kind) {
      case 'unchanged':
        following();
        return false;
      case 'changed':
        following();
        return apply(pull.config, pull.etag, pull.version);
      case 'unreachable':
        enter('unreachable', () => logger.warn({ managementUrl: options.managementUrl, reason: pull.reason }, 'management API unreachable; serving the last good configuration (fail static)'));
        return false;
      case 'failed':
        enter('failing', () => logger.warn({ managementUrl: options.managementUrl, reason: pull.reason }, 'the management API did not answer a configuration; serving the last good one'));
        return false;
      case 'rejected':
        enter('rejected', () =>
          logger.error(
            { managementUrl: options.managementUrl, expired: pull.expired, message: pull.message },
            `GATEWAY TOKEN REFUSED by the management API (${pull.expired ? 'expired' : 'invalid: its key may have been regenerated'}): no configuration change will be taken; the gateway keeps serving its last configuration until it is restarted with a new token`,
          ),
        );
        return false;
    }
  };

  const task = repeat(run, () => (state === 'rejected' ? Math.max(rejectedRetryMs, options.intervalMs) : options.intervalMs));

  return {
    check: task.runNow,
    get state() {
      return state;
    },
    close: task.close,
  };
}
