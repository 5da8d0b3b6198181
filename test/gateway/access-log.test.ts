// The access log and the metrics sink fed by the real request handler over real sockets: a
// served request, a 401, a 404, an aborted request, key redaction (asserted on the raw file
// text), the endpoint label of public and private-tagged connections, and the counters.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/core/logger.js';
import { systemClock } from '../../src/core/ports.js';
import { createAccessLog, type AccessLog } from '../../src/gateway/access-log.js';
import { tagArrivalEndpoint } from '../../src/gateway/arrival-endpoint.js';
import { BackendForwarder } from '../../src/gateway/backend-forwarder.js';
import { CircuitBreakers } from '../../src/gateway/circuit-breaker.js';
import { GatewayMetrics } from '../../src/gateway/gateway-metrics.js';
import { observeRequests } from '../../src/gateway/observe-requests.js';
import { createRequestHandler } from '../../src/gateway/request-handler.js';
import type { CompletedRequest } from '../../src/gateway/request-observer.js';
import type { GatewayServices } from '../../src/pipeline/gateway-context.js';
import { buildSnapshot } from '../../src/gateway/snapshot/build-snapshot.js';
import { SnapshotHolder } from '../../src/gateway/snapshot/snapshot-holder.js';
import { sampleConfig } from '../../src/main/sample/sample-config.js';
import { policyRegistry } from '../../src/policies/index.js';
import { MemoryCounterStore } from '../../src/store/memory-counter-store.js';
import { builtInCachesOnly } from '../../src/store/memory-cache-store.js';

const key = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const secrets = { sig: 'SIGVALUE123', code: 'CODEVALUE456', token: 'TOKENVALUE789', other: 'KEYVALUE000' };

let dir: string;
let logFile: string;
let backend: Server;
let publicServer: Server;
let privateServer: Server;
let forwarder: BackendForwarder;
let accessLog: AccessLog;
let metrics: GatewayMetrics;
const completed: CompletedRequest[] = [];
let publicUrl: string;
let privateUrl: string;
let lines: Array<Record<string, unknown>> = [];
let rawLog = '';
let servedRequestId = '';
let backendUrl = '';
let services: GatewayServices;

function listen(server: Server): Promise<string> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

