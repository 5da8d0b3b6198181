/** `llm-token-limit`: token rate limits and quotas for LLM APIs (docs/policies/llm-token-limit.md; shared code in llm/token-limit.ts). */
import { tokenLimitPolicy } from './llm/token-limit.js';

export const llmTokenLimit = tokenLimitPolicy('llm-token-limit');
