/**
 * RedirectFollowingExchange, the handler of a call that follows redirects, through undici's
 * redirect interceptor against a real loopback backend: the answer after a redirect carries the
 * backend's header names, order and repeated values exactly as an unfollowed answer does, a body
 * larger than BackendExchange holds waits for its reader (back-pressure through the controller), a
 * cancelled call stops its hop, and a failed hop fails the call. Without a raw list on the
 * controller the headers object is split back into one entry per value.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { Agent, interceptors, type Dispatcher } from 'undici';
import { BackendExchange, type BackendAnswer } from '../../src/gateway/backend-exchange.js';
import { rawHeaderList, RedirectFollowingExchange } from '../../src/gateway/redirect-following-exchange.js';
import type { HeaderMap } from '../../src/pipeline/header-map.js';
import { pumpBody } from '../helpers/pumped-body.js';
import { startLoopbackHttpServer, type LoopbackHttpServer } from '../helpers/loopback-http-server.js';

const MB = 1024 * 1024;
let backend: LoopbackHttpServer;
let origin: string;
let heldClosed: Promise<void>;
/** The bytes of `/large` the backend has written so far. */
let largeSent = 0;
let heldWasClosed: () => void;
const agent = new Agent({ connections: 4 });
const following = agent.compose(interceptors.redirect({ maxRedirections: 10 }));

const answeredHeaders = ['X-Mixed-Case', 'one', 'Set-Cookie', 'a=1', 'content-TYPE', 'text/plain', 'Set-Cookie', 'b=2', 'X-Dup', 'x', 'x-dup', 'y'];

before(async () => {
  heldClosed = new Promise((resolve) => (heldWasClosed = resolve));
  backend = await startLoopbackHttpServer((req, res) => {
    // /redirect/<path>: to <path> here; /away/<url, encoded>: to another origin.
    const redirect = /^\/redirect(\/.*)$/.exec(req.url!);
    const away = /^\/away\/(.*)$/.exec(req.url!);
    if (redirect || away) {
      res.writeHead(302, { Location: redirect ? redirect[1] : decodeURIComponent(away![1]!), 'Content-Length': '0' });
      res.end();
    } else if (req.url === '/answer') {
      res.writeHead(200, [...answeredHeaders, 'Content-Length', '2']);
      res.end('ok');
    } else if (req.url === '/large') {
      res.writeHead(200, { 'Content-Length': String(16 * MB) });
      pumpBody(res, 16 * MB, 0x61, (sent) => (largeSent = sent));
    } else if (req.url === '/held') {
      req.socket.once('close', () => heldWasClosed());
    } else {
      res.writeHead(404).end();
    }
  });
  origin = backend.origin;
});
after(async () => {
  await agent.close();
  await backend.close();
});

function call(dispatcher: Dispatcher, path: string, follow: boolean): BackendExchange {
  const exchange = new BackendExchange(null);
  const options = { origin, path, method: 'GET', headersTimeout: 5000, bodyTimeout: 5000 } as const;
  dispatcher.dispatch(options, follow ? new RedirectFollowingExchange(exchange) : exchange);
  return exchange;
}

/** The header names and values as the backend's answer lists them (hop-by-hop ones left out). */
function listed(headers: HeaderMap): string[] {
  const out: string[] = [];
  for (const [lower, entry] of headers.keyedEntries()) {
    if (lower === 'date') continue;
    for (const value of entry.values) out.push(entry.name, value);
  }
  return out;
}

async function bodyBytes(answer: BackendAnswer): Promise<Buffer> {
  const settled = answer.body.settle();
  if (Buffer.isBuffer(settled)) return settled;
  const chunks: Buffer[] = [];
  for await (const chunk of settled as Readable) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('RedirectFollowingExchange', () => {
  it('hands on the answer after redirects with the headers an unfollowed answer has', async () => {
    const plain = await call(agent, '/answer', false).answered;
    const followed = await call(following, '/redirect/redirect/answer', true).answered;
    assert.equal(followed.statusCode, 200);
    assert.deepEqual(listed(followed.headers), listed(plain.headers));
    // What the backend sent, in its order and spelling (a repeated name joins its first entry,
    // as HeaderMap keeps them); Set-Cookie stays two values, not one joined with a comma.
    const expected = ['X-Mixed-Case', 'one', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2', 'content-TYPE', 'text/plain', 'X-Dup', 'x', 'X-Dup', 'y'];
    assert.deepEqual(listed(followed.headers).slice(0, expected.length), expected);
    assert.equal((await bodyBytes(followed)).toString(), 'ok');
  });

  it('holds back a large body until it is read (back-pressure), then receives all of it', async () => {
    const answer = await call(following, '/redirect/large', true).answered;
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Paused at what the exchange holds: the backend waits on the connection's buffers.
    assert.ok(largeSent < 8 * MB, `the backend wrote ${largeSent} bytes before anyone asked for the body`);
    const body = await bodyBytes(answer);
    assert.equal(body.length, 16 * MB);
    assert.ok(body.every((b) => b === 0x61));
  });

  it('a cancelled call closes the connection of its hop', async () => {
    const exchange = call(following, '/redirect/held', true);
    const failure = exchange.answered.then(
      () => assert.fail('answered'),
      (err: Error) => err,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    exchange.cancel(new Error('client gone'));
    assert.equal((await failure).message, 'client gone');
    await heldClosed;
  });

  it('a hop that fails fails the call', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const exchange = call(following, `/away/${encodeURIComponent(`http://127.0.0.1:${port}/gone`)}`, true);
    await assert.rejects(exchange.answered, /ECONNREFUSED/);
  });

  it('without the raw list on the controller, splits the headers object into one entry per value', () => {
    assert.deepEqual(rawHeaderList({ 'set-cookie': ['a=1', 'b=2'], 'x-one': '1', absent: undefined }), ['set-cookie', 'a=1', 'set-cookie', 'b=2', 'x-one', '1']);
  });
});
