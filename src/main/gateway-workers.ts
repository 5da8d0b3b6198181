/**
 * `gatehouse start --workers N`: N gateway processes serving one configuration on the same
 * ports, with node:cluster. The primary (this process) owns the listening sockets and hands
 * each new connection to the next worker in turn (cluster's round-robin scheduling, the Linux
 * default): Node 20 has no SO_REUSEPORT for net servers, and the kernel's own distribution over
 * processes sharing a socket is uneven. The primary also compiles every configuration before any
 * worker sees it, holds the host's counters (workers forward each counter call over IPC, so a
 * limit holds across workers exactly), and replaces a worker that dies.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../core/logger.js';
import type { ServiceConfig } from '../model/resources.js';
import { SnapshotHolder } from '../gateway/snapshot/snapshot-holder.js';
import type { GatewayListenerOptions } from '../network/gateway-listeners.js';
import type { NetworkAddresses } from '../network/network-listener-set.js';
import { answerCounterRequest, isCounterRequest } from '../store/counter-messages.js';
import { MemoryCounterStore } from '../store/memory-counter-store.js';
import { buildGatewaySnapshot, type GatewayRuntime, type GatewayRuntimeOptions, type ListenerAddress } from './gateway-runtime.js';
import { gatewayWorkerVariable } from './gateway-worker.js';
import {
  messageKind,
  type PrimaryToWorkerMessage,
  type WorkerFailedMessage,
  type WorkerListenerOutcomeMessage,
  type WorkerListenersMessage,
  type WorkerReadyMessage,
} from './worker-messages.js';

const stopTimeoutMs = 10_000;

/** The banner line naming the worker processes (operators find them in `ps` and logs by pid). */
export function workersLine(pids: readonly number[]): string {
  return `  workers: ${pids.length} gateway processes (pids ${pids.join(', ')}), counters held by this process (pid ${process.pid})`;
}

/** Starts `count` workers serving `config`; throws when the configuration does not compile or a worker cannot start. */
export async function startGatewayWorkers(
  config: ServiceConfig,
  listen: GatewayListenerOptions,
  logger: Logger,
  count: number,
  options: Omit<GatewayRuntimeOptions, 'counters'> = {},
): Promise<GatewayRuntime> {
  // Compiled here first: a configuration that does not build fails with the same error as with
  // one process, before any worker starts; reloads are checked the same way before broadcast.
  let version = 1;
  const snapshots = new SnapshotHolder(buildGatewaySnapshot(config, version, options));
  const counters = new MemoryCounterStore();
  let current = config;
  let stopping = false;
  let started = false;
  const workers = new Set<Worker>();
  // The workers' listeners (they all bind the same ones through this process) as last reported.
  let openListeners: ListenerAddress[] = [];
  let addresses: NetworkAddresses = { public: [], private: [] };
  // Reload generations: the one sent last, the one each worker's listeners follow, and who waits for them.
  let generation = 0;
  const applied = new Map<Worker, number>();
  let settledWaiters: Array<() => void> = [];
  const checkSettled = (): void => {
    if ([...workers].some((w) => (applied.get(w) ?? -1) < generation)) return;
    const waiters = settledWaiters;
    settledWaiters = [];
    for (const resolve of waiters) resolve();
  };
  // Every worker reports each connection's outcome; the callback hears it once per reload.
  let reportedOutcomes = new Map<string, string>();
  const onOutcome = ({ connectionName, outcome }: WorkerListenerOutcomeMessage): void => {
    const text = JSON.stringify(outcome);
    if (reportedOutcomes.get(connectionName) === text) return;
    reportedOutcomes.set(connectionName, text);
    try {
      options.onListenerOutcome?.(connectionName, outcome);
    } catch (err) {
      logger.error({ err, connection: connectionName }, 'the listener outcome callback failed');
    }
  };

  // Structured clone keeps Infinity (unlimited quotas) and the configuration's shapes intact.
  cluster.setupPrimary({ serialization: 'advanced' });

  const send = (worker: Worker, message: PrimaryToWorkerMessage): void => {
    if (worker.isConnected()) worker.send(message);
  };

  const spawn = (): Promise<ListenerAddress[]> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork({ [gatewayWorkerVariable]: '1' });
      workers.add(worker);
      let ready = false;
      let startedAt = generation;
      worker.on('message', (message: unknown) => {
        if (isCounterRequest(message)) {
          // The memory store answers within this call, so calls are counted in arrival order.
          void answerCounterRequest(counters, message).then((reply) => {
            if (worker.isConnected()) worker.send(reply);
          });
          return;
        }
        const kind = messageKind(message);
        if (kind === 'waiting') {
          startedAt = generation;
          send(worker, { gatehouse: 'start', config: current, listen, trustedProxies: [...(options.trustedProxies ?? [])], maxBufferedBodyBytes: options.maxBufferedBodyBytes, expressionTimeBudgetMs: options.expressionTimeBudgetMs });
        } else if (kind === 'ready') {
          ready = true;
          const reported = message as WorkerReadyMessage;
          openListeners = reported.listeners;
          addresses = reported.addresses;
          applied.set(worker, startedAt);
          checkSettled();
          resolve(reported.listeners);
        } else if (kind === 'listeners') {
          const reported = message as WorkerListenersMessage;
          openListeners = reported.listeners;
          addresses = reported.addresses;
          applied.set(worker, Math.max(applied.get(worker) ?? -1, reported.generation));
          checkSettled();
        } else if (kind === 'listener-outcome') {
          onOutcome(message as WorkerListenerOutcomeMessage);
        } else if (kind === 'failed') {
          reject(new Error((message as WorkerFailedMessage).message));
        }
      });
      worker.once('exit', (code, signal) => {
        workers.delete(worker);
        applied.delete(worker);
        checkSettled();
        if (!ready) reject(new Error(`A gateway worker exited (${signal ?? `code ${code}`}) before it was ready.`));
        if (ready && !stopping && started) {
          logger.warn({ pid: worker.process.pid, code, signal }, 'gateway worker exited; starting a replacement');
          spawn().then(
            () => logger.info('replacement gateway worker is serving'),
            (err: unknown) => logger.error({ err }, 'replacement gateway worker could not start'),
          );
        }
      });
    });

  const stopAll = async (): Promise<void> => {
    stopping = true;
    const exits = [...workers].map(
      (worker) =>
        new Promise<void>((resolve) => {
          if (worker.isDead()) return resolve();
          const killer = setTimeout(() => worker.process.kill('SIGKILL'), stopTimeoutMs);
          worker.once('exit', () => {
            clearTimeout(killer);
            resolve();
          });
          send(worker, { gatehouse: 'stop' });
        }),
    );
    await Promise.all(exits);
  };

  try {
    // Started together: with port 0 the workers share the primary's one socket, so one port.
    await Promise.all(Array.from({ length: count }, spawn));
  } catch (err) {
    await stopAll();
    throw err;
  }
  started = true;

  return {
    get listeners() {
      return openListeners;
    },
    snapshots,
    get workerPids(): number[] {
      return [...workers].map((w) => w.process.pid!).filter((pid) => pid !== undefined);
    },
    reload(next) {
      snapshots.replace(buildGatewaySnapshot(next, ++version, options));
      current = next;
      generation++;
      reportedOutcomes = new Map();
      for (const worker of workers) send(worker, { gatehouse: 'reload', config: next, generation });
    },
    networkAddresses: () => addresses,
    settled: () => new Promise<void>((resolve) => {
      settledWaiters.push(resolve);
      checkSettled();
    }),
    close: stopAll,
  };
}
