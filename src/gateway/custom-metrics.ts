/**
 * The `emit-metric` policy's metrics as Prometheus series (docs/policies/emit-metric.md): one
 * counter per metric name, `gatehouse_custom_<name>_total`, labelled with `namespace` and the
 * dimensions (names made Prometheus-safe: `API ID` → `api_id`). Different emit-metric policies
 * may give one metric different dimensions: the counter then carries the union of their labels,
 * a series without a dimension having it empty, as Prometheus reads a missing label.
 */
import { Counter, type Registry } from 'prom-client';
import type { MetricEmission } from '../pipeline/policy-telemetry.js';

/** A name part made of Prometheus' metric/label characters: anything else becomes `_`. */
export function prometheusName(text: string): string {
  const name = text.trim().toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '');
  return name === '' || /^[0-9]/.test(name) ? `_${name}` : name;
}

interface Series {
  counter: Counter<string>;
  labelNames: readonly string[];
  /** What was added per label set, replayed into a widened counter. */
  totals: Map<string, { labels: Record<string, string>; value: number }>;
}

/** Custom metric counters on `registry`, created on first emission. */
export class CustomMetrics {
  private readonly series = new Map<string, Series>();

  constructor(private readonly registry: Registry) {}

  /** Adds `metric.value` to its series; a negative or non-finite value is refused (counters only grow). */
  add(metric: MetricEmission): void {
    if (!Number.isFinite(metric.value) || metric.value < 0) throw new RangeError(`emit-metric '${metric.name}': the value ${metric.value} cannot be added to a Prometheus counter (it must be a finite number of 0 or more).`);
    const labels: Record<string, string> = { namespace: metric.namespace };
    for (const [name, value] of metric.dimensions) {
      const label = prometheusName(name);
      // `namespace` is ours; a dimension of that name keeps its value under `dimension_namespace`.
      labels[label === 'namespace' ? 'dimension_namespace' : label] = value;
    }
    const metricName = `gatehouse_custom_${prometheusName(metric.name)}_total`;
    const series = this.counterFor(metricName, metric.name, Object.keys(labels));
    // In the counter's label order, so a series prints the same whichever dimensions came first.
    const ordered: Record<string, string> = {};
    for (const name of series.labelNames) ordered[name] = labels[name] ?? '';
    series.counter.inc(ordered, metric.value);
    const key = JSON.stringify(Object.values(ordered));
    const total = series.totals.get(key);
    if (total) total.value += metric.value;
    else series.totals.set(key, { labels: ordered, value: metric.value });
  }

  /** The counter of `metricName` with every label in `wanted`, widened (values kept) when it lacks one. */
  private counterFor(metricName: string, displayName: string, wanted: readonly string[]): Series {
    const existing = this.series.get(metricName);
    if (existing && wanted.every((l) => existing.labelNames.includes(l))) return existing;
    const labelNames = [...new Set([...(existing?.labelNames ?? []), ...wanted])];
    if (existing) this.registry.removeSingleMetric(metricName);
    const counter = new Counter({ name: metricName, help: `Custom metric '${displayName}' (emit-metric policy).`, labelNames, registers: [this.registry] });
    const totals = new Map<string, { labels: Record<string, string>; value: number }>();
    for (const { labels, value } of existing?.totals.values() ?? []) {
      const widened: Record<string, string> = {};
      for (const name of labelNames) widened[name] = labels[name] ?? '';
      counter.inc(widened, value);
      totals.set(JSON.stringify(labelNames.map((name) => widened[name])), { labels: widened, value });
    }
    const series = { counter, labelNames, totals };
    this.series.set(metricName, series);
    return series;
  }
}
