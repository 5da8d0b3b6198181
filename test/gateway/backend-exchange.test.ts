/**
 * BackendExchange, undici's dispatch handler for one backend call, against real loopback
 * backends: a body that fully arrived is handed over as bytes, one still arriving as a stream
 * (with back-pressure), failures reach whoever holds the body, and a reader that goes away
 * stops the backend's answer; a cancelled call (its client went away) closes its connection, or
 * never takes one when it was still queued.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { Agent } from 'undici';
import { BackendExchange } from '../../src/gateway/backend-exchange.js';
import { pumpBody } from '../helpers/pumped-body.js';
import { startLoopbackHttpServer, type LoopbackHttpServer } from '../helpers/loopback-http-server.js';

const MB = 1024 * 1024;
let backend: LoopbackHttpServer;
let origin: string;
const agent = new Agent({ connections: 8 });
const closedSockets: string[] = [];
/** Requests to `/held` (never answered) that arrived, and resolvers waiting for their close. */
const held = { arrived: 0, queuedArrived: 0, onClose: [] as Array<() => void>, onArrive: [] as Array<() => void> };

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/small': (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain', 'X-Custom-Name': 'kept', Connection: 'keep-alive, X-Listed', 'X-Listed': 'dropped', 'Keep-Alive': 'timeout=5', 'Content-Length': '1024' });
    res.end('a'.repeat(1024));
  },
  '/64k': (_req, res) => {
    res.writeHead(200, { 'Content-Length': String(64 * 1024) });
    res.end(Buffer.alloc(64 * 1024, 0x63));
  },
  '/slow': (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.write('first,');
    setTimeout(() => res.end('second'), 100);
  },
  '/large': (_req, res) => {
    res.writeHead(200, { 'Content-Length': String(16 * MB) });
    pumpBody(res, 16 * MB, 0x62);
  },
  '/dies': (req, res) => {
    res.writeHead(200, { 'Content-Length': '100000' });
    res.write('x'.repeat(1000));
    setTimeout(() => req.socket.destroy(), 50);
  },
  '/held': (req) => {
    held.arrived++;
    for (const f of held.onArrive.splice(0)) f();
    req.socket.once('close', () => {
      for (const f of held.onClose.splice(0)) f();
    });
  },
  '/queued': (_req, res) => {
    held.queuedArrived++;
    res.end('queued');
  },
  '/watched': (req, res) => {
    req.socket.once('close', () => closedSockets.push('/watched'));
    res.writeHead(200, { 'Content-Length': String(64 * MB) });
    res.write(Buffer.alloc(256 * 1024));
  },
};

before(async () => {
  backend = await startLoopbackHttpServer((req, res) => routes[req.url!]!(req, res));
  origin = backend.origin;
});
after(async () => {
  await agent.close();
  await backend.close();
});

