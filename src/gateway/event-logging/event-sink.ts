/**
 * A destination of log-to-eventhub's messages (docs/loggers-and-diagnostics.md, "Event hub
 * sinks"): Azure Event Hubs, RabbitMQ or NATS. A logger's channel (logger-channel.ts) opens it,
 * sends batches through it in order and closes it; when it breaks, the channel opens a new one.
 */
import type { EventMessage } from '../../pipeline/event-logging.js';

export interface EventSink {
  /** Connects; rejects when the destination cannot be reached. */
  open(signal: AbortSignal): Promise<void>;
  /** Sends `messages` and resolves once the destination took them all; rejects otherwise. */
  send(messages: readonly EventMessage[], signal: AbortSignal): Promise<void>;
  /** Set once the connection is gone after `open` succeeded: the channel opens a new sink. */
  readonly broken: boolean;
  /** Closes the connection; never rejects. */
  close(): Promise<void>;
}

