/**
 * `llm-emit-token-metric` and `azure-openai-emit-token-metric` (one policy under two names):
 * once the answer of an LLM call is counted, adds its tokens to three custom metrics, `Total
 * Tokens`, `Prompt Tokens` and `Completion Tokens`, in `namespace` (default `API Management`)
 * with the policy's dimensions, through the same telemetry as emit-metric (a diagnostic in
 * force with `metrics: true`; Prometheus series `gatehouse_custom_total_tokens_total` …).
 * Counts come from the backend's `usage`; a streamed answer's are estimated when it sends none.
 * Dimension values are taken when the policy runs (inbound), as Azure evaluates them.
 */
import type { PolicyModule } from '../../pipeline/policy-module.js';
import { compileDimensions, dimensionValues, tokenMetricDefaultDimensions } from '../metric-dimensions.js';
import { llmExchange } from './llm-exchange.js';

/** The metric names Azure emits, with the usage field each counts. */
const tokenMetrics = [
  ['Total Tokens', 'total'],
  ['Prompt Tokens', 'prompt'],
  ['Completion Tokens', 'completion'],
] as const;

/** The token metric policy under `name`, with at most `maxDimensions` dimensions (Azure: 5 for llm-, 10 for azure-openai-). */
export function emitTokenMetricPolicy(name: string, maxDimensions: number): PolicyModule {
  return {
    name,
    sections: ['inbound'],
    attributes: {
      namespace: { type: 'string', default: 'API Management' },
    },
    compile(element, ctx) {
      const namespace = ctx.string(element, 'namespace')!.constant!;
      if (namespace.trim() === '') ctx.fail(element, "The 'namespace' attribute must not be empty.");
      const dimensions = compileDimensions(element, ctx, tokenMetricDefaultDimensions, maxDimensions);
      return async (gw) => {
        const telemetry = gw.services.telemetry;
        if (!telemetry) return;
        const exchange = await llmExchange(gw, name);
        const values = dimensionValues(dimensions, gw);
        exchange.onUsage((usage, g) => {
          for (const [metric, field] of tokenMetrics) telemetry.emitMetric(g, { name: metric, namespace, value: usage[field], dimensions: values });
          if (g.requestTrace) g.traceStep(name, { namespace, promptTokens: usage.prompt, completionTokens: usage.completion, totalTokens: usage.total, estimated: usage.estimated, dimensions: Object.fromEntries(values) });
        });
      };
    },
  };
}
