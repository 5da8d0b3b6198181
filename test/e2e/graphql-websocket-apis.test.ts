/**
 * GraphQL and WebSocket APIs end to end, on real processes and sockets: an APIOps folder with a
 * pass-through GraphQL API (specification.graphql) and a WebSocket API (onHandshake policy) is
 * imported with `gatehouse import` and served by `gatehouse start` on the same data folder. A
 * query reaches the loopback GraphQL backend over POST and over GET; a real WebSocket echo
 * works through the gateway, the onHandshake set-header is seen by the backend, a missing key
 * is refused with 401 before any backend connection, and each side's close reaches the other.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { apiInformation, writeApiopsFolder } from './helpers/apiops-writer.js';
import { runGatehouse, startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { openWebSocket } from './helpers/open-websocket.js';
import { startWebSocketEchoBackend, type WebSocketEchoBackend } from './helpers/websocket-echo-backend.js';

const key = '0123456789abcdef0123456789abcdef';
const env = { GATEHOUSE_ENCRYPTION_KEY: '', GATEHOUSE_STORE: '' };
const handshakePolicy =
  '<policies><inbound><base /><set-header name="x-handshake" exists-action="override"><value>@(context.Operation.Name + "/" + context.Subscription.Name)</value></set-header></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>';

let graphqlBackend: Server;
let graphqlCalls: Array<{ method: string; url: string; body: string }> = [];
let wsBackend: WebSocketEchoBackend;
let gatehouse: GatehouseProcess;
const temp: string[] = [];

before(async () => {
  // A GraphQL-ish backend: answers `{ hello }` from a POST JSON body or a GET `query` parameter.
  graphqlBackend = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      graphqlCalls.push({ method: req.method ?? '', url: req.url ?? '', body });
      const query = req.method === 'POST' ? (JSON.parse(body) as { query: string }).query : new URL(req.url ?? '/', 'http://x').searchParams.get('query') ?? '';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(/\bhello\b/.test(query) ? { data: { hello: `world via ${req.method}` } } : { errors: [{ message: 'unknown field' }] }));
    });
  });
  graphqlBackend.listen(0, '127.0.0.1');
  await once(graphqlBackend, 'listening');
  wsBackend = await startWebSocketEchoBackend();
  const folder = writeApiopsFolder({
    'apis/countries/apiInformation.json': apiInformation({
      displayName: 'Countries',
      path: 'countries',
      type: 'graphql',
      protocols: ['http'],
      subscriptionRequired: false,
      serviceUrl: `http://127.0.0.1:${(graphqlBackend.address() as AddressInfo).port}/graphql`,
    }),
    'apis/countries/specification.graphql': 'type Query {\n  hello: String\n}\n',
    'apis/chat/apiInformation.json': apiInformation({
      displayName: 'Chat',
      path: 'chat',
      type: 'websocket',
      protocols: ['ws'],
      serviceUrl: `${wsBackend.url}/socket`,
    }),
    'apis/chat/operations/onHandshake/policy.xml': handshakePolicy,
    'subscriptions/chatters/subscriptionInformation.json': { properties: { displayName: 'Chatters', scope: '/apis/chat', state: 'active', primaryKey: key, secondaryKey: 'fedcba9876543210fedcba9876543210' } },
  });
  temp.push(folder);
  const data = mkdtempSync(join(tmpdir(), 'gatehouse-gql-ws-'));
  temp.push(data);
  const imported = await runGatehouse(['import', folder, '--data', data], env);
  assert.equal(imported.code, 0, imported.stderr);
  gatehouse = await startGatehouseProcess(['--data', data], { env });
});

after(async () => {
  await gatehouse?.stop();
  await wsBackend?.close();
  graphqlBackend.closeAllConnections();
  await new Promise<void>((resolve) => graphqlBackend.close(() => resolve()));
  for (const d of temp) rmSync(d, { recursive: true, force: true });
});

const open = (path: string, headers: Record<string, string> = {}) => openWebSocket(`${gatehouse.gatewayUrl.replace(/^http/, 'ws')}${path}`, headers);

describe('GraphQL pass-through', () => {
  it('forwards a query sent over POST with a JSON body', async () => {
    graphqlCalls = [];
    const res = await fetch(`${gatehouse.gatewayUrl}/countries`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ hello }' }) });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { data: { hello: 'world via POST' } });
    assert.deepEqual(graphqlCalls, [{ method: 'POST', url: '/graphql', body: '{"query":"{ hello }"}' }]);
  });

  it('forwards a query sent over GET in the query parameter', async () => {
    graphqlCalls = [];
    const res = await fetch(`${gatehouse.gatewayUrl}/countries?query=${encodeURIComponent('{ hello }')}`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { data: { hello: 'world via GET' } });
    assert.equal(graphqlCalls[0]!.url, `/graphql?query=${encodeURIComponent('{ hello }')}`);
  });

  it('answers 404 below the single endpoint', async () => {
    const res = await fetch(`${gatehouse.gatewayUrl}/countries/elsewhere`, { method: 'POST', body: '{}' });
    assert.equal(res.status, 404);
  });
});

describe('WebSocket pass-through', () => {
  it('echoes through the gateway after the onHandshake policy ran', async () => {
    wsBackend.handshakes.length = 0;
    const socket = await open('/chat', { 'Ocp-Apim-Subscription-Key': key });
    assert.ok(socket instanceof WebSocket, JSON.stringify(socket));
    assert.equal(wsBackend.handshakes.length, 1);
    assert.equal(wsBackend.handshakes[0]!.headers['x-handshake'], 'onHandshake/Chatters');
    socket.send('ping');
    const [reply] = (await once(socket, 'message')) as [Buffer];
    assert.equal(reply.toString(), 'echo:ping');
    wsBackend.closes.length = 0;
    socket.close(4004, 'client done');
    const [code] = (await once(socket, 'close')) as [number];
    assert.equal(code, 4004);
    while (wsBackend.closes.length === 0) await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(wsBackend.closes, [4004]);
  });

  it('closes the client when the backend closes', async () => {
    const socket = await open('/chat', { 'Ocp-Apim-Subscription-Key': key });
    assert.ok(socket instanceof WebSocket);
    socket.send('please close');
    const [code, reason] = (await once(socket, 'close')) as [number, Buffer];
    assert.equal(code, 4003);
    assert.equal(reason.toString(), 'backend done');
  });

  it('refuses a handshake without a key with 401, before any backend connection', async () => {
    wsBackend.handshakes.length = 0;
    const refused = await open('/chat');
    assert.ok(!(refused instanceof WebSocket));
    assert.equal(refused.status, 401);
    assert.equal(
      (JSON.parse(refused.body) as { message: string }).message,
      'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
    );
    assert.equal(wsBackend.handshakes.length, 0);
  });
});