async function waitFor(count: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (completed.length < count) {
    if (Date.now() > deadline) throw new Error(`only ${completed.length} of ${count} requests were recorded`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Sends a request and destroys the connection once the gateway had time to forward it. */
function abortedRequest(url: string): Promise<void> {
  return new Promise((resolve) => {
    const req = request(url, { headers: { 'Ocp-Apim-Subscription-Key': key } });
    req.on('error', () => resolve());
    req.end();
    setTimeout(() => {
      req.destroy();
      resolve();
    }, 300);
  });
}

function line(predicate: (l: Record<string, unknown>) => boolean): Record<string, unknown> {
  const found = lines.find(predicate);
  assert.ok(found, `no access log line matched in:\n${rawLog}`);
  return found;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-access-log-'));
  logFile = join(dir, 'access.log');
  // The backend: `/slow…` never answers (for the aborted request), anything else echoes the request id.
  backend = createServer((req, res) => {
    if (req.url?.startsWith('/slow')) return;
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ requestId: req.headers['x-request-id'] }));
  });
  backendUrl = await listen(backend);
  const config = sampleConfig('gatehouse', backendUrl, { primaryKey: key, secondaryKey: `${key}2` });
  // A custom query parameter name for the key: its value must be hidden too.
  config.apis[0]!.subscriptionKeyParameterNames = { header: 'Ocp-Apim-Subscription-Key', query: 'apikey' };
  const snapshots = new SnapshotHolder(buildSnapshot(config, { policies: policyRegistry, version: 1 }));
  forwarder = new BackendForwarder({ timeCalls: true });
  accessLog = createAccessLog({ kind: 'file', path: logFile });
  metrics = new GatewayMetrics({ processMetrics: false });
  const seen = { record: (r: CompletedRequest) => void completed.push(r) };
  const observer = observeRequests([accessLog, metrics, seen], (err) => {
    throw err;
  });
  services = { counters: new MemoryCounterStore(), caches: builtInCachesOnly(), clock: systemClock, forwarder, outbound: forwarder.outbound, circuits: new CircuitBreakers(), logger: createLogger('silent') };
  const handler = createRequestHandler(snapshots, services, { observer });
  publicServer = createServer(handler);
  privateServer = createServer(handler);
  privateServer.on('connection', (socket) =>
    tagArrivalEndpoint(socket, { kind: 'private', connection: { name: 'pe-conn-1', groupId: 'Gateway', memberName: 'Gateway' }, privateIpAddress: '127.0.0.1' }),
  );
  publicUrl = await listen(publicServer);
  privateUrl = await listen(privateServer);

  const served = await fetch(`${publicUrl}/echo/resource?x=1&subscription-key=${key}&sig=${secrets.sig}&code=${secrets.code}&access_token=${secrets.token}&key=${secrets.other}`, {
    // The API reads its key from `apikey`; `subscription-key` is hidden anyway.
    headers: { 'Ocp-Apim-Subscription-Key': key },
  });
  assert.equal(served.status, 200);
  servedRequestId = ((await served.json()) as { requestId: string }).requestId;
  const custom = await fetch(`${publicUrl}/echo/resource?apikey=${key}&y=2`);
  assert.equal(custom.status, 200);
  const missing = await fetch(`${publicUrl}/echo/resource`);
  assert.equal(missing.status, 401);
  await missing.arrayBuffer();
  // A miss still hides a key sent in the query.
  const notFound = await fetch(`${publicUrl}/nowhere?subscription-key=${key}`);
  assert.equal(notFound.status, 404);
  await notFound.arrayBuffer();
  const posted = await fetch(`${publicUrl}/echo/resource`, { method: 'POST', body: 'twelve bytes', headers: { 'Ocp-Apim-Subscription-Key': key } });
  assert.equal(posted.status, 200);
  await posted.arrayBuffer();
  const viaPrivate = await fetch(`${privateUrl}/echo/resource`, { headers: { 'Ocp-Apim-Subscription-Key': key } });
  assert.equal(viaPrivate.status, 200);
  await viaPrivate.arrayBuffer();
  await abortedRequest(`${publicUrl}/echo/slow`);
  await waitFor(7);
  await accessLog.close();
  rawLog = readFileSync(logFile, 'utf8');
  lines = rawLog.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
});

