/** `azure-openai-token-limit`: llm-token-limit under its Azure OpenAI name (docs/policies/azure-openai-token-limit.md). */
import { tokenLimitPolicy } from './llm/token-limit.js';

export const azureOpenaiTokenLimit = tokenLimitPolicy('azure-openai-token-limit');
