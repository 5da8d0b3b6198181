/**
 * A real loopback backend that counts the calls it gets and answers with the status and headers
 * a test sets, its body being its name: tests tell which backend answered, and whether a call
 * reached it at all (circuit breakers, pools).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CountingBackend {
  readonly name: string;
  readonly url: string;
  /** Calls received so far. */
  calls: number;
  /** The status of the next answers (200 at start). */
  status: number;
  /** Extra headers of the next answers. */
  headers: Record<string, string>;
  close(): Promise<void>;
}

/** Starts one on 127.0.0.1, on a free port. */
export async function startCountingBackend(name: string): Promise<CountingBackend> {
  const server = createServer((req, res) => {
    backend.calls += 1;
    req.resume();
    req.on('end', () => {
      res.writeHead(backend.status, { 'content-type': 'text/plain', ...backend.headers });
      res.end(name);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const backend: CountingBackend = {
    name,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls: 0,
    status: 200,
    headers: {},
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return backend;
}
