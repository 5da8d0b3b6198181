/**
 * One LLM call as the AI gateway policies see it (llm-token-limit, llm-emit-token-metric and
 * their azure-openai twins): the prompt of the request, and the token counts of the answer.
 * Kept once per request, so every such policy of the request shares one reading of the
 * request body, one tokenizer pass and one observer of the streamed answer.
 *
 * The answer is read when the backend has answered, before outbound runs: a JSON answer's
 * `usage` (a body of known length within the gateway's buffering limit is read then, and kept
 * for the client; any other is watched as it passes and counted at its end, never cut short);
 * a server-sent-events answer (`text/event-stream`) is observed as it passes on to the client,
 * never held back, and counted at its end from the final usage chunk when the backend sends
 * one (`stream_options.include_usage`), else estimated with the tokenizer (Azure: with
 * `stream: true` prompt and completion tokens are estimated).
 */
import { bufferWithinLimit } from '../../pipeline/buffered-body.js';
import type { GatewayContext } from '../../pipeline/gateway-context.js';
import { MessageBody, defaultMaxBufferedBodyBytes } from '../../pipeline/message-body.js';
import { StreamWatcher } from '../../pipeline/stream-watcher.js';
import { RequestSlot } from '../../pipeline/request-slot.js';
import { parseJsonAnswer } from './json-answer.js';
import { countGeneratedTokens, countPromptTokens, encodingForModel, tokenCounter, type TokenCounter } from './prompt-tokens.js';
import { reportedUsage, sseUsageObserver, SseUsageReader, type ReportedUsage, type StreamedAnswer } from './sse-usage-reader.js';

/** The token counts of one answer. */
export interface TokenUsage {
  prompt: number;
  completion: number;
  total: number;
  /** True when some count is the gateway's estimate rather than the backend's report. */
  estimated: boolean;
}

/** Told the usage once it is known: before outbound for a JSON answer, at the stream's end for a streamed one. */
export type UsageListener = (usage: TokenUsage, gw: GatewayContext) => void | Promise<void>;

/** Characters per token assumed for generated text past what the reader keeps (OpenAI's rule of thumb). */
const charsPerToken = 4;

export class LlmExchange {
  private prompt: Promise<number> | undefined;
  private readonly listeners: UsageListener[] = [];

  constructor(
    /** The parsed request body, or undefined when it is not JSON. */
    readonly body: unknown,
    /** The model named by the request (`model`) or by its Azure deployment path. */
    readonly model: string | undefined,
    /** The request asked for a streamed answer (`"stream": true`). */
    readonly streamed: boolean,
  ) {}

  /** The tokenizer for the request's model. */
  counter(): Promise<TokenCounter> {
    return tokenCounter(encodingForModel(this.model));
  }

  /** The prompt tokens of the request, counted with the model's tokenizer (once). */
  promptTokens(): Promise<number> {
    return (this.prompt ??= this.counter().then((count) => countPromptTokens(this.body, count)));
  }

  /** Registers a listener for the answer's usage. */
  onUsage(listener: UsageListener): void {
    this.listeners.push(listener);
  }

  /** Reads the backend's answer (beforeOutbound hook); never throws. */
  async answered(gw: GatewayContext): Promise<void> {
    if (!gw.forwarded || this.listeners.length === 0) return;
    try {
      const contentType = (gw.response.headers.get('content-type') ?? '').toLowerCase();
      if (contentType.startsWith('text/event-stream')) await this.observeStream(gw);
      else await this.readJsonAnswer(gw, contentType);
    } catch (err) {
      gw.services.logger.warn({ err, requestId: gw.requestId }, 'LLM token usage could not be read');
    }
  }

  private async readJsonAnswer(gw: GatewayContext, contentType: string): Promise<void> {
    const body = gw.response.body;
    if (!contentType.includes('json') || !body.present) return;
    const limit = gw.services.maxBufferedBodyBytes ?? defaultMaxBufferedBodyBytes;
    const encoding = gw.response.headers.get('content-encoding');
    const declared = body.knownLength ?? Number(gw.response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared <= limit) {
      // Known to fit: read now, so outbound and the headers see the counts.
      await this.countJsonAnswer(gw, await body.read(true, limit), encoding, limit);
      return;
    }
    // Length unknown or past the limit: watched as it passes to the client, counted at its end
    // when it fitted in the limit (reading it here could cut a longer answer short).
    const payload = body.payload();
    if (payload === null || Buffer.isBuffer(payload)) return;
    const parts: Buffer[] = [];
    let size = 0;
    const watcher = new StreamWatcher(
      (chunk) => {
        size += chunk.length;
        if (size <= limit) parts.push(chunk);
        else parts.length = 0;
      },
      () => {
        if (size > limit) return;
        this.countJsonAnswer(gw, Buffer.concat(parts), encoding, limit).catch((err: unknown) =>
          gw.services.logger.warn({ err, requestId: gw.requestId }, 'LLM token usage update failed'),
        );
      },
    );
    payload.on('error', (err) => watcher.destroy(err));
    payload.pipe(watcher);
    gw.response.body = new MessageBody(watcher);
  }

