/**
 * A Prometheus histogram for the request hot path (issue 19 §1): each label set is resolved once
 * into a series whose bucket counts, sum and count live in one Float64Array, so an observation is
 * a bucket search and three additions (prom-client's observe hashes the label object, validates
 * it and indexes its buckets by the bound's string on every call). It registers itself on a
 * prom-client registry and answers `getForPromString()` and `get()` in prom-client's own shapes,
 * so `GET /metrics` prints exactly what a prom-client Histogram prints for the same observations
 * and `AggregatorRegistry` sums it across worker processes.
 */
import type { Histogram, Registry } from 'prom-client';
import { labelSetKey, ownLabels } from './metric-labels.js';

/** One label set's series: `observe` adds a value in seconds (or whatever unit the metric has). */
export interface HistogramSeries {
  observe(value: number): void;
}

interface SeriesState {
  readonly labels: Record<string, string>;
  // [count per bucket (not cumulative)..., sum, count]
  readonly values: Float64Array;
}

/** A value in prom-client's exposition shape (`getForPromString`). */
interface ExportedValue {
  labels: Record<string, string | number>;
  sharedLabels?: Record<string, string>;
  value: number;
  metricName: string;
  exemplar?: null;
}

export class FixedBucketHistogram<L extends string> {
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  private readonly bounds: Float64Array;
  private readonly series = new Map<string, SeriesState>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly L[],
    private readonly upperBounds: readonly number[],
    registry: Registry,
  ) {
    this.bounds = Float64Array.from(upperBounds);
    // The registry's own type lists prom-client's classes; it only reads the members defined here.
    registry.registerMetric(this as unknown as Histogram<L>);
  }

  /** The series of `labels` (every label name given, no others), created empty on first use. */
  labels(labels: Record<L, string>): HistogramSeries {
    const key = labelSetKey(this.labelNames, labels);
    let state = this.series.get(key);
    if (!state) {
      state = { labels: ownLabels(this.labelNames, labels), values: new Float64Array(this.bounds.length + 2) };
      this.series.set(key, state);
    }
    return this.seriesOf(state);
  }

  private seriesOf(state: SeriesState): HistogramSeries {
    const { bounds } = this;
    const values = state.values;
    const n = bounds.length;
    return {
      observe(value: number): void {
        if (!Number.isFinite(value)) throw new TypeError(`Value is not a valid number: ${value}`);
        let i = 0;
        while (i < n && value > bounds[i]!) i++;
        if (i < n) values[i]! += 1;
        values[n]! += value;
        values[n + 1]! += 1;
      },
    };
  }

  /** Forgets every series (prom-client's `reset`). */
  reset(): void {
    this.series.clear();
  }

  /** The metric as prom-client's registry formats it. */
  getForPromString(): Promise<{ name: string; help: string; type: 'histogram'; values: ExportedValue[]; aggregator: 'sum' }> {
    const bucketName = `${this.name}_bucket`;
    const values: ExportedValue[] = [];
    const n = this.upperBounds.length;
    for (const state of this.series.values()) {
      let cumulative = 0;
      for (let i = 0; i < n; i++) {
        cumulative += state.values[i]!;
        values.push({ labels: { le: this.upperBounds[i]! }, sharedLabels: state.labels, value: cumulative, metricName: bucketName, exemplar: null });
      }
      const count = state.values[n + 1]!;
      values.push({ labels: { le: '+Inf' }, sharedLabels: state.labels, value: count, metricName: bucketName, exemplar: null });
      values.push({ labels: {}, sharedLabels: state.labels, value: state.values[n]!, metricName: `${this.name}_sum`, exemplar: undefined });
      values.push({ labels: {}, sharedLabels: state.labels, value: count, metricName: `${this.name}_count`, exemplar: undefined });
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator });
  }

  /** The metric as JSON (each value's labels include the series' labels), what workers send to the aggregator. */
  async get(): Promise<{ name: string; help: string; type: 'histogram'; values: ExportedValue[]; aggregator: 'sum' }> {
    const data = await this.getForPromString();
    data.values = data.values.map(({ sharedLabels, labels, ...rest }) => ({ ...rest, labels: { ...labels, ...sharedLabels } }));
    return data;
  }
}
