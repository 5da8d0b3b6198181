/**
 * The caching policies through real `gatehouse start --config` processes and a real loopback
 * backend that counts its calls: responses served from the built-in cache and from the real
 * Redis (one process stores, another process hits), vary-by rules, products and developers that
 * never read each other's entries, expiry, values stored by key, the `caches` resource pointing
 * a running gateway at Redis, and Redis down (a closed port): every request still answered.
 * Each process gets a service name of its own, which prefixes its keys in Redis.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { apiInformation, openApi, writeApiopsFolder, type FolderContent } from './helpers/apiops-writer.js';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { policies, unusedLoopbackUrl } from './helpers/policy-e2e-support.js';
import { waitFor } from './helpers/wait-for.js';
import { deleteRedisKeys, redisSkipReason, testRedisUrl, uniqueRedisTag } from '../helpers/test-redis.js';
import { Redis } from 'ioredis';

const keys = { alice: 'e2e0cache0alice00000000000000001', bob: 'e2e0cache0bob0000000000000000001', carol: 'e2e0cache0carol00000000000000001' };

/** A backend answering `call <n> <path>`: a body that tells which call made it. */
interface NumberingBackend {
  url: string;
  calls: number;
  close(): Promise<void>;
}

async function startNumberingBackend(): Promise<NumberingBackend> {
  const server: Server = createServer((req, res) => {
    backend.calls += 1;
    req.resume();
    res.writeHead(200, { 'content-type': 'text/plain', 'x-backend-call': String(backend.calls) });
    res.end(`call ${backend.calls} ${req.url}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const backend: NumberingBackend = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls: 0,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
  return backend;
}

const lookup = (attributes: string, children = '') => `<cache-lookup vary-by-developer-groups="false" ${attributes}>${children}</cache-lookup>`;

function configFolder(backendUrl: string): string {
  const api = (name: string, ops: Array<[string, string]>, policy: string): FolderContent => ({
    [`apis/${name}/apiInformation.json`]: apiInformation({ displayName: name, path: name, serviceUrl: `${backendUrl}/${name}`, subscriptionRequired: true }),
    [`apis/${name}/specification.json`]: openApi(ops.map(([id, path]) => ({ method: 'GET', path, operationId: id }))),
    [`apis/${name}/policy.xml`]: policy,
  });
  const valueAnswer = (body: string) => `<return-response><set-status code="200" /><set-body>${body}</set-body></return-response>`;
  return writeApiopsFolder({
    ...api(
      'cached',
      [['items', '/items/{id}'], ['short', '/short']],
      policies({
        inbound: `<base />${lookup('vary-by-developer="false" downstream-caching-type="public"', '<vary-by-header>Accept</vary-by-header><vary-by-query-parameter>q</vary-by-query-parameter>')}`,
        outbound: '<base /><cache-store duration="3600" />',
      }),
    ),
    'apis/cached/operations/short/policy.xml': policies({ outbound: '<cache-store duration="1" />' }),
    ...api('perdev', [['item', '/item']], policies({ inbound: `<base />${lookup('vary-by-developer="true"')}`, outbound: '<base /><cache-store duration="3600" />' })),
    ...api(
      'values',
      [['put', '/{key}/put'], ['get', '/{key}'], ['remove', '/{key}/remove']],
      policies({}),
    ),
    'apis/values/operations/put/policy.xml': policies({
      inbound: `<cache-store-value key="@(context.Request.MatchedParameters[&quot;key&quot;])" value="@(context.Request.Url.Query.GetValueOrDefault(&quot;v&quot;, &quot;&quot;))" duration="3600" />${valueAnswer('stored')}`,
    }),
    'apis/values/operations/get/policy.xml': policies({
      inbound: `<cache-lookup-value key="@(context.Request.MatchedParameters[&quot;key&quot;])" variable-name="found" default-value="(none)" />${valueAnswer('@((string)context.Variables[&quot;found&quot;])')}`,
    }),
    'apis/values/operations/remove/policy.xml': policies({
      inbound: `<cache-remove-value key="@(context.Request.MatchedParameters[&quot;key&quot;])" />${valueAnswer('removed')}`,
    }),
    ...Object.fromEntries(
      ['gold', 'silver'].flatMap((p) => [
        [`products/${p}/productInformation.json`, { properties: { displayName: p, state: 'published', subscriptionRequired: true } }],
        ...['cached', 'perdev', 'values'].map((a) => [`products/${p}/apis/${a}/productApiInformation.json`, { properties: { apiId: `/apis/${a}` } }]),
      ]),
    ),
    ...Object.fromEntries(
      ['alice', 'bob', 'carol'].flatMap((u) => [
        [`users/${u}/userInformation.json`, { properties: { email: `${u}@contoso.test`, firstName: u, lastName: 'Doe', state: 'active' } }],
        [
          `subscriptions/${u}/subscriptionInformation.json`,
          { properties: { displayName: u, scope: u === 'carol' ? '/products/silver' : '/products/gold', state: 'active', primaryKey: keys[u as keyof typeof keys], ownerId: `/users/${u}` } },
        ],
      ]),
    ),
  });
}

let backend: NumberingBackend;
let folder: string;
const started: GatehouseProcess[] = [];
const METRICS_TOKEN = 'e2e-cache-metrics-admin-token-01';
const tag = uniqueRedisTag();

/** Starts a gateway; `workers` 0 runs it in the start process, 1 (the default) in a gateway process. */
async function start(serviceName: string, extra: string[] = [], workers = 0): Promise<GatehouseProcess> {
  const gh = await startGatehouseProcess(['--config', folder, '--service-name', serviceName, '--workers', String(workers), ...extra]);
  started.push(gh);
  return gh;
}

/** GETs `path` on `gh` as the subscriber `who`; tells whether the backend was called. */
async function get(gh: GatehouseProcess, path: string, who: keyof typeof keys = 'alice', headers: Record<string, string> = {}) {
  const before = backend.calls;
  const res = await fetch(`${gh.gatewayUrl}${path}`, { headers: { 'Ocp-Apim-Subscription-Key': keys[who], ...headers } });
  const body = await res.text();
  return { status: res.status, body, headers: res.headers, reachedBackend: backend.calls > before };
}

before(async () => {
  backend = await startNumberingBackend();
  folder = configFolder(backend.url);
});
after(async () => {
  for (const gh of started) await gh.stop();
  await backend.close();
});

describe('caching policies, built-in cache (a real gatehouse process)', () => {
  let gh: GatehouseProcess;
  before(async () => {
    gh = await start(`cache-int-${tag}`);
  });

  it('serves the second GET from the cache: same body and headers, the backend not called, Cache-Control public', async () => {
    const first = await get(gh, '/cached/items/1');
    assert.equal(first.status, 200, first.body);
    assert.equal(first.reachedBackend, true);
    const second = await get(gh, '/cached/items/1');
    assert.equal(second.reachedBackend, false);
    assert.equal(second.body, first.body);
    assert.equal(second.headers.get('x-backend-call'), first.headers.get('x-backend-call'));
    assert.match(second.headers.get('cache-control') ?? '', /^public, max-age=(3599|3600), must-revalidate$/);
  });

  it('vary-by rules hold: another path, Accept value or q misses; another unnamed parameter does not', async () => {
    await get(gh, '/cached/items/2?q=a&x=1', 'alice', { accept: 'text/plain' });
    assert.equal((await get(gh, '/cached/items/2?q=a&x=2', 'alice', { accept: 'text/plain' })).reachedBackend, false);
    assert.equal((await get(gh, '/cached/items/2?q=b', 'alice', { accept: 'text/plain' })).reachedBackend, true);
    assert.equal((await get(gh, '/cached/items/2?q=a', 'alice', { accept: 'application/json' })).reachedBackend, true);
    assert.equal((await get(gh, '/cached/items/3?q=a', 'alice', { accept: 'text/plain' })).reachedBackend, true);
  });

  it('a tenant never reads another tenant’s entry: products always, developers with vary-by-developer', async () => {
    await get(gh, '/cached/items/9', 'alice');
    assert.equal((await get(gh, '/cached/items/9', 'bob')).reachedBackend, false, 'alice and bob share the gold product');
    assert.equal((await get(gh, '/cached/items/9', 'carol')).reachedBackend, true, 'carol is in silver');
    await get(gh, '/perdev/item', 'alice');
    assert.equal((await get(gh, '/perdev/item', 'alice')).reachedBackend, false);
    const bob = await get(gh, '/perdev/item', 'bob');
    assert.equal(bob.reachedBackend, true, 'vary-by-developer: bob does not get alice’s entry');
  });

  it('an entry expires after its duration', async () => {
    await get(gh, '/cached/short');
    await waitFor('the 1-second entry to expire', async () => (await get(gh, '/cached/short')).reachedBackend, gh, 20_000);
  });

  it('values: stored, looked up, removed; a miss gives default-value', async () => {
    assert.equal((await get(gh, '/values/k1/put?v=hello')).body, 'stored');
    assert.equal((await get(gh, '/values/k1')).body, 'hello');
    assert.equal((await get(gh, '/values/k2')).body, '(none)');
    assert.equal((await get(gh, '/values/k1/remove')).body, 'removed');
    assert.equal((await get(gh, '/values/k1')).body, '(none)');
  });
});

const redisSkip = await redisSkipReason('the caching e2e tests on Redis');

describe('caching policies, external cache on the real Redis', { skip: redisSkip }, () => {
  const service = `cache-ext-${tag}`;
  let a: GatehouseProcess;
  let b: GatehouseProcess;
  before(async () => {
    // b runs its gateway in a gateway process (the default): --redis reaches it too.
    [a, b] = await Promise.all([start(service, ['--redis', testRedisUrl]), start(service, ['--redis', testRedisUrl], 1)]);
  });
  after(async () => {
    if (!redisSkip) await deleteRedisKeys(`gatehouse:cache:${service}|*`);
  });

  it('a response stored by one gateway process is served by another one from Redis', async () => {
    // The first requests may come before the process's Redis connection is up (then the store is dropped).
    await waitFor('process a to store the response in Redis', async () => (await get(a, '/cached/items/r1')).status === 200 && !(await get(b, '/cached/items/r1')).reachedBackend, a, 20_000);
    const redis = new Redis(testRedisUrl);
    try {
      const stored = await redis.keys(`gatehouse:cache:${service}|response|*`);
      assert.ok(stored.length >= 1, 'the entry is in Redis under the service prefix');
    } finally {
      redis.disconnect();
    }
  });

  it('values stored by one process are read by another; entries of another service are not', async () => {
    await waitFor('process a to store the value in Redis', async () => (await get(a, '/values/shared/put?v=from-a')).body === 'stored' && (await get(b, '/values/shared')).body === 'from-a', a, 20_000);
    const other = await start(`cache-other-${tag}`, ['--redis', testRedisUrl]);
    await waitFor('the other service to store its own value', async () => (await get(other, '/values/mine/put?v=x')).body === 'stored' && (await get(other, '/values/mine')).body === 'x', other, 20_000);
    assert.equal((await get(other, '/values/shared')).body, '(none)');
    await other.stop();
    await deleteRedisKeys(`gatehouse:cache:cache-other-${tag}|*`);
  });

  it('the caches resource points a running gateway at Redis (connectionString, useFromLocation default)', async () => {
    const c = await start(service);
    const text = c.stdout.join('\n');
    const management = /management API \(http\): (\S+)/.exec(text)?.[1];
    const tokenFile = /admin token file: (\S+)/.exec(text)?.[1];
    assert.ok(management && tokenFile, text);
    const token = readFileSync(tokenFile, 'utf8').trim();
    // Before: the built-in cache, which has never seen process a's value.
    assert.equal((await get(c, '/values/shared')).body, '(none)');
    const path = `${management}/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/${service}/caches/default?api-version=2024-05-01`;
    const put = await fetch(path, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ properties: { connectionString: testRedisUrl, useFromLocation: 'default' } }),
    });
    assert.equal(put.status, 201, await put.text());
    await waitFor('the gateway to use the Redis of the caches resource', async () => (await get(c, '/values/shared')).body === 'from-a', c, 20_000);
  });
});

describe('caching policies with Redis down (--redis at a closed port)', () => {
  it('answers every request: lookups miss, stores are dropped, the built-in cache is not used instead', async () => {
    const closed = new URL(await unusedLoopbackUrl());
    const gh = await start(`cache-down-${tag}`, ['--redis', `redis://127.0.0.1:${closed.port}`, '--admin-token', METRICS_TOKEN]);
    for (let i = 0; i < 3; i++) {
      const res = await get(gh, '/cached/items/down');
      assert.equal(res.status, 200, res.body);
      assert.equal(res.reachedBackend, true);
    }
    assert.equal((await get(gh, '/values/v/put?v=1')).body, 'stored');
    assert.equal((await get(gh, '/values/v')).body, '(none)');
    // Logged (at most once per 30 s), so an operator sees why the cache never hits.
    await waitFor('the Redis failure to be logged', () => gh.stderr.join('').includes('external cache (Redis)'), gh);
    // And counted on /metrics, every failure (the log says only the first of each 30 s).
    const management = /management API \(http\): (\S+)/.exec(gh.stdout.join('\n'))?.[1];
    assert.ok(management, 'the management URL is printed');
    const metrics = await (await fetch(`${management}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    const failures = (operation: string) => Number(new RegExp(`^gatehouse_external_cache_failures_total\\{operation="${operation}"\\} (\\d+)$`, 'm').exec(metrics)?.[1] ?? 0);
    assert.ok(failures('connection') >= 1, metrics);
    assert.ok(failures('read') >= 3, `the three lookups and the value lookup each failed: ${failures('read')}`);
    assert.ok(failures('write') >= 1, `the value store failed: ${failures('write')}`);
  });
});