  private async countJsonAnswer(gw: GatewayContext, bytes: Buffer, encoding: string | undefined, limit: number): Promise<void> {
    const reported = reportedUsage(parseJsonAnswer(bytes, encoding, limit));
    // An answer without usage (an error from the backend) counts nothing beyond what was estimated.
    if (!reported) return;
    const prompt = reportedCounts(reported).prompt === undefined ? await this.promptTokens() : 0;
    await this.notify(gw, usageFrom(reported, prompt, 0));
  }

  private async observeStream(gw: GatewayContext): Promise<void> {
    // Loaded before the stream flows, so the end of the stream counts without waiting.
    const count = await this.counter();
    const prompt = await this.promptTokens();
    const payload = gw.response.body.payload();
    if (payload === null) return;
    if (Buffer.isBuffer(payload)) {
      const reader = new SseUsageReader();
      reader.push(payload);
      await this.notify(gw, this.streamedUsage(reader.finish(), reader, count, prompt));
      return;
    }
    const observer = sseUsageObserver((answer, reader) => {
      Promise.resolve(this.notify(gw, this.streamedUsage(answer, reader, count, prompt))).catch((err: unknown) =>
        gw.services.logger.warn({ err, requestId: gw.requestId }, 'LLM token usage update failed'),
      );
    });
    payload.on('error', (err) => observer.destroy(err));
    payload.pipe(observer);
    gw.response.body = new MessageBody(observer);
  }

  private streamedUsage(answer: StreamedAnswer, reader: SseUsageReader, count: TokenCounter, estimatedPrompt: number): TokenUsage {
    const reported = answer.usage;
    const estimatedCompletion = countGeneratedTokens(answer.generatedText, count) + Math.ceil(reader.overflowChars / charsPerToken);
    return usageFrom(reported, estimatedPrompt, estimatedCompletion);
  }

  private async notify(gw: GatewayContext, usage: TokenUsage): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await listener(usage, gw);
      } catch (err) {
        gw.services.logger.warn({ err, requestId: gw.requestId }, 'LLM token usage listener failed');
      }
    }
  }
}

/** The prompt and completion counts a report gives, directly or as the total less the other. */
function reportedCounts(reported: ReportedUsage | undefined): { prompt?: number; completion?: number } {
  const { promptTokens, completionTokens, totalTokens } = reported ?? {};
  const out: { prompt?: number; completion?: number } = {};
  const prompt = promptTokens ?? (totalTokens !== undefined && completionTokens !== undefined ? totalTokens - completionTokens : undefined);
  const completion = completionTokens ?? (totalTokens !== undefined && promptTokens !== undefined ? totalTokens - promptTokens : undefined);
  if (prompt !== undefined) out.prompt = prompt;
  if (completion !== undefined) out.completion = completion;
  return out;
}

/** Reported counts where the backend gave them, the estimates for the rest. */
function usageFrom(reported: ReportedUsage | undefined, promptEstimate: number, completionEstimate: number): TokenUsage {
  const known = reportedCounts(reported);
  const prompt = known.prompt ?? promptEstimate;
  const completion = known.completion ?? completionEstimate;
  return { prompt, completion, total: prompt + completion, estimated: known.prompt === undefined || known.completion === undefined };
}

const exchangeSlot = new RequestSlot<LlmExchange>('llm exchange');

/** The model of an Azure OpenAI path: `/deployments/{deployment-id}/…`. */
const deploymentPath = /\/deployments\/([^/]+)\//i;

/**
 * The request's LLM exchange, made by the first AI gateway policy that asks: the request body
 * is buffered (within the gateway's limit; past it the policy fails with 413, as any policy
 * that reads the body) and kept for the backend.
 */
export async function llmExchange(gw: GatewayContext, policy: string): Promise<LlmExchange> {
  const existing = gw.slot(exchangeSlot);
  if (existing) return existing;
  let body: unknown;
  if (gw.request.body.present) {
    await bufferWithinLimit(gw, gw.request.body, 'request', policy);
    try {
      body = JSON.parse((gw.request.body.bufferedContent ?? Buffer.alloc(0)).toString('utf8'));
    } catch {
      body = undefined;
    }
  }
  const fields = typeof body === 'object' && body !== null ? (body as { model?: unknown; stream?: unknown }) : {};
  const model = typeof fields.model === 'string' ? fields.model : deploymentPath.exec(gw.request.url.path)?.[1];
  const exchange = new LlmExchange(body, model, fields.stream === true);
  gw.setSlot(exchangeSlot, exchange);
  gw.beforeOutbound.push((g) => exchange.answered(g));
  return exchange;
}
