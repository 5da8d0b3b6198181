/** `llm-emit-token-metric`: token count metrics of LLM calls, at most 5 dimensions (docs/policies/llm-emit-token-metric.md; shared code in llm/emit-token-metric.ts). */
import { emitTokenMetricPolicy } from './llm/emit-token-metric.js';

export const llmEmitTokenMetric = emitTokenMetricPolicy('llm-emit-token-metric', 5);
