/**
 * `gatehouse gateway`: the self-hosted gateway (docs/self-hosted-gateway.md). It pulls its
 * gateway's configuration from the management API with its gateway token, serves it with the
 * same gateway runtime as `start` (no management API, no store), follows changes
 * (management-follower.ts), keeps the last good configuration in an encrypted cache
 * (gateway-config-cache.ts) and reports its heartbeat (heartbeat-sender.ts). When the management
 * API is unreachable at start it serves the cache ("fail static"); with no cache it stops with
 * an error. A token the management API refuses at start stops it too: nothing it could serve
 * would be current, and the operator must see it at once.
 */
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { Logger } from '../core/logger.js';
import type { ServiceConfig } from '../model/resources.js';
import { ConfigCacheError, GatewayConfigCache } from './gateway-config-cache.js';
import type { GatewayOptions } from './gateway-command-options.js';
import { GatewayManagementClient } from './gateway-management-client.js';
import { startGatewayRuntime, type GatewayRuntime } from './gateway-runtime.js';
import { startGatewayObservability } from './gateway-observability.js';
import { redisCountersLine } from './redis-counters.js';
import { heartbeatHostname, startHeartbeats } from './heartbeat-sender.js';
import { followManagement } from './management-follower.js';

export interface RunningSelfHostedGateway {
  gateway: GatewayRuntime;
  /** Lines printed for the operator. */
  banner: string[];
  /** SIGHUP: asks the management API now; true when a new configuration went in. */
  reload(reason: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Where the configuration served at start came from. */
interface Initial {
  config: ServiceConfig;
  etag: string;
  version: number;
  /** A line of the banner saying where it came from. */
  origin: string;
  fromCache: boolean;
}

/** Starts the self-hosted gateway; `print` receives the human-readable lines. */
export async function startSelfHostedGateway(options: GatewayOptions, print: (line: string) => void, logger: Logger, gatehouseVersion: string): Promise<RunningSelfHostedGateway> {
  const dataDir = resolve(options.data);
  const client = new GatewayManagementClient(options.managementUrl, options.gatewayToken);
  const cache = new GatewayConfigCache(dataDir, options.gatewayId, options.gatewayToken);
  // Opened first: a bad --access-log path stops the start before anything is asked or listened.
  const observability = startGatewayObservability({ accessLog: options.accessLog, metrics: false }, logger);
  let gateway: GatewayRuntime;
  let initial: Initial;
  try {
    initial = await initialConfig(options, client, cache, logger);
    const listen = { host: options.host, httpPort: options.gatewayPort, httpsPort: null, certificates: [] };
    gateway = await startGatewayRuntime(initial.config, listen, logger, {
      trustedProxies: options.trustedProxies,
      maxBufferedBodyBytes: options.maxBufferedBodyBytes,
      expressionTimeBudgetMs: options.expressionTimeBudgetMs,
      redisUrl: options.redis,
      redisCounterFallback: options.redisCounterFallback,
      observer: observability.observer,
    });
  } catch (err) {
    await observability.close();
    throw err;
  }
  const follower = followManagement({
    client,
    runtime: gateway,
    cache,
    logger,
    intervalMs: options.pollIntervalMs,
    served: { etag: initial.etag, version: initial.version },
    startedUnreachable: initial.fromCache,
    managementUrl: options.managementUrl,
  });
  const instanceId = randomUUID();
  const heartbeats = startHeartbeats({ client, body: { hostname: heartbeatHostname(), version: gatehouseVersion, instanceId }, intervalMs: options.heartbeatIntervalMs, logger });

  const banner = [`Gatehouse self-hosted gateway '${options.gatewayId}' is running (instance ${instanceId}).`];
  for (const listener of gateway.listeners) banner.push(`  gateway (${listener.scheme}): ${listener.url}`);
  banner.push(`  management API: ${options.managementUrl} (checked every ${options.pollIntervalMs} ms)`);
  banner.push(`  configuration: ${initial.origin} (${initial.config.apis.length} API${initial.config.apis.length === 1 ? '' : 's'})`);
  banner.push(`  configuration cache: ${cache.path} (encrypted with a key derived from the gateway token)`);
  if (options.redis) banner.push(redisCountersLine(options.redis, options.redisCounterFallback));
  banner.push('Press Ctrl+C to stop.');
  for (const line of banner) print(line);

  return {
    gateway,
    banner,
    reload: () => follower.check(),
    async close() {
      await heartbeats.close();
      await follower.close();
      await gateway.close();
      await observability.close();
    },
  };
}

/** The configuration to start with: the management API's, else the cache's; throws when there is neither. */
async function initialConfig(options: GatewayOptions, client: GatewayManagementClient, cache: GatewayConfigCache, logger: Logger): Promise<Initial> {
  const pull = await client.pull();
  if (pull.kind === 'changed') {
    try {
      cache.save({ config: pull.config, etag: pull.etag, version: pull.version, savedAt: new Date().toISOString() });
    } catch (err) {
      logger.error({ file: cache.path, error: (err as Error).message }, 'the configuration cache could not be written; a restart without the management API would find no configuration');
    }
    return { config: pull.config, etag: pull.etag, version: pull.version, origin: `from the management API (version ${pull.version})`, fromCache: false };
  }
  if (pull.kind === 'rejected') {
    throw new Error(
      `the management API at ${options.managementUrl} refuses the gateway token (${pull.expired ? 'expired' : 'invalid'}): ${pull.message} Generate a new one with POST …/gateways/${options.gatewayId}/generateToken.`,
    );
  }
  if (pull.kind === 'unchanged') throw new Error(`the management API at ${options.managementUrl} answered 304 to a first request; it is not a Gatehouse management API.`);
  let cached;
  try {
    cached = cache.load();
  } catch (err) {
    if (!(err instanceof ConfigCacheError)) throw err;
    logger.error({ error: err.message }, 'the configuration cache cannot be used');
    cached = null;
  }
  if (!cached) {
    throw new Error(`cannot get a configuration: the management API at ${options.managementUrl} gave none (${pull.reason}) and there is no usable cached configuration in ${cache.path}. Start the gateway once while the management API is reachable.`);
  }
  logger.warn(
    { managementUrl: options.managementUrl, reason: pull.reason, savedAt: cached.savedAt, version: cached.version },
    'management API unreachable at start; serving the cached configuration (fail static)',
  );
  return { config: cached.config, etag: cached.etag, version: cached.version, origin: `the cache, saved ${cached.savedAt} (the management API gave none: ${pull.reason})`, fromCache: true };
}
