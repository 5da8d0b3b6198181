/** `azure-openai-emit-token-metric`: llm-emit-token-metric under its Azure OpenAI name, at most 10 dimensions (docs/policies/azure-openai-emit-token-metric.md). */
import { emitTokenMetricPolicy } from './llm/emit-token-metric.js';

export const azureOpenaiEmitTokenMetric = emitTokenMetricPolicy('azure-openai-emit-token-metric', 10);