after(async () => {
  await close(publicServer);
  await close(privateServer);
  await close(backend);
  await forwarder.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the access log', () => {
  it('writes one JSON line per request, time first, with the pid', () => {
    assert.equal(lines.length, 7);
    for (const l of lines) {
      assert.equal(Object.keys(l)[0], 'time');
      assert.ok(!Number.isNaN(Date.parse(String(l.time))));
      assert.equal(l.pid, process.pid);
      assert.equal(l.level, undefined);
    }
  });

  it('writes each line as JSON.stringify would, its fields in the documented order', () => {
    const order = ['time', 'pid', 'requestId', 'method', 'path', 'status', 'aborted', 'durationMs', 'requestBytes', 'responseBytes', 'clientIp', 'endpoint', 'api', 'operation', 'product', 'subscription', 'backendStatus', 'backendMs', 'error'];
    for (const raw of rawLog.trimEnd().split('\n')) {
      const parsed = JSON.parse(raw) as Record<string, unknown>;
      assert.equal(raw, JSON.stringify(parsed));
      const positions = Object.keys(parsed).map((name) => order.indexOf(name));
      assert.ok(!positions.includes(-1), `an undocumented field in ${raw}`);
      assert.deepEqual(positions, [...positions].sort((a, b) => a - b), `fields out of order in ${raw}`);
    }
  });

  it('describes a served request: route, product, subscription, backend, timing, the activity id', () => {
    const l = line((x) => String(x.path).startsWith('/echo/resource?x=1'));
    assert.equal(l.method, 'GET');
    assert.equal(l.status, 200);
    assert.equal(l.requestId, servedRequestId, 'the id policies saw as context.RequestId');
    assert.equal(l.api, 'echo-api');
    assert.equal(l.operation, 'retrieve-resource');
    assert.equal(l.product, 'starter');
    assert.equal(l.subscription, 'sample');
    assert.equal(l.backendStatus, 200);
    assert.equal(typeof l.backendMs, 'number');
    assert.equal(l.clientIp, '127.0.0.1');
    assert.equal(l.endpoint, 'public');
    assert.equal(l.error, undefined);
    assert.equal(l.aborted, undefined);
    assert.ok((l.responseBytes as number) > 0);
    // One decimal at most.
    assert.equal(Math.round((l.durationMs as number) * 10) / 10, l.durationMs);
  });

  it('never writes a key: query secrets are replaced by *** under every name', () => {
    for (const secret of [key, ...Object.values(secrets)]) assert.equal(rawLog.includes(secret), false, `${secret} leaked into:\n${rawLog}`);
    const served = line((x) => String(x.path).startsWith('/echo/resource?x=1'));
    assert.equal(served.path, '/echo/resource?x=1&subscription-key=***&sig=***&code=***&access_token=***&key=***');
    assert.equal(line((x) => String(x.path).includes('apikey')).path, '/echo/resource?apikey=***&y=2');
    assert.equal(line((x) => x.status === 404).path, '/nowhere?subscription-key=***');
  });

  it('records a refused key with its LastError reason and no product or subscription', () => {
    const l = line((x) => x.status === 401);
    assert.equal(l.error, 'SubscriptionKeyNotFound');
    assert.equal(l.api, 'echo-api');
    assert.equal(l.product, undefined);
    assert.equal(l.subscription, undefined);
    assert.equal(l.backendStatus, undefined);
  });

  it('records a miss as OperationNotFound without an API', () => {
    const l = line((x) => x.status === 404);
    assert.equal(l.error, 'OperationNotFound');
    assert.equal(l.api, undefined);
    assert.equal(l.endpoint, 'public');
  });

  it('records the request body length when the client announced it', () => {
    assert.equal(line((x) => x.method === 'POST').requestBytes, 12);
  });

  it('records a request whose client went away as status 0, aborted', () => {
    const l = line((x) => x.path === '/echo/slow');
    assert.equal(l.status, 0);
    assert.equal(l.aborted, true);
    assert.equal(l.api, 'echo-api');
  });

  it('names the private endpoint connection a tagged socket came through', () => {
    const privateLines = lines.filter((x) => x.endpoint !== 'public');
    assert.equal(privateLines.length, 1);
    assert.equal(privateLines[0]!.endpoint, 'private:pe-conn-1');
  });
});

describe('closing the access log', () => {
  it('writes what is still buffered (one line is below the buffer size and the periodic flush)', async () => {
    const file = join(dir, 'flush.log');
    const log = createAccessLog({ kind: 'file', path: file });
    log.record(completed[0]!);
    await log.close();
    assert.match(readFileSync(file, 'utf8'), /^\{"time":[^\n]*"requestId"[^\n]*\}\n$/);
  });

  it('refuses a file it cannot open, naming it', () => {
    assert.throws(() => createAccessLog({ kind: 'file', path: join(dir, 'no-such-folder', 'a.log') }), /Cannot open the access log file .*no-such-folder/);
  });
});

