/**
 * The bare Node proxy baseline: node:http in, an undici Pool out, hop-by-hop headers dropped,
 * bodies streamed. What any Node gateway pays at least. Usage: bare-node-proxy.ts BACKEND_URL.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';

const pool = new Pool(process.argv[2]!, { connections: 128, pipelining: 1 });
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host']);

function endToEnd(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const name in headers) if (!hopByHop.has(name) && headers[name] !== undefined) out[name] = headers[name]!;
  return out;
}

const server = createServer((req, res) => {
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  pool.request({ method: req.method as 'GET', path: req.url!, headers: endToEnd(req.headers), body: hasBody ? req : null }).then(
    (upstream) => {
      res.writeHead(upstream.statusCode, endToEnd(upstream.headers));
      upstream.body.pipe(res);
    },
    () => {
      res.writeHead(502, { 'content-length': '0' });
      res.end();
    },
  );
});
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => console.log(`bare proxy listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`));
