/**
 * The per-policy case's loopback server, in the measuring process: `/side` answers a small JSON
 * (what send-request calls), every other path reads the request body and answers a fixed
 * OpenAI-style chat completion with `usage` (what the token policies read).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const chatAnswer = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: 1765000000,
    model: 'gpt-4o',
    choices: [{ index: 0, message: { role: 'assistant', content: 'Danube: Black Sea. Rhine: North Sea. Rhone: Mediterranean.' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 31, completion_tokens: 14, total_tokens: 45 },
  }),
);
const sideAnswer = Buffer.from('{"ok":true}');

export interface ChatLoopbackServer {
  url: string;
  sideUrl: string;
  /** Chat requests received so far (not counting `/side`). */
  readonly chatCalls: number;
  close(): Promise<void>;
}

export async function startChatLoopbackServer(): Promise<ChatLoopbackServer> {
  let chatCalls = 0;
  const server = createServer((req, res) => {
    if (req.url !== '/side') chatCalls++;
    req.resume();
    req.once('end', () => {
      const body = req.url === '/side' ? sideAnswer : chatAnswer;
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    sideUrl: `${url}/side`,
    get chatCalls() {
      return chatCalls;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
