/**
 * What the primary process and its gateway workers tell each other (`gatehouse start`, whose
 * gateway runs in worker processes unless `--workers 0`), besides the counter calls of
 * src/store/counter-messages.ts.
 */
import type { LogFormat } from '../core/logger.js';
import type { TraceDocument } from '../core/request-traces.js';
import type { ServiceConfig } from '../model/resources.js';
import type { GatewayListenerOptions } from '../network/gateway-listeners.js';
import type { ListenerOutcome, NetworkAddresses } from '../network/network-listener-set.js';
import type { ListenerAddress } from './gateway-runtime.js';
import type { ObservabilityOptions } from './observability-options.js';
import type { ManagedIdentityEndpoint } from '../gateway/managed-identity/token-endpoint.js';
import type { CounterFallback } from '../store/failover-counter-store.js';

/** How a worker logs and observes its requests: `start`'s options, resolved by the primary. */
export interface WorkerSettings {
  /** `--access-log` and `--metrics`. */
  observability: ObservabilityOptions;
  /** `--log-level`, and `--log-format` with `auto` resolved against the primary's stderr. */
  logging: { level: string; format: LogFormat };
}

/** Primary → worker: serve this configuration on these listeners. */
export interface WorkerStartMessage {
  gatehouse: 'start';
  config: ServiceConfig;
  listen: GatewayListenerOptions;
  /** `--trusted-proxies` (CIDR texts). */
  trustedProxies: string[];
  /** `--max-buffered-body-size` in bytes (absent: the default). */
  maxBufferedBodyBytes?: number;
  /** `--expression-time-budget` in milliseconds (absent: the default). */
  expressionTimeBudgetMs?: number;
  /** `--redis`: the counters and the default external cache (absent: none). */
  redisUrl?: string;
  /** `--redis-counter-fallback` (absent: local). */
  redisCounterFallback?: CounterFallback;
  /** Where managed identity tokens come from (absent: not enabled). */
  managedIdentity?: ManagedIdentityEndpoint;
  /** `--entra-authority` (absent: Microsoft's global authority). */
  entraAuthority?: string;
  settings: WorkerSettings;
}

/** Primary → worker: swap in a configuration the primary already compiled successfully. */
export interface WorkerReloadMessage {
  gatehouse: 'reload';
  config: ServiceConfig;
  /** Counts the primary's reloads; the worker echoes it once its listeners follow this configuration. */
  generation: number;
}

/** Primary → worker: close the listeners and exit. */
export interface WorkerStopMessage {
  gatehouse: 'stop';
}

/** Worker → primary: listening for its work (messages sent before this would be lost). */
export interface WorkerWaitingMessage {
  gatehouse: 'waiting';
}

/** Worker → primary: serving. */
export interface WorkerReadyMessage {
  gatehouse: 'ready';
  listeners: ListenerAddress[];
  addresses: NetworkAddresses;
}

/** Worker → primary: the listeners follow the configuration of reload `generation`. */
export interface WorkerListenersMessage {
  gatehouse: 'listeners';
  generation: number;
  listeners: ListenerAddress[];
  addresses: NetworkAddresses;
}

/** Worker → primary: whether a private endpoint connection's listeners could be opened. */
export interface WorkerListenerOutcomeMessage {
  gatehouse: 'listener-outcome';
  connectionName: string;
  outcome: ListenerOutcome;
}

/** Worker → primary: the trace of a request made with a debug token, for the primary's trace store (listTrace). */
export interface WorkerTraceMessage {
  gatehouse: 'trace';
  trace: TraceDocument;
}

/** Worker → primary: could not start (a port in use, an unreadable certificate …). */
export interface WorkerFailedMessage {
  gatehouse: 'failed';
  message: string;
}

export type PrimaryToWorkerMessage = WorkerStartMessage | WorkerReloadMessage | WorkerStopMessage;
export type WorkerToPrimaryMessage =
  | WorkerWaitingMessage
  | WorkerReadyMessage
  | WorkerFailedMessage
  | WorkerListenersMessage
  | WorkerListenerOutcomeMessage
  | WorkerTraceMessage;

/** The `gatehouse` tag of a message, or undefined for anything else on the channel. */
export function messageKind(message: unknown): string | undefined {
  const tag = (message as { gatehouse?: unknown } | null)?.gatehouse;
  return typeof tag === 'string' ? tag : undefined;
}
