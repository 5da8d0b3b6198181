/**
 * A real loopback backend that holds every request until the test releases it (or until a set
 * number of requests are waiting), recording what it received: tests of concurrency (wait,
 * limit-concurrency), of calls that must not delay the caller (send-one-way-request) and of
 * timeouts, without any wall-clock assertion.
 */
import { after, before } from 'node:test';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HeldRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface HeldBackend {
  readonly url: string;
  /** Every request received, in arrival order (body complete). */
  readonly received: HeldRequest[];
  /** Requests waiting for an answer now. */
  readonly waiting: number;
  /** Answers every waiting request (and, from now on, every new one at once) with `status`. */
  releaseAll(status?: number): void;
  /** Resolves once `n` requests have arrived in total. */
  arrived(n: number): Promise<void>;
  close(): Promise<void>;
}

/** Starts one on 127.0.0.1 on a free port; `releaseAt` answers all once that many are waiting. */
export async function startHeldBackend(options: { releaseAt?: number } = {}): Promise<HeldBackend> {
  const waiting: Array<(status: number) => void> = [];
  const received: HeldRequest[] = [];
  const watchers: Array<{ n: number; resolve: () => void }> = [];
  let openStatus: number | undefined;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      for (const w of watchers.filter((w) => received.length >= w.n)) {
        watchers.splice(watchers.indexOf(w), 1);
        w.resolve();
      }
      const answer = (status: number): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ answered: received.length, path: req.url }));
      };
      if (openStatus !== undefined) return answer(openStatus);
      waiting.push(answer);
      if (options.releaseAt !== undefined && waiting.length >= options.releaseAt) backend.releaseAll();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const backend: HeldBackend = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    get waiting() {
      return waiting.length;
    },
    releaseAll(status = 200) {
      openStatus = status;
      for (const answer of waiting.splice(0)) answer(status);
    },
    arrived(n) {
      if (received.length >= n) return Promise.resolve();
      return new Promise((resolve) => watchers.push({ n, resolve }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return backend;
}

/** A held backend started before the file's tests and closed (its requests answered) after them. */
export function useHeldBackend(): { readonly current: HeldBackend } {
  let backend: HeldBackend | undefined;
  before(async () => {
    backend = await startHeldBackend();
  });
  after(async () => {
    backend?.releaseAll();
    await backend?.close();
  });
  return {
    get current() {
      if (!backend) throw new Error('the held backend is not started yet');
      return backend;
    },
  };
}
