/**
 * Where the `trace` and `emit-metric` policies send what they produce (docs/policies/trace.md,
 * docs/policies/emit-metric.md). The gateway decides, from the diagnostics in force for the
 * request, whether a trace is written and whether a metric is emitted.
 */
import type { GatewayContext } from './gateway-context.js';

/** `trace` severities, lowest first (Azure's order). */
export const traceSeverities = ['verbose', 'information', 'error'] as const;
export type TraceSeverity = (typeof traceSeverities)[number];

/** One custom trace: the `trace` policy's source, severity, message and metadata. */
export interface TraceEntry {
  source: string;
  severity: TraceSeverity;
  message: string;
  metadata: Record<string, string>;
}

/** One custom metric value: `emit-metric`'s name, namespace, value and dimensions (name → value). */
export interface MetricEmission {
  name: string;
  namespace: string;
  value: number;
  dimensions: Array<[string, string]>;
}

export interface PolicyTelemetry {
  /** Writes `entry` wherever a diagnostic in force for the request admits its severity. */
  trace(gw: GatewayContext, entry: TraceEntry): void;
  /** Adds `metric` to its series when a diagnostic in force for the request enables custom metrics. */
  emitMetric(gw: GatewayContext, metric: MetricEmission): void;
}
