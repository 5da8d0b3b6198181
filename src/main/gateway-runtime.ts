/**
 * Wires one gateway: compiles the configuration into a snapshot, picks the counters (in-memory,
 * or Redis with `--redis`: redis-counters.ts), creates the forwarder and opens the listeners the configuration's
 * network settings call for, re-applying them on every reload.
 */
import { AddressRanges } from '../core/address-ranges.js';
import type { Logger } from '../core/logger.js';
import { systemClock, type CounterStore } from '../core/ports.js';
import { defaultNetworkSettings } from '../model/network.js';
import type { ServiceConfig } from '../model/resources.js';
import { BackendForwarder } from '../gateway/backend-forwarder.js';
import { WebSocketForwarder } from '../gateway/websocket/websocket-forwarder.js';
import { createRequestHandler } from '../gateway/request-handler.js';
import type { Registry } from 'prom-client';
import { CustomMetrics } from '../gateway/custom-metrics.js';
import { DiagnosticLog, observeDiagnostics } from '../gateway/diagnostic-log.js';
import { DiagnosticTelemetry } from '../gateway/diagnostic-telemetry.js';
import { EventLoggerSet } from '../gateway/event-logging/event-logger-set.js';
import type { ChannelOptions } from '../gateway/event-logging/logger-channel.js';
import { loggerMetrics, uncounted } from '../gateway/event-logging/logger-metrics.js';
import type { RequestObserver } from '../gateway/request-observer.js';
import { buildSnapshot } from '../gateway/snapshot/build-snapshot.js';
import { SnapshotHolder } from '../gateway/snapshot/snapshot-holder.js';
import type { GatewayListenerOptions } from '../network/gateway-listeners.js';
import { CircuitBreakers } from '../gateway/circuit-breaker.js';
import { trackCircuitBreakers } from '../gateway/circuit-breaker-metrics.js';
import type { GatewayServices } from '../pipeline/gateway-context.js';
import type { TraceSink } from '../core/request-traces.js';
import { NetworkListenerSet, type ListenerOutcomeCallback, type NetworkAddresses, type OpenListener } from '../network/network-listener-set.js';
import { policyRegistry } from '../policies/index.js';
import { MemoryCounterStore } from '../store/memory-counter-store.js';
import type { CounterFallback } from '../store/failover-counter-store.js';
import { GatewayCacheSet } from './external-cache.js';
import { openRedisCounters } from './redis-counters.js';
import { ManagedIdentityTokenCache } from '../gateway/managed-identity/managed-identity-token-cache.js';
import type { ManagedIdentityEndpoint } from '../gateway/managed-identity/token-endpoint.js';

/** Where a listener serves (a worker pool reports its workers' shared listeners). */
export type ListenerAddress = OpenListener;

export interface GatewayRuntime {
  /** The listeners open now: public first, then private endpoint and VNet ones. */
  readonly listeners: ListenerAddress[];
  /** The gateway worker processes' ids when the gateway runs in worker processes (not `--workers 0`). */
  workerPids?: number[];
  snapshots: SnapshotHolder;
  /** Compiles and swaps in a new configuration; the old snapshot stays when this throws. */
  reload(config: ServiceConfig): void;
  /** The addresses served now: the service's `publicIPAddresses` and `privateIPAddresses`. */
  networkAddresses(): NetworkAddresses;
  /** Resolves once the listeners follow the network settings of the last reload. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export interface GatewayRuntimeOptions {
  /** This host's counters (a `--workers` worker's cluster store); in-memory by default. With `redisUrl` the fallback of the Redis counters. */
  counters?: CounterStore;
  /** `--trusted-proxies`: CIDR prefixes whose `X-Forwarded-For` names the client. */
  trustedProxies?: readonly string[];
  /** `--max-buffered-body-size`: most bytes of one body a policy may buffer (2 MiB when absent). */
  maxBufferedBodyBytes?: number;
  /** `--expression-time-budget`: wall-clock milliseconds per expression (the runtime's default when absent). */
  expressionTimeBudgetMs?: number;
  /** Told whether each private endpoint connection's listeners could be opened. */
  onListenerOutcome?: ListenerOutcomeCallback;
  /** Told about every request (access log, metrics: gateway-observability.ts); backend calls are timed for it. */
  observer?: RequestObserver;
  /** `--redis`: the counters, and the external cache when the configuration names none (docs/scale-out.md, docs/caching.md). */
  redisUrl?: string;
  /** `--redis-counter-fallback`: while Redis does not answer, count on `counters` (local, the default) or refuse. */
  redisCounterFallback?: CounterFallback;
  /** Where managed identity tokens come from (`--managed-identity-endpoint`); absent: the identity is not enabled. */
  managedIdentity?: ManagedIdentityEndpoint;
  /** `--entra-authority`: where validate-azure-ad-token discovers tenants (Microsoft's global authority when absent). */
  entraAuthority?: string;
  /** The Prometheus registry `emit-metric` series go to (the `/metrics` one); none: not counted. */
  metricsRegistry?: Registry;
  /** Where the traces of requests made with a debug token go (docs/tracing.md); none: not kept. */
  traces?: TraceSink;
  /** log-to-eventhub channels' bounds and pauses (defaults in logger-channel.ts; tests shorten them). */
  eventLoggerChannel?: Omit<ChannelOptions, 'buffered'>;
}

