/**
 * What the primary process and its gateway workers tell each other (`gatehouse start
 * --workers N`), besides the counter calls of src/store/counter-messages.ts.
 */
import type { ServiceConfig } from '../model/resources.js';
import type { GatewayListenerOptions } from '../network/gateway-listeners.js';
import type { ListenerAddress } from './gateway-runtime.js';

/** Primary → worker: serve this configuration on these listeners. */
export interface WorkerStartMessage {
  gatehouse: 'start';
  config: ServiceConfig;
  listen: GatewayListenerOptions;
}

/** Primary → worker: swap in a configuration the primary already compiled successfully. */
export interface WorkerReloadMessage {
  gatehouse: 'reload';
  config: ServiceConfig;
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
}

/** Worker → primary: could not start (a port in use, an unreadable certificate …). */
export interface WorkerFailedMessage {
  gatehouse: 'failed';
  message: string;
}

export type PrimaryToWorkerMessage = WorkerStartMessage | WorkerReloadMessage | WorkerStopMessage;
export type WorkerToPrimaryMessage = WorkerWaitingMessage | WorkerReadyMessage | WorkerFailedMessage;

/** The `gatehouse` tag of a message, or undefined for anything else on the channel. */
export function messageKind(message: unknown): string | undefined {
  const tag = (message as { gatehouse?: unknown } | null)?.gatehouse;
  return typeof tag === 'string' ? tag : undefined;
}
