/**
 * The Prometheus counters of log-to-eventhub (docs/loggers-and-diagnostics.md):
 * `gatehouse_logger_messages_sent_total{logger}`, the messages the sink confirmed, and
 * `gatehouse_logger_messages_dropped_total{logger,reason}`, those given up: `buffer_full` (the
 * logger's buffer was full, the sink being slow or down), `send_failed` (the sink refused or lost
 * them), `no_sink` (the logger's credentials name no sink Gatehouse can reach) and `closed` (left
 * in the buffer when the logger changed, was removed or the gateway stopped).
 */
import { Counter, type Registry } from 'prom-client';

export type DropReason = 'buffer_full' | 'send_failed' | 'no_sink' | 'closed';

/** Where a logger's channel counts what it sent and dropped. */
export interface LoggerCounts {
  sent(logger: string, count: number): void;
  dropped(logger: string, reason: DropReason, count: number): void;
}

/** The counters on `registry` (the gateway's `/metrics` one). */
export function loggerMetrics(registry: Registry): LoggerCounts {
  const sent = new Counter({ name: 'gatehouse_logger_messages_sent_total', help: 'log-to-eventhub messages the logger\'s sink confirmed.', labelNames: ['logger'], registers: [registry] });
  const dropped = new Counter({ name: 'gatehouse_logger_messages_dropped_total', help: 'log-to-eventhub messages given up, by reason: buffer_full, send_failed, no_sink, closed.', labelNames: ['logger', 'reason'], registers: [registry] });
  return {
    sent: (logger, count) => sent.inc({ logger }, count),
    dropped: (logger, reason, count) => dropped.inc({ logger, reason }, count),
  };
}

/** Counts nowhere (`--metrics off`). */
export const uncounted: LoggerCounts = { sent: () => undefined, dropped: () => undefined };
