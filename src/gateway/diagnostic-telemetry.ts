/**
 * The `trace` and `emit-metric` policies acted on through the diagnostics in force for the
 * request (docs/loggers-and-diagnostics.md): a trace is written, whatever the sampling, by each
 * diagnostic whose `verbosity` admits its severity; a metric is emitted when an Application
 * Insights diagnostic has `metrics: true` (Azure: "Applicable only to Application Insights
 * diagnostic settings"), to the process's Prometheus registry.
 */
import type { Logger } from '../core/logger.js';
import type { DiagnosticSetting } from '../model/diagnostic-setting.js';
import type { GatewayContext } from '../pipeline/gateway-context.js';
import { traceSeverities, type MetricEmission, type PolicyTelemetry, type TraceEntry } from '../pipeline/policy-telemetry.js';
import type { CustomMetrics } from './custom-metrics.js';
import type { DiagnosticLog } from './diagnostic-log.js';

/** Whether a diagnostic of `verbosity` writes a trace of `severity` (Azure: at or above it). */
export function admits(verbosity: DiagnosticSetting['verbosity'], severity: TraceEntry['severity']): boolean {
  return traceSeverities.indexOf(severity) >= traceSeverities.indexOf(verbosity);
}

/**
 * Writes one trace into the process log for each diagnostic in `settings` that admits it: the
 * one function through which every trace reaches the log (a request tracer may call it too).
 */
export function writeTrace(logger: Logger, settings: readonly DiagnosticSetting[], request: Record<string, unknown>, entry: TraceEntry): void {
  for (const setting of settings) {
    if (!admits(setting.verbosity, entry.severity)) continue;
    logger.info({ diagnostic: setting.name, logger: setting.logger.name, loggerType: setting.logger.type, ...request, source: entry.source, severity: entry.severity, message: entry.message, metadata: entry.metadata }, 'gateway trace');
  }
}

/** The policies' telemetry of one gateway: `diagnostics` decide, `metrics` (absent: `--metrics off`) count. */
export class DiagnosticTelemetry implements PolicyTelemetry {
  constructor(
    private readonly diagnostics: DiagnosticLog,
    private readonly logger: Logger,
    private readonly metrics: CustomMetrics | undefined,
  ) {}

  trace(gw: GatewayContext, entry: TraceEntry): void {
    const settings = this.diagnostics.applyingTo(apiOf(gw));
    if (settings.length === 0) return;
    const request: Record<string, unknown> = { requestId: gw.requestId };
    if (gw.routing.unmatched !== 'api') request.api = gw.routing.apiId;
    if (gw.routing.unmatched === undefined) request.operation = gw.operation.name;
    writeTrace(this.logger, settings, request, entry);
  }

  emitMetric(gw: GatewayContext, metric: MetricEmission): void {
    if (!this.metrics) return;
    if (!this.diagnostics.applyingTo(apiOf(gw)).some((s) => s.metrics && s.name === 'applicationinsights')) return;
    try {
      this.metrics.add(metric);
    } catch (err) {
      // A bad value never fails the request; the operator sees why the series did not move.
      this.logger.warn({ err, requestId: gw.requestId }, 'emit-metric value not counted');
    }
  }
}

function apiOf(gw: GatewayContext): string | undefined {
  return gw.routing.unmatched === 'api' ? undefined : gw.api.name;
}