function call(path: string): BackendExchange {
  const exchange = new BackendExchange(null);
  agent.dispatch({ origin, path, method: 'GET', headersTimeout: 5000, bodyTimeout: 5000 }, exchange);
  return exchange;
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('BackendExchange', () => {
  it('hands over a small body that already arrived as bytes, no stream', async () => {
    const exchange = call('/small');
    const answer = await exchange.answered;
    assert.equal(answer.statusCode, 200);
    const body = answer.body.settle();
    assert.ok(Buffer.isBuffer(body), 'a body already in memory is handed over as a Buffer');
    assert.equal(body.length, 1024);
  });

  it('hands over a 64 KB body that arrived while the pipeline ran as bytes too (the parser was not paused before its end)', async () => {
    const { body } = await call('/64k').answered;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const settled = body.settle();
    assert.ok(Buffer.isBuffer(settled), 'a 64 KB body in memory is handed over as a Buffer');
    assert.equal(settled.length, 64 * 1024);
  });

  it('keeps the backend header names as spelled, and drops hop-by-hop and Connection-listed headers', async () => {
    const { headers, body } = await call('/small').answered;
    body.settle();
    assert.deepEqual(
      [...headers].map(([name]) => name).filter((n) => n.toLowerCase() !== 'date'),
      ['Content-Type', 'X-Custom-Name', 'Content-Length'],
    );
  });

  it('streams a body still arriving: what came, then the rest, in order', async () => {
    const { body } = await call('/slow').answered;
    const settled = body.settle();
    assert.ok(settled instanceof Readable, 'a body still arriving is a stream');
    assert.equal((await readAll(settled)).toString(), 'first,second');
  });

  it('holds back a large body until it is read (back-pressure), then streams all of it', async () => {
    const exchange = call('/large');
    const { body } = await exchange.answered;
    await new Promise((resolve) => setTimeout(resolve, 200));
    const buffered = (exchange as unknown as { bytes: number }).bytes;
    assert.ok(buffered < 2 * MB, `${buffered} bytes buffered before anyone asked for the body`);
    const settled = body.settle();
    assert.ok(settled instanceof Readable);
    assert.equal((await readAll(settled)).length, 16 * MB);
  });

  it('a backend that dies mid-body fails the stream, whether it died before or after the body was asked for', async () => {
    const early = call('/dies');
    const { body: earlyBody } = await early.answered;
    await new Promise((resolve) => setTimeout(resolve, 300));
    await assert.rejects(readAll(earlyBody.settle() as Readable));
    const late = call('/dies');
    const settled = (await late.answered).body.settle();
    assert.ok(settled instanceof Readable);
    await assert.rejects(readAll(settled));
  });

  it('a reader that goes away stops the backend answer (its connection is closed)', async () => {
    const { body } = await call('/watched').answered;
    const stream = body.settle() as Readable;
    stream.destroy();
    const deadline = Date.now() + 5000;
    while (!closedSockets.includes('/watched') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(closedSockets, ['/watched']);
  });

  it('a backend that refuses the connection rejects the answer', async () => {
    const exchange = new BackendExchange(null);
    agent.dispatch({ origin: 'http://127.0.0.1:1', path: '/', method: 'GET' }, exchange);
    await assert.rejects(exchange.answered, /ECONNREFUSED/);
  });

  it('a call cancelled while it waits for the headers closes its connection and rejects with the reason', async () => {
    const arrived = new Promise<void>((resolve) => held.onArrive.push(resolve));
    const closed = new Promise<void>((resolve) => held.onClose.push(resolve));
    const exchange = call('/held');
    await arrived;
    exchange.cancel(new Error('client went away'));
    await assert.rejects(exchange.answered, /client went away/);
    await closed;
  });

  it('a call cancelled while queued for a connection rejects at once and never reaches the backend', async () => {
    const single = new Agent({ connections: 1 });
    try {
      const arrived = new Promise<void>((resolve) => held.onArrive.push(resolve));
      const first = new BackendExchange(null);
      single.dispatch({ origin, path: '/held', method: 'GET' }, first);
      await arrived;
      const queued = new BackendExchange(null);
      single.dispatch({ origin, path: '/queued', method: 'GET' }, queued);
      queued.cancel(new Error('client went away'));
      await assert.rejects(queued.answered, /client went away/);
      first.cancel(new Error('done'));
      await assert.rejects(first.answered, /done/);
      // The pool serves its queue in order: once a later call is answered, the cancelled one had its turn.
      const later = new BackendExchange(null);
      single.dispatch({ origin, path: '/small', method: 'GET' }, later);
      assert.equal((await later.answered).statusCode, 200);
      assert.equal(held.queuedArrived, 0);
    } finally {
      await single.destroy();
    }
  });

  it('cancelling a call whose answer fully arrived changes nothing', async () => {
    const exchange = call('/small');
    const { body } = await exchange.answered;
    const deadline = Date.now() + 5000;
    while (!(exchange as unknown as { complete: boolean }).complete && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    exchange.cancel(new Error('too late'));
    const settled = body.settle();
    assert.ok(Buffer.isBuffer(settled));
    assert.equal(settled.length, 1024);
  });
});
