/**
 * The gateway in worker processes, with node:cluster, so a request that holds the gateway's
 * event loop (a slow expression, a big body) never delays the management API, the store or the
 * configuration following, which stay in the `start` process (the primary); `--workers N` runs
 * N serving one configuration on the same ports (one per core by default). The primary owns the
 * listening sockets. With several workers it hands each new connection to the next one in turn
 * (cluster's round-robin scheduling): Node 20 has no SO_REUSEPORT for net servers, and the
 * kernel's own distribution over processes sharing a socket is uneven. A single worker gets the
 * socket itself and accepts directly. The primary also compiles every configuration before any
 * worker sees it, holds the host's counters (workers forward each counter call over IPC, so a
 * limit holds across workers exactly and survives a worker's crash), and replaces a worker that
 * dies.
 */
import cluster, { type Worker } from 'node:cluster';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../core/logger.js';
import type { ServiceConfig } from '../model/resources.js';
import { SnapshotHolder } from '../gateway/snapshot/snapshot-holder.js';
import type { GatewayListenerOptions } from '../network/gateway-listeners.js';
import type { NetworkAddresses } from '../network/network-listener-set.js';
import { answerCounterRequest, isCounterRequest, type CounterReplyMessage } from '../store/counter-messages.js';
import { MemoryCounterStore } from '../store/memory-counter-store.js';
import { buildGatewaySnapshot, type GatewayRuntime, type GatewayRuntimeOptions, type ListenerAddress } from './gateway-runtime.js';
import { gatewayWorkerVariable } from './gateway-worker.js';
import {
  messageKind,
  type PrimaryToWorkerMessage,
  type WorkerFailedMessage,
  type WorkerListenerOutcomeMessage,
  WorkerTraceMessage,
  type WorkerListenersMessage,
  type WorkerReadyMessage,
  type WorkerSettings,
} from './worker-messages.js';

const stopTimeoutMs = 10_000;

/**
 * The program the workers run: gateway-worker-main beside this file (`.js` in dist/, `.ts` when
 * the sources run through a TypeScript loader, which the fork inherits with the exec arguments).
 */
const workerProgram = fileURLToPath(new URL(`./gateway-worker-main${extname(fileURLToPath(import.meta.url))}`, import.meta.url));

/** The banner line naming the gateway processes (operators find them in `ps` and logs by pid). */
export function workersLine(pids: readonly number[]): string {
  if (pids.length === 1) return `  gateway process: pid ${pids[0]}, apart from the management API; counters held by this process (pid ${process.pid})`;
  return `  workers: ${pids.length} gateway processes (pids ${pids.join(', ')}), counters held by this process (pid ${process.pid})`;
}

/** What `startGatewayWorkers` needs besides the configuration: the runtime's options and the workers' settings. */
export interface GatewayWorkersOptions extends Omit<GatewayRuntimeOptions, 'counters' | 'observer'> {
  settings: WorkerSettings;
}

/** `listen` with port 0 replaced by the port each scheme got, so a later worker can bind the same one. */
function pinnedPorts(listen: GatewayListenerOptions, opened: readonly ListenerAddress[]): GatewayListenerOptions {
  const chosen = (scheme: ListenerAddress['scheme'], port: number | null): number | null =>
    port === 0 ? (opened.find((l) => l.scheme === scheme && l.endpoint === 'public')?.port ?? opened.find((l) => l.scheme === scheme)?.port ?? 0) : port;
  return { ...listen, httpPort: chosen('http', listen.httpPort), httpsPort: chosen('https', listen.httpsPort) };
}