/** Starts a gateway serving `config`; throws SnapshotBuildError for a configuration that does not compile. */
export async function startGatewayRuntime(
  config: ServiceConfig,
  listen: GatewayListenerOptions,
  logger: Logger,
  options: GatewayRuntimeOptions = {},
): Promise<GatewayRuntime> {
  let version = 1;
  const compile = (next: ServiceConfig, v: number) => buildGatewaySnapshot(next, v, options);
  const snapshots = new SnapshotHolder(compile(config, version));
  const trustedProxies = AddressRanges.parse(options.trustedProxies ?? []);
  // Backend calls are timed for the access log and the metrics only when something observes them.
  const timeCalls = Boolean(options.observer);
  const forwarder = new BackendForwarder({ timeCalls });
  // WebSocket handshakes are forwarded as upgrades; every other call goes to the pooled forwarder.
  const proxying = new WebSocketForwarder(forwarder, forwarder.transports, timeCalls);
  const circuits = new CircuitBreakers();
  if (options.metricsRegistry) trackCircuitBreakers(options.metricsRegistry, circuits);
  const caches = new GatewayCacheSet(options.redisUrl, logger, options.metricsRegistry);
  caches.update(config.caches);
  const localCounters = options.counters ?? new MemoryCounterStore();
  const redisCounters = options.redisUrl
    ? await openRedisCounters({
        redisUrl: options.redisUrl,
        serviceName: config.serviceName,
        local: localCounters,
        fallback: options.redisCounterFallback ?? 'local',
        logger,
        metricsRegistry: options.metricsRegistry,
      })
    : undefined;
  const services: GatewayServices = { counters: redisCounters?.store ?? localCounters, caches, clock: systemClock, forwarder: proxying, outbound: forwarder.outbound, circuits, logger };
  if (options.maxBufferedBodyBytes !== undefined) services.maxBufferedBodyBytes = options.maxBufferedBodyBytes;
  if (options.traces) services.traces = options.traces;
  if (options.entraAuthority) services.entraAuthority = options.entraAuthority;
  if (options.managedIdentity) services.managedIdentity = new ManagedIdentityTokenCache(options.managedIdentity, forwarder.outbound, systemClock);
  // Diagnostics (docs/loggers-and-diagnostics.md) write to the process log; they follow each reload.
  const diagnostics = new DiagnosticLog(logger);
  diagnostics.update(config.diagnostics ?? []);
  // trace and emit-metric act through the same diagnostics (their verbosity and metrics).
  services.telemetry = new DiagnosticTelemetry(diagnostics, logger, options.metricsRegistry ? new CustomMetrics(options.metricsRegistry) : undefined);
  // log-to-eventhub's loggers: a bounded buffer and a background sender each, following each reload.
  const eventLoggers = new EventLoggerSet(options.metricsRegistry ? loggerMetrics(options.metricsRegistry) : uncounted, logger, options.eventLoggerChannel);
  eventLoggers.update(config.loggers);
  services.eventLogging = eventLoggers;
  const observer = observeDiagnostics(options.observer, diagnostics, (err) => logger.error({ err }, 'writing a diagnostic record failed'));
  const handler = createRequestHandler(snapshots, services, { trustedProxies, observer });
  let listeners: NetworkListenerSet;
  try {
    const setOptions = { logger, onListenerOutcome: options.onListenerOutcome };
    listeners = await NetworkListenerSet.start(listen, handler, config.network ?? defaultNetworkSettings(), setOptions);
  } catch (err) {
    await forwarder.close();
    await caches.close();
    await redisCounters?.close();
    await eventLoggers.close();
    throw err;
  }
  return {
    get listeners() {
      return listeners.listeners();
    },
    snapshots,
    reload(next) {
      snapshots.replace(compile(next, ++version));
      diagnostics.update(next.diagnostics ?? []);
      caches.update(next.caches);
      eventLoggers.update(next.loggers);
      // Breakers outlive snapshots; those of removed backends and changed rules are dropped.
      circuits.retain(next.backends);
      // Pools opened for Backends' own connection settings follow them.
      forwarder.retain(snapshots.current.catalog.backends.values());
      // The snapshot is in; the listeners follow in the background (apply logs its own failures).
      void listeners.apply(next.network ?? defaultNetworkSettings());
    },
    networkAddresses: () => listeners.addresses(),
    settled: () => listeners.settled(),
    async close() {
      await listeners.close();
      await forwarder.close();
      await caches.close();
      await redisCounters?.close();
      await eventLoggers.close();
    },
  };
}

/** Compiles `config` into the snapshot with `version`, under the expression budget of `options`. */
export function buildGatewaySnapshot(config: ServiceConfig, version: number, options: Pick<GatewayRuntimeOptions, 'expressionTimeBudgetMs'>) {
  const expressionLimits = options.expressionTimeBudgetMs === undefined ? undefined : { maxMilliseconds: options.expressionTimeBudgetMs };
  return buildSnapshot(config, { policies: policyRegistry, version, expressionLimits });
}
