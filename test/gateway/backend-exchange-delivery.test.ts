/**
 * BackendExchange writing a body still arriving straight to the client's response (settleForClient
 * and deliverTo, no stream in between), on real loopback sockets: a real backend, and a real
 * `node:http` server in front whose ServerResponse the body is delivered to. The body arrives in
 * order and gathered into pieces of the asked size; a client that reads nothing makes the backend
 * wait (back-pressure); a client that goes away closes the backend connection; a backend that
 * dies mid-body cuts the client's response off; and the client's one 'close' listener is gone
 * once a call that was not delivered ends.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { BackendExchange } from '../../src/gateway/backend-exchange.js';
import { isDelivery } from '../../src/pipeline/message-body.js';
import { pumpBody } from '../helpers/pumped-body.js';

const MB = 1024 * 1024;
const agent = new Agent({ connections: 8 });
let backend: Server;
let backendOrigin: string;
let front: Server;
let frontPort: number;
/** Bytes the backend's `/endless` answers have written so far, and whether their connection closed. */
const endless = { sent: 0, closed: false };
/** What the front server did with the latest request: the kind of body it got, and its delivery's end. */
let last: { kind: string; delivered: Promise<void> | undefined; closeListenersAfterEnd?: number } = { kind: '', delivered: undefined };

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/dribble': (_req, res) => {
    // Ten pieces of 1000 bytes, 10 ms apart: the body is still arriving when it is delivered.
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    let n = 0;
    const next = (): void => {
      if (n === 10) return void res.end();
      res.write(String(n++).repeat(1000));
      setTimeout(next, 10);
    };
    next();
  },
  '/endless': (req, res) => {
    // 1 GB, written as fast as the connection takes it.
    endless.sent = 0;
    endless.closed = false;
    req.socket.once('close', () => (endless.closed = true));
    res.writeHead(200, { 'Content-Length': String(1024 * MB) });
    pumpBody(res, 1024 * MB, 0x65, (sent) => (endless.sent = sent));
  },
  '/dies': (req, res) => {
    res.writeHead(200, { 'Content-Length': '100000' });
    res.write('x'.repeat(1000));
    setTimeout(() => req.socket.destroy(), 50);
  },
  '/small': (_req, res) => {
    res.end('small');
  },
};

before(async () => {
  backend = createServer((req, res) => routes[req.url!.split('?')[0]!]!(req, res));
  backend.listen(0, '127.0.0.1');
  await once(backend, 'listening');
  backendOrigin = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  // The front: `/<backend path>?piece=<bytes>` relays that backend path the way the gateway's response writer does.
  front = createServer(async (req, res) => {
    const url = new URL(req.url!, 'http://front');
    const exchange = new BackendExchange(null);
    exchange.watchClient(res);
    const listening = res.listenerCount('close');
    agent.dispatch({ origin: backendOrigin, path: url.pathname, method: 'GET', headersTimeout: 5000, bodyTimeout: 5000 }, exchange);
    const answer = await exchange.answered;
    if (url.pathname === '/small') {
      // Let the whole answer arrive: a call that ends without delivery drops its listener.
      while (!(exchange as unknown as { complete: boolean }).complete) await new Promise((resolve) => setTimeout(resolve, 5));
      last = { kind: 'buffer', delivered: undefined, closeListenersAfterEnd: listening - res.listenerCount('close') };
      return res.end(answer.body.settle() as Buffer);
    }
    const settled = answer.body.settleForClient!(Number(url.searchParams.get('piece') ?? 0));
    res.writeHead(answer.statusCode);
    if (Buffer.isBuffer(settled) || !isDelivery(settled)) {
      last = { kind: Buffer.isBuffer(settled) ? 'buffer' : 'stream', delivered: undefined };
      return res.end();
    }
    last = { kind: settled === exchange ? 'delivery' : 'other', delivered: settled.deliverTo(res) };
  });
  front.listen(0, '127.0.0.1');
  await once(front, 'listening');
  frontPort = (front.address() as AddressInfo).port;
});

