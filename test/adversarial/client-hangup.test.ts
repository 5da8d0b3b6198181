/**
 * Clients that hang up on a slow operation (issue 11, finding 3): their backend calls used to
 * stay open, so 140 of them held the whole pool of 128 backend connections and the next ordinary
 * request waited until the slow calls ended. A real gateway process sits in front of a real
 * loopback backend that never answers `/slow` on its own (it only ever sees those calls end by
 * the gateway closing them) and answers `/fast` at once.
 *
 * No wall-clock assertion: the ordinary request must be answered while every slow call is still
 * unanswered by the backend, which is impossible unless the gateway let go of the pool. The
 * ceilings below only turn a hang on broken code into a failure with a message.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { apiInformation, writeApiopsFolder } from '../e2e/helpers/apiops-writer.js';
import { startGatehouseProcess, type GatehouseProcess } from '../e2e/helpers/gatehouse-process.js';

/** The forwarder's connections per backend origin (src/gateway/backend-forwarder.ts). */
const POOL = 128;
const CLIENTS = 140;
const CEILING_MS = 60_000;

let backend: Server;
const events = new EventEmitter();
/** Slow calls whose head reached the backend, and those whose connection the gateway closed. */
let slowArrived = 0;
let slowAborted = 0;
let gh: GatehouseProcess;
let gatewayPort: number;

before(async () => {
  events.setMaxListeners(0);
  backend = createServer((req, res) => {
    if (req.url?.includes('/slow')) {
      slowArrived++;
      res.on('close', () => {
        if (!res.writableFinished) slowAborted++;
        events.emit('change');
      });
      events.emit('change');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '4' });
    res.end('fast');
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  const backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  const config = writeApiopsFolder({
    'apis/hang/apiInformation.json': apiInformation({ displayName: 'hang', path: 'hang', serviceUrl: backendUrl, subscriptionRequired: false }),
    'apis/hang/operations/any/operationInformation.json': {
      properties: { displayName: 'any', method: 'GET', urlTemplate: '/*', templateParameters: [] },
    },
  });
  gh = await startGatehouseProcess(['--config', config]);
  gatewayPort = Number(new URL(gh.gatewayUrl).port);
});

after(async () => {
  await gh?.stop();
  backend?.closeAllConnections();
  await new Promise<void>((resolve) => backend?.close(() => resolve()));
});

/** Resolves when `condition` holds (checked at every backend event); rejects after the ceiling with `what`. */
function until(condition: () => boolean, what: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (!condition()) return;
      clearTimeout(timer);
      events.off('change', check);
      resolve();
    };
    const timer = setTimeout(() => {
      events.off('change', check);
      reject(new Error(`gave up waiting: ${what()}`));
    }, CEILING_MS);
    events.on('change', check);
    check();
  });
}

/** `promise`, or a rejection naming `what` after the ceiling. */
async function withCeiling<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const ceiling = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up waiting: ${what}`)), CEILING_MS);
  });
  try {
    return await Promise.race([promise, ceiling]);
  } finally {
    clearTimeout(timer);
  }
}

function getThroughGateway(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: gatewayPort, path, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('clients that hang up on a slow backend call', () => {
  it('free the backend connections: the backend sees its calls closed and an ordinary request is answered', async () => {
    const clients: Socket[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const socket = connect(gatewayPort, '127.0.0.1');
      socket.on('error', () => {});
      socket.write(`GET /hang/slow/${i} HTTP/1.1\r\nHost: gateway.test\r\n\r\n`);
      clients.push(socket);
    }
    // The pool is full: every connection it has carries a slow call (the rest wait in its queue).
    await until(() => slowArrived >= POOL, () => `${slowArrived} slow calls reached the backend`);
    for (const socket of clients) socket.destroy();

    await until(() => slowAborted >= POOL, () => `the backend saw ${slowAborted} of ${slowArrived} slow calls closed`);
    const answer = await withCeiling(getThroughGateway('/hang/fast'), 'the ordinary request was not answered');
    assert.equal(answer.status, 200);
    assert.equal(answer.body, 'fast');
    // Every slow call that reached the backend is closed in the end; none was ever answered.
    await until(() => slowAborted === slowArrived, () => `the backend saw ${slowAborted} of ${slowArrived} slow calls closed`);
    assert.ok(slowArrived <= CLIENTS);
  });
});