describe('the metrics sink', () => {
  it('counts requests by api, operation, status and endpoint (unmatched under empty labels)', async () => {
    const text = await metrics.text();
    const count = (labels: string) => new RegExp(`^gatehouse_requests_total\\{${labels}\\} (\\d+)$`, 'm').exec(text)?.[1];
    assert.equal(count('api="echo-api",operation="retrieve-resource",status="200",endpoint="public"'), '2');
    assert.equal(count('api="echo-api",operation="retrieve-resource",status="200",endpoint="private:pe-conn-1"'), '1');
    assert.equal(count('api="echo-api",operation="retrieve-resource",status="401",endpoint="public"'), '1');
    assert.equal(count('api="",operation="",status="404",endpoint="public"'), '1');
    assert.equal(count('api="echo-api",operation="create-resource",status="200",endpoint="public"'), '1');
    assert.match(text, /^gatehouse_requests_total\{api="echo-api",operation="[^"]+",status="0",endpoint="public"\} 1$/m);
    assert.match(text, /^gatehouse_request_duration_seconds_count\{api="echo-api",endpoint="public"\} 5$/m);
    assert.match(text, /^gatehouse_request_duration_seconds_bucket\{le="30",api="",endpoint="public"\} 1$/m);
    // The backend answered three public requests and the private one; the aborted one is still waiting.
    assert.match(text, /^gatehouse_backend_duration_seconds_count\{api="echo-api"\} 4$/m);
    assert.equal(text.includes(key), false);
  });
});

describe('a reload that renames the API, the operation, the product and the subscription', () => {
  let reloadLines: Array<Record<string, unknown>> = [];
  let reloadMetrics = '';

  before(async () => {
    // A copy of its own, renamed in place below: the next snapshot may reuse these very objects.
    const config = structuredClone(sampleConfig('gatehouse', backendUrl, { primaryKey: key, secondaryKey: `${key}2` }));
    const snapshots = new SnapshotHolder(buildSnapshot(config, { policies: policyRegistry, version: 1 }));
    const file = join(dir, 'reload.log');
    const log = createAccessLog({ kind: 'file', path: file });
    const counted = new GatewayMetrics({ processMetrics: false });
    const done: CompletedRequest[] = [];
    const observer = observeRequests([log, counted, { record: (r: CompletedRequest) => void done.push(r) }], (err) => {
      throw err;
    });
    const server = createServer(createRequestHandler(snapshots, services, { observer }));
    const url = await listen(server);
    const call = async () => {
      const response = await fetch(`${url}/echo/resource`, { headers: { 'Ocp-Apim-Subscription-Key': key } });
      assert.equal(response.status, 200);
      await response.arrayBuffer();
    };
    await call();
    await call();
    const api = config.apis.find((a) => a.name === 'echo-api')!;
    api.name = 'echo-v2';
    api.operations.find((o) => o.name === 'retrieve-resource')!.name = 'fetch-resource';
    for (const product of config.products) product.apis = product.apis?.map((name) => (name === 'echo-api' ? 'echo-v2' : name));
    config.products.find((p) => p.name === 'starter')!.name = 'basic';
    const subscription = config.subscriptions.find((s) => s.name === 'sample')!;
    subscription.name = 'sample-2';
    subscription.scope = '/products/basic';
    snapshots.replace(buildSnapshot(config, { policies: policyRegistry, version: 2 }));
    await call();
    const deadline = Date.now() + 10_000;
    while (done.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await close(server);
    await log.close();
    reloadLines = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    reloadMetrics = await counted.text();
  });

  it('writes the new names on the next line', () => {
    assert.equal(reloadLines.length, 3);
    const names = (l: Record<string, unknown>) => [l.api, l.operation, l.product, l.subscription];
    assert.deepEqual(names(reloadLines[1]!), ['echo-api', 'retrieve-resource', 'starter', 'sample']);
    assert.deepEqual(names(reloadLines[2]!), ['echo-v2', 'fetch-resource', 'basic', 'sample-2']);
  });

  it('counts the next request under the new names only', () => {
    const count = (labels: string) => new RegExp(`^gatehouse_requests_total\\{${labels}\\} (\\d+)$`, 'm').exec(reloadMetrics)?.[1];
    assert.equal(count('api="echo-api",operation="retrieve-resource",status="200",endpoint="public"'), '2');
    assert.equal(count('api="echo-v2",operation="fetch-resource",status="200",endpoint="public"'), '1');
    assert.match(reloadMetrics, /^gatehouse_request_duration_seconds_count\{api="echo-api",endpoint="public"\} 2$/m);
    assert.match(reloadMetrics, /^gatehouse_request_duration_seconds_count\{api="echo-v2",endpoint="public"\} 1$/m);
    assert.match(reloadMetrics, /^gatehouse_backend_duration_seconds_count\{api="echo-v2"\} 1$/m);
  });
});