/** Starts `count` workers serving `config`; throws when the configuration does not compile or a worker cannot start. */
export async function startGatewayWorkers(
  config: ServiceConfig,
  requestedListen: GatewayListenerOptions,
  logger: Logger,
  count: number,
  options: GatewayWorkersOptions,
): Promise<GatewayRuntime> {
  // Port 0: node:cluster shares one socket among the workers that listen on port 0 (the primary
  // keys it by address and port 0), and closes it when the last of them is gone. A replacement
  // asks for port 0 while one of them lives, so it joins that socket; once none does, it asks
  // for the port the first worker got (`pinned`), so the gateway keeps its printed address.
  let pinned: GatewayListenerOptions | null = null;
  const onPortZero = new Set<Worker>();
  const listenFor = (worker: Worker): GatewayListenerOptions => {
    if (pinned && ![...onPortZero].some((other) => other !== worker && !other.isDead())) return pinned;
    onPortZero.add(worker);
    return requestedListen;
  };
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

  // One worker needs no distribution: SCHED_NONE shares the listening socket with it, so it
  // accepts connections itself instead of receiving each one from the primary over IPC. The
  // policy is global to the process and fixed by the first setupPrimary (a later pool in the same
  // process keeps it); NODE_CLUSTER_SCHED_POLICY=rr|none, when set, decides instead.
  if (count === 1 && process.env.NODE_CLUSTER_SCHED_POLICY === undefined) cluster.schedulingPolicy = cluster.SCHED_NONE;
  // Structured clone keeps Infinity (unlimited quotas) and the configuration's shapes intact.
  cluster.setupPrimary({ exec: workerProgram, args: [], serialization: 'advanced' });

  // A worker that is going away (it failed to start, or crashed) may still look connected: the
  // write then fails with EPIPE, which without a callback is an 'error' event that ends this
  // process. Its exit is handled where it is reported, so the failed send only goes to the log.
  const send = (worker: Worker, message: PrimaryToWorkerMessage | CounterReplyMessage): void => {
    if (!worker.isConnected()) return;
    worker.send(message, undefined, (err: Error | null) => {
      if (err) logger.debug({ err, pid: worker.process.pid }, 'a message to a gateway worker that is going away was not delivered');
    });
  };

  const spawn = (): Promise<ListenerAddress[]> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork({ [gatewayWorkerVariable]: '1' });
      workers.add(worker);
      // The child process's own errors (a signal that could not be sent …): logged, never fatal here.
      worker.on('error', (err) => logger.warn({ err, pid: worker.process.pid }, 'gateway worker process error'));
      let ready = false;
      let startedAt = generation;
      worker.on('message', (message: unknown) => {
        if (isCounterRequest(message)) {
          // The memory store answers within this call, so calls are counted in arrival order.
          void answerCounterRequest(counters, message).then((reply) => {
            send(worker, reply);
          });
          return;
        }
        const kind = messageKind(message);
        if (kind === 'waiting') {
          startedAt = generation;
          send(worker, {
            gatehouse: 'start',
            config: current,
            listen: listenFor(worker),
            trustedProxies: [...(options.trustedProxies ?? [])],
            maxBufferedBodyBytes: options.maxBufferedBodyBytes,
            expressionTimeBudgetMs: options.expressionTimeBudgetMs,
            redisUrl: options.redisUrl,
            redisCounterFallback: options.redisCounterFallback,
            managedIdentity: options.managedIdentity,
            entraAuthority: options.entraAuthority,
            settings: options.settings,
          });
        } else if (kind === 'ready') {
          ready = true;
          const reported = message as WorkerReadyMessage;
          openListeners = reported.listeners;
          addresses = reported.addresses;
          pinned ??= pinnedPorts(requestedListen, reported.listeners);
          applied.set(worker, startedAt);
          checkSettled();
          resolve(reported.listeners);
        } else if (kind === 'listeners') {
          const reported = message as WorkerListenersMessage;
          openListeners = reported.listeners;
          addresses = reported.addresses;
          applied.set(worker, Math.max(applied.get(worker) ?? -1, reported.generation));
          checkSettled();
        } else if (kind === 'trace') {
          options.traces?.keep((message as WorkerTraceMessage).trace);
        } else if (kind === 'listener-outcome') {
          onOutcome(message as WorkerListenerOutcomeMessage);
        } else if (kind === 'failed') {
          reject(new Error((message as WorkerFailedMessage).message));
        }
      });
      worker.once('exit', (code, signal) => {
        workers.delete(worker);
        onPortZero.delete(worker);
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
