/**
 * Wires one gateway: compiles the configuration into a snapshot, picks the embedded ports
 * (in-memory counters), creates the forwarder and opens the listeners.
 */
import type { Logger } from '../core/logger.js';
import { systemClock, type CounterStore } from '../core/ports.js';
import type { ServiceConfig } from '../model/resources.js';
import { BackendForwarder } from '../gateway/backend-forwarder.js';
import { createRequestHandler } from '../gateway/request-handler.js';
import { buildSnapshot } from '../gateway/snapshot/build-snapshot.js';
import { SnapshotHolder } from '../gateway/snapshot/snapshot-holder.js';
import { startGatewayListeners, type GatewayListenerOptions, type RunningListener } from '../network/gateway-listeners.js';
import { policyRegistry } from '../policies/index.js';
import { MemoryCounterStore } from '../store/memory-counter-store.js';

/** Where a listener serves (a worker pool reports its workers' shared listeners). */
export type ListenerAddress = Pick<RunningListener, 'scheme' | 'host' | 'port' | 'url'>;

export interface GatewayRuntime {
  listeners: ListenerAddress[];
  /** The gateway worker processes' ids when `--workers` runs more than one. */
  workerPids?: number[];
  snapshots: SnapshotHolder;
  /** Compiles and swaps in a new configuration; the old snapshot stays when this throws. */
  reload(config: ServiceConfig): void;
  close(): Promise<void>;
}

/** Starts a gateway serving `config`; throws SnapshotBuildError for a configuration that does not compile. */
export async function startGatewayRuntime(
  config: ServiceConfig,
  listen: GatewayListenerOptions,
  logger: Logger,
  /** Counters shared with other processes (a `--workers` worker); in-memory by default. */
  counters: CounterStore = new MemoryCounterStore(),
): Promise<GatewayRuntime> {
  let version = 1;
  const snapshots = new SnapshotHolder(buildSnapshot(config, { policies: policyRegistry, version }));
  const forwarder = new BackendForwarder();
  const services = { counters, clock: systemClock, forwarder, logger };
  const handler = createRequestHandler(snapshots, services);
  let listeners;
  try {
    listeners = await startGatewayListeners(listen, handler);
  } catch (err) {
    await forwarder.close();
    throw err;
  }
  return {
    listeners: listeners.listeners,
    snapshots,
    reload(next) {
      snapshots.replace(buildSnapshot(next, { policies: policyRegistry, version: ++version }));
    },
    async close() {
      await listeners.close();
      await forwarder.close();
    },
  };
}
