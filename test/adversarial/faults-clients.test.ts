/**
 * Clients that hang up at every stage of a call, against a real gateway runtime on loopback:
 * in the middle of the request head, in the middle of an uploaded body, while the backend is
 * still working, and in the middle of a large response. After each wave the gateway serves
 * ordinary callers, and the backend sees no connection left open on behalf of a caller that is
 * gone once the gateway noticed (the cancellation itself is tested in client-hangup.test.ts).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { once } from 'node:events';
import { createLogger } from '../../src/core/logger.js';
import { startGatewayRuntime, type GatewayRuntime } from '../../src/main/gateway-runtime.js';
import { emptyServiceConfig, type ServiceConfig } from '../../src/model/resources.js';

const MB = 1024 * 1024;

/** A backend with a fast answer, a slow one, an upload sink and a 32 MB download. */
async function startBackend(): Promise<{ url: string; server: Server; open: () => number }> {
  let open = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith('/api/slow')) {
      const timer = setTimeout(() => res.end('slow'), 2000);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    if (req.url?.startsWith('/api/upload')) {
      req.resume();
      req.on('end', () => res.end('stored'));
      return;
    }
    if (req.url?.startsWith('/api/download')) {
      res.writeHead(200, { 'content-length': String(32 * MB) });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      let sent = 0;
      const pump = (): void => {
        while (sent < 32 * MB) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
      return;
    }
    res.end('ok');
  });
  server.on('connection', (socket) => {
    open++;
    socket.on('close', () => open--);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, open: () => open };
}

describe('faults: clients that hang up at every stage', () => {
  let backend: Awaited<ReturnType<typeof startBackend>>;
  let runtime: GatewayRuntime;
  let port: number;

  before(async () => {
    backend = await startBackend();
    const config: ServiceConfig = {
      ...emptyServiceConfig('gatehouse'),
      apis: [
        {
          name: 'api',
          displayName: 'api',
          path: 'api',
          serviceUrl: backend.url + '/api',
          protocols: ['http'],
          subscriptionRequired: false,
          apiRevision: '1',
          isCurrent: true,
          isOnline: true,
          operations: [
            { name: 'get', displayName: 'get', method: 'GET', urlTemplate: '/*' },
            { name: 'post', displayName: 'post', method: 'POST', urlTemplate: '/*' },
          ],
        },
      ],
    };
    runtime = await startGatewayRuntime(config, { host: '127.0.0.1', httpPort: 0, httpsPort: null, certificates: [] }, createLogger('silent'));
    port = runtime.listeners[0]!.port;
  });
  after(async () => {
    await runtime.close();
    backend.server.closeAllConnections();
    await new Promise((resolve) => backend.server.close(resolve));
  });

  async function ordinaryCallsSucceed(): Promise<void> {
    const statuses = await Promise.all(
      Array.from({ length: 10 }, () => fetch(`http://127.0.0.1:${port}/api/ok`).then(async (r) => (await r.text(), r.status))),
    );
    assert.deepEqual(statuses, Array(10).fill(200));
  }

  /** Opens a raw connection, writes `data`, then destroys the socket (after `wait` resolves, if given). */
  async function hangUp(data: string | Buffer, wait?: (socket: ReturnType<typeof connect>) => Promise<void>): Promise<void> {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    await once(socket, 'connect');
    socket.write(data);
    if (wait) await wait(socket);
    else await new Promise((resolve) => setImmediate(resolve));
    socket.destroy();
  }

  it('in the middle of the request head', async () => {
    await Promise.all(Array.from({ length: 50 }, (_, i) => hangUp(`GET /api/ok?i=${i} HTTP/1.1\r\nHost: x\r\nX-Partial: ${'a'.repeat(i * 10)}`)));
    await ordinaryCallsSucceed();
  });

  it('in the middle of an uploaded body', async () => {
    const head = `POST /api/upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: ${8 * MB}\r\n\r\n`;
    await Promise.all(Array.from({ length: 20 }, () => hangUp(Buffer.concat([Buffer.from(head), Buffer.alloc(256 * 1024, 0x62)]))));
    await ordinaryCallsSucceed();
  });

  it('while the backend is still working', async () => {
    await Promise.all(
      Array.from({ length: 40 }, () =>
        hangUp('GET /api/slow HTTP/1.1\r\nHost: x\r\n\r\n', async () => {
          // Wait until the backend holds a connection for this call, so the hang-up comes mid-call.
          const started = performance.now();
          while (backend.open() === 0 && performance.now() - started < 5000) await new Promise((resolve) => setTimeout(resolve, 5));
        }),
      ),
    );
    await ordinaryCallsSucceed();
  });

  it('in the middle of a large response', async () => {
    await Promise.all(
      Array.from({ length: 10 }, () =>
        new Promise<void>((resolve) => {
          const req = request({ host: '127.0.0.1', port, path: '/api/download', agent: false }, (res) => {
            let seen = 0;
            res.on('data', (chunk: Buffer) => {
              seen += chunk.length;
              if (seen > MB) {
                req.destroy();
                resolve();
              }
            });
          });
          req.on('error', () => resolve());
          req.end();
        }),
      ),
    );
    await ordinaryCallsSucceed();
  });
});
