/**
 * What `GET /metrics` serves (docs/observability.md): the gateway's own registry when it runs in
 * this process, or with `--workers N` the workers' registries aggregated by prom-client over
 * node:cluster (counters and histograms summed, process metrics by prom-client's per-metric
 * rules) followed by this process's snapshot version.
 */
import { AggregatorRegistry, Registry } from 'prom-client';
import { trackSnapshotVersion, type GatewayMetrics } from '../gateway/gateway-metrics.js';
import type { SnapshotHolder } from '../gateway/snapshot/snapshot-holder.js';

/** Prometheus text and its content type. */
export interface MetricsSource {
  readonly contentType: string;
  text(): Promise<string>;
}

/** The metrics of a gateway running in this process, with the version of the snapshot it serves. */
export function singleProcessMetrics(metrics: GatewayMetrics, snapshots: SnapshotHolder): MetricsSource {
  trackSnapshotVersion(metrics.registry, snapshots);
  return { contentType: metrics.registry.contentType, text: () => metrics.text() };
}

/** The metrics of `--workers N`: the workers' registries aggregated, plus the primary's snapshot version. */
export function clusterMetrics(snapshots: SnapshotHolder): MetricsSource {
  const aggregator = new AggregatorRegistry();
  const primary = new Registry();
  // The primary's version: a replacement worker counts its own reloads from 1, the primary does not restart.
  trackSnapshotVersion(primary, snapshots);
  return {
    contentType: primary.contentType,
    async text() {
      const [workers, own] = await Promise.all([aggregator.clusterMetrics(), primary.metrics()]);
      return workers === '' ? own : `${workers.trimEnd()}\n\n${own}`;
    },
  };
}
