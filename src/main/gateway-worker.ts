/**
 * One gateway worker of `gatehouse start` (one per core by default, `--workers N` runs N): a
 * cluster worker that receives its configuration and settings from the primary, serves them on
 * the listeners the primary shares with it, with counters kept by the primary, swaps
 * configurations the primary sends, and exits when told to (or when the primary is gone).
 * Signals from the terminal are left to the primary, which coordinates the workers.
 */
import cluster from 'node:cluster';
import { createLogger, type Logger } from '../core/logger.js';
import type { TraceDocument } from '../core/request-traces.js';
import { ClusterCounterStore, type CounterChannel } from '../store/cluster-counter-store.js';
import type { ListenerOutcome } from '../network/network-listener-set.js';
import { startGatewayObservability, type GatewayObservability } from './gateway-observability.js';
import { startGatewayRuntime, type GatewayRuntime } from './gateway-runtime.js';
import { messageKind, type PrimaryToWorkerMessage, type WorkerToPrimaryMessage } from './worker-messages.js';

/** The environment variable the primary sets on the workers it forks. */
export const gatewayWorkerVariable = 'GATEHOUSE_GATEWAY_WORKER';

/** True in a process forked by `startGatewayWorkers`. */
export function isGatewayWorker(): boolean {
  return cluster.isWorker && process.env[gatewayWorkerVariable] === '1';
}

function ignoreSignal(): void {
  // Ctrl+C and a hangup reach the whole process group; the primary decides what happens.
}

/** Runs the worker until the primary stops it; resolves with the exit code. */
export function runGatewayWorker(): Promise<number> {
  const counters = new ClusterCounterStore(process as unknown as CounterChannel);
  const send = (message: WorkerToPrimaryMessage): Promise<void> =>
    new Promise((resolve) => {
      if (!process.connected) return resolve();
      process.send!(message, undefined, undefined, () => resolve());
    });
  process.on('SIGINT', ignoreSignal);
  process.on('SIGHUP', ignoreSignal);

  return new Promise<number>((resolve) => {
    // The primary's log options arrive with the start message; until then, its defaults.
    let logger: Logger = createLogger();
    let observability: GatewayObservability | null = null;
    let runtime: GatewayRuntime | null = null;
    let stopping = false;
    const stop = async (code: number): Promise<void> => {
      if (stopping) return;
      stopping = true;
      try {
        await runtime?.close();
        await observability?.close();
      } catch (err) {
        logger.warn({ err }, 'gateway worker did not close cleanly');
      }
      // The IPC channel keeps the process alive: let go of it so the worker can end.
      if (process.connected) process.disconnect();
      resolve(code);
    };
    const fail = async (err: unknown): Promise<void> => {
      await send({ gatehouse: 'failed', message: err instanceof Error ? err.message : String(err) });
      await stop(1);
    };
    process.on('message', (message: unknown) => {
      const kind = messageKind(message);
      if (kind === 'start') {
        const { config, listen, trustedProxies, maxBufferedBodyBytes, expressionTimeBudgetMs, redisUrl, redisCounterFallback, managedIdentity, entraAuthority, settings } = message as Extract<PrimaryToWorkerMessage, { gatehouse: 'start' }>;
        logger = createLogger(settings.logging.level, settings.logging.format);
        try {
          // Each worker writes its own access log lines (with its pid) and keeps its own metrics,
          // which the primary aggregates for `GET /metrics` (metrics-source.ts).
          observability = startGatewayObservability(settings.observability, logger, true);
        } catch (err) {
          return void fail(err);
        }
        // Every worker binds the same listeners through the primary; each reports its outcomes, the primary keeps one per connection.
        const onListenerOutcome = (connectionName: string, outcome: ListenerOutcome) => void send({ gatehouse: 'listener-outcome', connectionName, outcome });
        // Traces go to the primary, which keeps them for listTrace whichever worker served the request.
        const traces = { keep: (trace: TraceDocument) => void send({ gatehouse: 'trace', trace }) };
        startGatewayRuntime(config, listen, logger, { counters, traces, trustedProxies, maxBufferedBodyBytes, expressionTimeBudgetMs, redisUrl, redisCounterFallback, managedIdentity, entraAuthority, onListenerOutcome, observer: observability.observer, metricsRegistry: observability.metrics?.registry }).then(
          (started) => {
            runtime = started;
            if (stopping) return void started.close();
            return send({ gatehouse: 'ready', listeners: started.listeners, addresses: started.networkAddresses() });
          },
          fail,
        );
      } else if (kind === 'reload') {
        const { config, generation } = message as Extract<PrimaryToWorkerMessage, { gatehouse: 'reload' }>;
        const current = runtime;
        try {
          current?.reload(config);
        } catch (err) {
          // The primary compiled this configuration before sending it; a failure here is a bug.
          logger.error({ err, pid: process.pid }, 'gateway worker could not swap in the configuration; still serving the previous one');
        }
        if (current) {
          void current.settled().then(() => send({ gatehouse: 'listeners', generation, listeners: current.listeners, addresses: current.networkAddresses() }));
        }
      } else if (kind === 'stop') {
        void stop(0);
      }
    });
    process.once('SIGTERM', () => void stop(0));
    process.once('disconnect', () => void stop(0));
    void send({ gatehouse: 'waiting' });
  });
}
