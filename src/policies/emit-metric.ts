/**
 * `emit-metric` (reference §3): adds `value` (default 1) to a custom metric named `name` in
 * `namespace` (default `API Management`) with up to 10 dimensions; a dimension without a value
 * must be one of Azure's default dimensions and takes the request's value for it. Emitted when a
 * diagnostic in force for the request has `metrics: true` (docs/policies/emit-metric.md).
 */
import type { PolicyModule } from '../pipeline/policy-module.js';
import { compileDimensions, dimensionValues, metricDefaultDimensions } from './metric-dimensions.js';

const maxDimensions = 10;

export const emitMetric: PolicyModule = {
  name: 'emit-metric',
  sections: ['inbound', 'backend', 'outbound', 'on-error'],
  attributes: {
    name: { type: 'string', required: true },
    namespace: { type: 'string', default: 'API Management' },
    value: { type: 'number', default: 1, expression: true },
  },
  compile(element, ctx) {
    const name = ctx.string(element, 'name')!.constant!;
    if (name.trim() === '') ctx.fail(element, "The 'name' attribute must not be empty.");
    const namespace = ctx.string(element, 'namespace')!.constant!;
    const value = ctx.number(element, 'value')!;
    const dimensions = compileDimensions(element, ctx, metricDefaultDimensions, maxDimensions);
    return (gw) => {
      const telemetry = gw.services.telemetry;
      if (!telemetry && !gw.requestTrace) return;
      const metric = { name, namespace, value: value.get(gw), dimensions: dimensionValues(dimensions, gw) };
      if (gw.requestTrace) gw.traceStep('emit-metric', { message: telemetry ? 'Metric was emitted.' : 'No diagnostic collects metrics; nothing was emitted.', ...metric, dimensions: Object.fromEntries(metric.dimensions) });
      telemetry?.emitMetric(gw, metric);
    };
  },
};