after(async () => {
  await agent.close();
  for (const server of [backend, front]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

/** The raw bytes of one answer from the front (head and chunked framing included), until the connection closes. */
async function raw(path: string): Promise<string> {
  const socket = connect(frontPort, '127.0.0.1');
  socket.write(`GET ${path} HTTP/1.1\r\nHost: front\r\nConnection: close\r\n\r\n`);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  await once(socket, 'close');
  return Buffer.concat(chunks).toString('latin1');
}

/** The chunks of a chunked HTTP/1.1 answer, the terminating empty one left out. */
function chunksOf(answer: string): string[] {
  let rest = answer.slice(answer.indexOf('\r\n\r\n') + 4);
  const chunks: string[] = [];
  for (;;) {
    const line = rest.indexOf('\r\n');
    const size = parseInt(rest.slice(0, line), 16);
    if (!size) return chunks;
    chunks.push(rest.slice(line + 2, line + 2 + size));
    rest = rest.slice(line + 2 + size + 2);
  }
}

function chunkSizes(answer: string): number[] {
  return chunksOf(answer).map((chunk) => chunk.length);
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('BackendExchange delivering straight to the client', () => {
  it('writes a body still arriving to the client response itself, in order, each piece as it comes', async () => {
    const answer = await raw('/dribble');
    assert.equal(last.kind, 'delivery', 'a body still arriving is delivered by the exchange, not streamed');
    assert.ok(answer.endsWith('\r\n0\r\n\r\n'), 'the response was ended');
    const chunks = chunksOf(answer);
    assert.ok(chunks.length >= 5, `pieces passed on as they came: ${chunks.map((c) => c.length).join(',')}`);
    assert.equal(chunks.join(''), Array.from({ length: 10 }, (_, n) => String(n).repeat(1000)).join(''), 'all of it, in order');
    await last.delivered;
  });

  it('gathers pieces of the asked size at least, the last excepted', async () => {
    const sizes = chunkSizes(await raw('/dribble?piece=4096'));
    assert.equal(last.kind, 'delivery');
    assert.equal(sizes.reduce((a, b) => a + b, 0), 10_000);
    assert.ok(sizes.slice(0, -1).every((size) => size >= 4096), `pieces: ${sizes.join(',')}`);
    assert.ok(sizes.length >= 2, `pieces: ${sizes.join(',')}`);
  });

  it('a client that reads nothing makes the backend wait: the body is not buffered without bound', async () => {
    const socket = connect(frontPort, '127.0.0.1');
    socket.write('GET /endless HTTP/1.1\r\nHost: front\r\n\r\n');
    socket.pause();
    await until(() => endless.sent > 0, 'the backend to start');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const sent = endless.sent;
    assert.equal(last.kind, 'delivery');
    // Socket buffers on both connections hold some MB; buffering everything would let the backend send the whole GB.
    assert.ok(sent < 128 * MB, `the backend sent ${sent} bytes to a client that read nothing`);
    // Reading on lets the backend go on.
    let read = 0;
    socket.on('data', (chunk: Buffer) => (read += chunk.length));
    socket.resume();
    await until(() => endless.sent > sent + 32 * MB, 'the backend to resume');
    // The client going away closes the backend connection and ends the delivery.
    socket.destroy();
    await until(() => endless.closed, 'the backend connection to close');
    assert.ok(endless.sent < 1024 * MB, 'the backend was stopped before its end');
    await last.delivered;
    assert.ok(read > 0);
  });

  it('a backend that dies mid-body cuts the client response off', async () => {
    const outcome = await new Promise<{ status?: number; complete: boolean }>((resolve) => {
      const req = request({ host: '127.0.0.1', port: frontPort, path: '/dies', agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, complete: res.complete }));
        res.on('error', () => resolve({ status: res.statusCode, complete: false }));
        res.on('aborted', () => resolve({ status: res.statusCode, complete: false }));
      });
      req.on('error', () => resolve({ complete: false }));
      req.end();
    });
    assert.equal(outcome.complete, false);
    assert.equal(last.kind, 'delivery');
    await last.delivered;
  });

  it('a call that ends without delivery removes its listener from the client response', async () => {
    const response = await fetch(`http://127.0.0.1:${frontPort}/small`);
    assert.equal(await response.text(), 'small');
    assert.equal(last.closeListenersAfterEnd, 1, 'the one close listener watchClient added is gone');
  });
});
