/**
 * A real loopback server speaking the OpenAI chat completions protocol, for the AI gateway
 * policies: `POST …/chat/completions` answers JSON with `usage`, or, with `"stream": true`,
 * server-sent events (`data: {chunk}` lines, a final usage chunk when the request asks for
 * `stream_options.include_usage`, then `data: [DONE]`). A streamed answer can be held after
 * its first chunk until the test releases it, to show the gateway does not buffer it.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

export interface ChatRequestSeen {
  path: string;
  body: Record<string, unknown>;
}

export interface ChatBackend {
  readonly url: string;
  /** Every chat request received, in arrival order. */
  readonly received: ChatRequestSeen[];
  /** The usage every answer reports (prompt + completion). */
  usage: { prompt: number; completion: number };
  /** The generated text, streamed one word per chunk. */
  completionText: string;
  /** When true, a streamed answer waits after its first chunk until `release()`. */
  holdStreams: boolean;
  /** How a JSON answer is sent: with Content-Length (default), chunked without it, or gzip-compressed. */
  jsonDelivery: 'length' | 'chunked' | 'gzip';
  /** Lets every held stream go on. */
  release(): void;
  /** Streams currently held after their first chunk. */
  readonly held: number;
  close(): Promise<void>;
}

function chunk(res: ServerResponse, data: unknown): void {
  res.write(`data: ${JSON.stringify(data)}\n\n`);
}

/** Starts one on 127.0.0.1 on a free port. */
export async function startChatBackend(): Promise<ChatBackend> {
  const received: ChatRequestSeen[] = [];
  let waiters: Array<() => void> = [];
  let url = '';
  // The server reads the settings from the object the test holds and changes.
  const state: ChatBackend = {
    get url() {
      return url;
    },
    received,
    usage: { prompt: 30, completion: 20 },
    completionText: 'Gatehouse counts every token it forwards.',
    holdStreams: false,
    jsonDelivery: 'length',
    get held() {
      return waiters.length;
    },
    release() {
      const go = waiters;
      waiters = [];
      for (const w of go) w();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://backend').pathname;
      if (req.method !== 'POST' || !path.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"not found"}}');
        return;
      }
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(Buffer.concat(parts).toString('utf8')) as Record<string, unknown>;
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"invalid JSON"}}');
        return;
      }
      received.push({ path, body });
      const usage = { prompt_tokens: state.usage.prompt, completion_tokens: state.usage.completion, total_tokens: state.usage.prompt + state.usage.completion };
      const base = { id: 'chatcmpl-1', created: 1_700_000_000, model: typeof body.model === 'string' ? body.model : 'gpt-4o' };
      if (body.stream !== true) {
        const answer = Buffer.from(JSON.stringify({ ...base, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: state.completionText }, finish_reason: 'stop' }], usage }));
        if (state.jsonDelivery === 'gzip') {
          const packed = gzipSync(answer);
          res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': packed.length }).end(packed);
        } else if (state.jsonDelivery === 'chunked') {
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'transfer-encoding': 'chunked' });
          res.write(answer.subarray(0, 10));
          setTimeout(() => res.end(answer.subarray(10)), 5);
        } else {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': answer.length }).end(answer);
        }
        return;
      }
      const streamBase = { ...base, object: 'chat.completion.chunk' };
      const words = state.completionText.split(/(?<= )/);
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      chunk(res, { ...streamBase, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
      const rest = (): void => {
        for (const word of words) chunk(res, { ...streamBase, choices: [{ index: 0, delta: { content: word }, finish_reason: null }] });
        chunk(res, { ...streamBase, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
        const options = body.stream_options as { include_usage?: unknown } | undefined;
        if (options?.include_usage === true) chunk(res, { ...streamBase, choices: [], usage });
        res.end('data: [DONE]\n\n');
      };
      if (state.holdStreams) waiters.push(rest);
      else rest();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}
