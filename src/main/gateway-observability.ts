/**
 * Wires the access log and the metrics of one gateway process from `--access-log` and
 * `--metrics`: the request observer handed to the gateway runtime, the metrics registry, and a
 * close that flushes the log. Nothing is created for what is off, so `--access-log off
 * --metrics off` leaves the request handler without an observer at all.
 */
import { AggregatorRegistry } from 'prom-client';
import type { Logger } from '../core/logger.js';
import { createAccessLog, type AccessLog } from '../gateway/access-log.js';
import { GatewayMetrics } from '../gateway/gateway-metrics.js';
import { observeRequests } from '../gateway/observe-requests.js';
import type { RequestObserver, RequestSink } from '../gateway/request-observer.js';
import type { ObservabilityOptions } from './observability-options.js';

export interface GatewayObservability {
  /** Undefined when both the access log and the metrics are off. */
  observer: RequestObserver | undefined;
  metrics: GatewayMetrics | null;
  /** Flushes and closes the access log. */
  close(): Promise<void>;
}

/**
 * Opens the access log and the metrics; throws when the access log file cannot be opened.
 * `clusterWorker`: the registry is the one this `--workers` worker reports to the primary.
 */
export function startGatewayObservability(options: ObservabilityOptions, logger: Logger, clusterWorker = false): GatewayObservability {
  const sinks: RequestSink[] = [];
  let accessLog: AccessLog | null = null;
  if (options.accessLog) {
    accessLog = createAccessLog(options.accessLog);
    sinks.push(accessLog);
  }
  let metrics: GatewayMetrics | null = null;
  if (options.metrics) {
    metrics = new GatewayMetrics();
    sinks.push(metrics);
    if (clusterWorker) {
      // Constructing one installs prom-client's answer to the primary's requests in this worker.
      new AggregatorRegistry();
      AggregatorRegistry.setRegistries([metrics.registry]);
    }
  }
  const observer = sinks.length > 0 ? observeRequests(sinks, (err) => logger.error({ err }, 'recording a request for the access log or metrics failed')) : undefined;
  return {
    observer,
    metrics,
    async close() {
      await accessLog?.close();
    },
  };
}
