/**
 * Runs fast-gateway (from bench/vendor/fast-gateway) doing the typical set with its own hooks:
 * `onRequest` checks the subscription key against a Map, counts a fixed-window rate limit per
 * subscription (never reached) and sets the inbound header; `urlRewrite` rewrites the path;
 * `rewriteHeaders` sets the outbound header. Usage: fast-gateway-server.ts VENDOR_DIR BACKEND_URL PORT KEY LIMIT PERIOD_S
 */
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';

interface Route {
  prefix: string;
  target: string;
  /** Keep the rewritten URL as is (otherwise an empty query string becomes a trailing `?`). */
  disableQsOverwrite: boolean;
  urlRewrite(req: IncomingMessage): string;
  hooks: {
    onRequest(req: IncomingMessage, res: ServerResponse): boolean;
    rewriteHeaders(headers: Record<string, unknown>, res: ServerResponse): Record<string, unknown>;
  };
}
type FastGateway = (options: { routes: Route[] }) => { start(port: number, host: string): Promise<unknown> };

const [vendor, backendUrl, port, key, limit, periodS] = process.argv.slice(2) as [string, string, string, string, string, string];
const gateway = createRequire(join(vendor, 'package.json'))('fast-gateway') as FastGateway;

const subscriptions = new Map([[key, 'bench']]);
const windows = new Map<string, { start: number; count: number }>();
const calls = Number(limit);
const periodMs = Number(periodS) * 1000;

function refuse(res: ServerResponse, status: number, message: string): true {
  const body = JSON.stringify({ statusCode: status, message });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
  return true;
}

const server = gateway({
  routes: [
    {
      prefix: '/typical',
      target: backendUrl,
      disableQsOverwrite: true,
      urlRewrite: (req) => req.url!.replace('/typical/items/', '/size/'),
      hooks: {
        onRequest(req, res) {
          const given = req.headers['ocp-apim-subscription-key'];
          const subscription = typeof given === 'string' ? subscriptions.get(given) : undefined;
          if (subscription === undefined) return refuse(res, 401, 'Access denied due to invalid subscription key.');
          const now = Date.now();
          let window = windows.get(subscription);
          if (!window || now - window.start >= periodMs) windows.set(subscription, (window = { start: now, count: 0 }));
          if (++window.count > calls) return refuse(res, 429, 'Rate limit is exceeded.');
          req.headers['x-bench-inbound'] = 'typical';
          return false;
        },
        rewriteHeaders(headers) {
          headers['x-bench-outbound'] = 'typical';
          return headers;
        },
      },
    },
  ],
});
await server.start(Number(port), '127.0.0.1');
console.log('fast-gateway ready');
