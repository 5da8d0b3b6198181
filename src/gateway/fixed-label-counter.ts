/**
 * A Prometheus counter for the request hot path (issue 19): each label set is resolved once into
 * a cell, so counting is one addition (a prom-client Counter's labelled child hashes its label
 * object, sorted by name, and validates it on every `inc`). It registers itself on a prom-client
 * registry and answers `get()` in prom-client's counter shape, so `GET /metrics` prints exactly
 * what a prom-client Counter prints for the same increments and `AggregatorRegistry` sums it
 * across worker processes.
 */
import type { Counter, Registry } from 'prom-client';
import { labelSetKey, ownLabels } from './metric-labels.js';

/** One label set's count. */
export class CounterCell {
  value = 0;

  constructor(readonly labels: Record<string, string>) {}

  inc(): void {
    this.value += 1;
  }
}

export class FixedLabelCounter<L extends string> {
  readonly type = 'counter';
  readonly aggregator = 'sum';
  // In order of first use, as prom-client lists its series.
  private readonly cells = new Map<string, CounterCell>();

  constructor(
    readonly name: string,
    readonly help: string,
    private readonly labelNames: readonly L[],
    registry: Registry,
  ) {
    // The registry's own type lists prom-client's classes; it only reads the members defined here.
    registry.registerMetric(this as unknown as Counter<L>);
  }

  /** The cell of `labels` (every label name given, no others), created at 0 on first use. */
  labels(labels: Record<L, string>): CounterCell {
    const key = labelSetKey(this.labelNames, labels);
    let cell = this.cells.get(key);
    if (!cell) {
      cell = new CounterCell(ownLabels(this.labelNames, labels));
      this.cells.set(key, cell);
    }
    return cell;
  }

  /** Forgets every cell (prom-client's `reset`). */
  reset(): void {
    this.cells.clear();
  }

  /** The metric as prom-client's registry formats it and workers send it to the aggregator. */
  get(): Promise<{ name: string; help: string; type: 'counter'; values: Array<{ value: number; labels: Record<string, string> }>; aggregator: 'sum' }> {
    const values = [...this.cells.values()].map((cell) => ({ value: cell.value, labels: cell.labels }));
    return Promise.resolve({ help: this.help, name: this.name, type: this.type, values, aggregator: this.aggregator });
  }
}
