/**
 * A real WebSocket backend on loopback for e2e tests: answers each message `m` with `echo:m`,
 * closes with 4003 "backend done" when told `please close`, and records each handshake request
 * (its headers show what the gateway's onHandshake policy set) and each close code it saw.
 */
import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

export interface WebSocketEchoBackend {
  /** `ws://127.0.0.1:<port>`. */
  url: string;
  handshakes: IncomingMessage[];
  /** Close codes of the connections the backend saw closing. */
  closes: number[];
  close(): Promise<void>;
}

/** Starts one on 127.0.0.1, on a free port. */
export async function startWebSocketEchoBackend(): Promise<WebSocketEchoBackend> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const backend: WebSocketEchoBackend = {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    handshakes: [],
    closes: [],
    async close() {
      for (const c of server.clients) c.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  server.on('connection', (socket, req) => {
    backend.handshakes.push(req);
    socket.on('message', (data) => {
      if (data.toString() === 'please close') socket.close(4003, 'backend done');
      else socket.send(`echo:${data.toString()}`);
    });
    socket.on('close', (code) => backend.closes.push(code));
  });
  return backend;
}
