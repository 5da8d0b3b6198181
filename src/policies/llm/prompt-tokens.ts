/**
 * Counts tokens the way OpenAI's models do, with a real BPE tokenizer (gpt-tokenizer): the
 * encoding is chosen by model (OpenAI's table: `o200k_base` for gpt-4o, gpt-4.1, gpt-4.5, gpt-5
 * and the o-series; `cl100k_base` for gpt-4, gpt-3.5-turbo and the text-embedding models;
 * models it does not know get `o200k_base`, the encoding of current models). A chat prompt is
 * counted as OpenAI's cookbook does: 3 tokens per message, 1 more for a `name`, 3 to prime the
 * reply. Encodings are large (o200k_base takes about a second to load), so each is loaded on
 * first use and kept.
 */
export type EncodingName = 'o200k_base' | 'cl100k_base';

/** Counts the tokens of a text. */
export type TokenCounter = (text: string) => number;

const cl100kModels = /^(gpt-4(?![o.])|gpt-3\.5|gpt-35|text-embedding-(ada-002|3-))/;

/** The encoding of `model` (a model name, or an Azure deployment's model such as `gpt-35-turbo`). */
export function encodingForModel(model: string | undefined): EncodingName {
  const name = (model ?? '').trim().toLowerCase();
  return cl100kModels.test(name) ? 'cl100k_base' : 'o200k_base';
}

const loading = new Map<EncodingName, Promise<TokenCounter>>();

/** The counter of an encoding, loading it the first time. */
export function tokenCounter(encoding: EncodingName): Promise<TokenCounter> {
  let counter = loading.get(encoding);
  if (!counter) {
    counter =
      encoding === 'cl100k_base'
        ? import('gpt-tokenizer/encoding/cl100k_base').then((m) => (text: string) => m.countTokens(text))
        : import('gpt-tokenizer/encoding/o200k_base').then((m) => (text: string) => m.countTokens(text));
    loading.set(encoding, counter);
  }
  return counter;
}

const tokensPerMessage = 3;
const tokensPerName = 1;
const replyPriming = 3;

/** The text parts of a message's content: a string, or an array of parts (`{type:"text", text}`). */
function contentText(content: unknown): string[] {
  if (typeof content === 'string') return [content];
  if (!Array.isArray(content)) return [];
  const texts: string[] = [];
  for (const part of content) {
    if (typeof part === 'string') texts.push(part);
    else if (typeof part === 'object' && part !== null) {
      const text = (part as { text?: unknown }).text;
      if (typeof text === 'string') texts.push(text);
    }
  }
  return texts;
}

/**
 * The prompt tokens of an OpenAI-style request body: chat `messages`, completion `prompt`, or
 * embeddings/Responses `input`; tools and functions count as their JSON text. 0 for a body
 * that has none of these.
 */
export function countPromptTokens(body: unknown, count: TokenCounter): number {
  if (typeof body !== 'object' || body === null) return 0;
  const b = body as Record<string, unknown>;
  let tokens = 0;
  if (Array.isArray(b.messages)) {
    for (const message of b.messages) {
      if (typeof message !== 'object' || message === null) continue;
      const m = message as Record<string, unknown>;
      tokens += tokensPerMessage;
      if (typeof m.role === 'string') tokens += count(m.role);
      for (const text of contentText(m.content)) tokens += count(text);
      if (typeof m.name === 'string') tokens += count(m.name) + tokensPerName;
      if (Array.isArray(m.tool_calls)) tokens += count(JSON.stringify(m.tool_calls));
    }
    tokens += replyPriming;
  }
  for (const field of ['prompt', 'input'] as const) {
    const value = b[field];
    if (typeof value === 'string') tokens += count(value);
    else if (Array.isArray(value)) {
      for (const item of value) {
        if (typeof item === 'string') tokens += count(item);
        else if (typeof item === 'object' && item !== null) {
          // Responses API input items: messages with content.
          for (const text of contentText((item as { content?: unknown }).content)) tokens += count(text);
        }
      }
    }
  }
  for (const field of ['tools', 'functions'] as const) {
    if (Array.isArray(b[field])) tokens += count(JSON.stringify(b[field]));
  }
  return tokens;
}

/** The tokens of generated text pieces (a streamed answer's deltas), counted as one text. */
export function countGeneratedTokens(pieces: readonly string[], count: TokenCounter): number {
  return pieces.length === 0 ? 0 : count(pieces.join(''));
}
