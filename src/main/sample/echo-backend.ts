/**
 * The sample backend `gatehouse start` runs on loopback for the sample echo API, also used by
 * tests as a real backend. It answers with what it received, and has a few paths for testing
 * proxies: `/status/{code}`, `/delay/{ms}`, `/bytes/{n}` (streams n bytes), `/redirect/{n}`.
 * Request bodies are hashed while streaming, never held in memory.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EchoBackend {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts the echo backend on 127.0.0.1 (port 0 = any free port). */
export async function startEchoBackend(port = 0, host = '127.0.0.1'): Promise<EchoBackend> {
  const server = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err.message));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    server,
    port: actual,
    url: `http://${host}:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://backend');
  const parts = url.pathname.split('/').filter(Boolean);
  const tail = parts.slice(-2);
  if (tail[0] === 'status' && tail[1]) {
    await drain(req);
    res.writeHead(Number(tail[1]), { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: Number(tail[1]) }));
    return;
  }
  if (tail[0] === 'delay' && tail[1]) {
    await new Promise((r) => setTimeout(r, Number(tail[1])));
  }
  if (tail[0] === 'redirect' && tail[1]) {
    const n = Number(tail[1]);
    await drain(req);
    const next = n > 1 ? url.pathname.replace(/redirect\/\d+$/, `redirect/${n - 1}`) : url.pathname.replace(/redirect\/\d+$/, 'landed');
    res.writeHead(302, { location: next });
    res.end();
    return;
  }
  if (tail[0] === 'bytes' && tail[1]) {
    await drain(req);
    const total = Number(tail[1]);
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(total) });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    while (sent < total) {
      const n = Math.min(chunk.length, total - sent);
      const ok = res.write(n === chunk.length ? chunk : chunk.subarray(0, n));
      sent += n;
      if (!ok) await new Promise((r) => res.once('drain', r));
    }
    res.end();
    return;
  }
  const hash = createHash('sha256');
  let size = 0;
  const head: Buffer[] = [];
  for await (const chunk of req) {
    const b = chunk as Buffer;
    hash.update(b);
    if (size < 64 * 1024) head.push(b);
    size += b.length;
  }
  const bodyText = Buffer.concat(head).subarray(0, 64 * 1024).toString('utf8');
  const payload = {
    method: req.method,
    url: req.url,
    path: url.pathname,
    query: Object.fromEntries([...url.searchParams.keys()].map((k) => [k, url.searchParams.getAll(k)])),
    headers: req.headers,
    bodySize: size,
    bodySha256: hash.digest('hex'),
    body: bodyText,
  };
  const text = JSON.stringify(payload);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function drain(req: IncomingMessage): Promise<void> {
  for await (const chunk of req) void chunk;
}
