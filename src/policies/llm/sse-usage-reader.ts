/**
 * Reads token usage out of a streamed chat completion (server-sent events) as its bytes pass,
 * without holding them back: each `data:` event is parsed when its line ends, the `usage` of
 * the final chunk (OpenAI's `stream_options.include_usage`) is kept when one comes, and the
 * generated text of the deltas is gathered so completion tokens can be estimated when none
 * does (Azure: "Completion tokens are also estimated when responses are streamed").
 */
import { StreamWatcher } from '../../pipeline/stream-watcher.js';

/** Token counts as an OpenAI-compatible backend reports them in `usage`. */
export interface ReportedUsage {
  promptTokens?: number;
  completionTokens?: number;
  totalTokens?: number;
}

/** What a whole stream told. */
export interface StreamedAnswer {
  /** The last `usage` object seen in a chunk, if any. */
  usage?: ReportedUsage;
  /** The generated text of the deltas (content, refusals, tool-call arguments), in pieces. */
  generatedText: string[];
  /** How many `data:` events carried a JSON chunk. */
  chunks: number;
}

/** Longest SSE line kept while waiting for its end: a longer one is skipped, never buffered further. */
export const maxEventLineBytes = 1024 * 1024;
/** Most generated text kept for estimating (characters); past it, the rest is counted by length alone. */
export const maxGeneratedTextChars = 256 * 1024;

/** Reads a number field that is a non-negative integer, else undefined. */
function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** The usage object of a parsed response or chunk, if it has one with counts. */
export function reportedUsage(body: unknown): ReportedUsage | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const usage = (body as { usage?: unknown }).usage;
  if (typeof usage !== 'object' || usage === null) return undefined;
  const u = usage as Record<string, unknown>;
  // Chat completions name them prompt/completion; the Responses API input/output.
  const out: ReportedUsage = {};
  const prompt = count(u.prompt_tokens) ?? count(u.input_tokens);
  const completion = count(u.completion_tokens) ?? count(u.output_tokens);
  const total = count(u.total_tokens);
  if (prompt !== undefined) out.promptTokens = prompt;
  if (completion !== undefined) out.completionTokens = completion;
  if (total !== undefined) out.totalTokens = total;
  return prompt === undefined && completion === undefined && total === undefined ? undefined : out;
}

/** Incremental parser of an SSE byte stream; feed it chunks as they come, split anywhere. */
export class SseUsageReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** True while skipping the rest of a line that grew past maxEventLineBytes. */
  private skipping = false;
  private textChars = 0;
  private readonly answer: StreamedAnswer = { generatedText: [], chunks: 0 };
  /** Characters of generated text past maxGeneratedTextChars, not kept. */
  overflowChars = 0;

  /** Takes the next bytes of the stream. */
  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const newline = chunk.indexOf(0x0a, start);
      if (newline === -1) {
        this.keep(chunk.subarray(start));
        return;
      }
      this.keep(chunk.subarray(start, newline));
      this.endLine();
      start = newline + 1;
    }
  }

  /** The stream ended: a last line without its newline still counts. */
  finish(): StreamedAnswer {
    if (this.pendingBytes > 0 || this.skipping) this.endLine();
    return this.answer;
  }

  private keep(part: Buffer): void {
    if (this.skipping || part.length === 0) return;
    if (this.pendingBytes + part.length > maxEventLineBytes) {
      this.pending = [];
      this.pendingBytes = 0;
      this.skipping = true;
      return;
    }
    this.pending.push(part);
    this.pendingBytes += part.length;
  }

  private endLine(): void {
    const skipped = this.skipping;
    const line = skipped ? '' : Buffer.concat(this.pending, this.pendingBytes).toString('utf8');
    this.pending = [];
    this.pendingBytes = 0;
    this.skipping = false;
    if (skipped) return;
    // `data:` with an optional single space; CR of a CRLF line end dropped.
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (!text.startsWith('data:')) return;
    const data = text.slice(text.startsWith('data: ') ? 6 : 5);
    if (data === '[DONE]' || data === '') return;
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      return;
    }
    this.answer.chunks += 1;
    // The Responses API streams its usage inside the final `response.completed` event's response.
    const usage = reportedUsage(chunk) ?? reportedUsage((chunk as { response?: unknown } | null)?.response);
    if (usage) this.answer.usage = usage;
    for (const piece of generatedPieces(chunk)) this.addText(piece);
  }

  private addText(piece: string): void {
    if (this.textChars + piece.length > maxGeneratedTextChars) {
      this.overflowChars += piece.length;
      return;
    }
    this.textChars += piece.length;
    this.answer.generatedText.push(piece);
  }
}

/** The generated text of one chunk: every choice's delta content, refusal and tool-call arguments. */
function generatedPieces(chunk: unknown): string[] {
  const pieces: string[] = [];
  const choices = (chunk as { choices?: unknown }).choices;
  if (!Array.isArray(choices)) return pieces;
  for (const choice of choices) {
    const delta = (choice as { delta?: unknown; text?: unknown } | null)?.delta;
    // Legacy completions stream `text` on the choice itself.
    const legacy = (choice as { text?: unknown } | null)?.text;
    if (typeof legacy === 'string') pieces.push(legacy);
    if (typeof delta !== 'object' || delta === null) continue;
    const d = delta as { content?: unknown; refusal?: unknown; tool_calls?: unknown };
    if (typeof d.content === 'string') pieces.push(d.content);
    if (typeof d.refusal === 'string') pieces.push(d.refusal);
    if (Array.isArray(d.tool_calls)) {
      for (const call of d.tool_calls) {
        const args = (call as { function?: { arguments?: unknown; name?: unknown } } | null)?.function;
        if (typeof args?.name === 'string') pieces.push(args.name);
        if (typeof args?.arguments === 'string') pieces.push(args.arguments);
      }
    }
  }
  return pieces;
}

/** A pass-through stream that feeds every chunk to a reader as it goes by and reports the answer once, at the end. */
export function sseUsageObserver(onDone: (answer: StreamedAnswer, reader: SseUsageReader) => void): StreamWatcher {
  const reader = new SseUsageReader();
  return new StreamWatcher((chunk) => reader.push(chunk), () => onDone(reader.finish(), reader));
}
