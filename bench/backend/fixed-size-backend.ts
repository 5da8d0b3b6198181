/**
 * The benchmark backend (run as its own process): `GET /size/<bytes>` answers 200 with a fixed
 * body of that many bytes (0, 1024 or 65536), prebuilt at start so the backend does the same tiny
 * work for every arm. It reports whether it saw the `x-bench-inbound` header in the response
 * header `x-bench-saw-inbound`, so the preflight can check that an arm's inbound policy ran.
 * Usage: fixed-size-backend.ts [processes]; prints `backend listening on http://127.0.0.1:N`.
 */
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const bodies = new Map<string, Buffer>([0, 1024, 65536].map((n) => [`/size/${n}`, Buffer.alloc(n, 0x61)]));
const processes = Math.max(1, Number(process.argv[2] ?? '1') || 1);

function serve(port: number): void {
  const server = createServer((req, res) => {
    const body = bodies.get(req.url ?? '');
    const saw = req.headers['x-bench-inbound'] !== undefined ? '1' : '0';
    // Drain any request body so keep-alive connections stay usable.
    req.resume();
    if (body === undefined) {
      res.writeHead(404, { 'content-length': '0', 'x-bench-saw-inbound': saw });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length), 'x-bench-saw-inbound': saw });
    res.end(body);
  });
  // Load generators keep connections open between measurements; do not cut them early.
  server.keepAliveTimeout = 65_000;
  server.listen(port, '127.0.0.1', () => {
    if (cluster.isPrimary) console.log(`backend listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });
}

if (processes === 1) {
  serve(0);
} else if (cluster.isPrimary) {
  // Workers share one port through the cluster primary; the primary picks it first.
  const probe = createServer().listen(0, '127.0.0.1', () => {
    const port = (probe.address() as AddressInfo).port;
    probe.close(() => {
      let online = 0;
      for (let i = 0; i < processes; i++) {
        cluster.fork({ BENCH_BACKEND_PORT: String(port) }).on('listening', () => {
          online += 1;
          if (online === processes) console.log(`backend listening on http://127.0.0.1:${port}`);
        });
      }
    });
  });
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
    process.exit(0);
  });
} else {
  serve(Number(process.env.BENCH_BACKEND_PORT));
}
