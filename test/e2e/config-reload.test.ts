/**
 * Live reload of the configuration folder through real `gatehouse start --config` processes:
 * `--watch` picks up a saved policy, a broken folder keeps the last good configuration and names
 * the file, a request in flight finishes on the snapshot it started with, and SIGHUP reloads
 * without `--watch` while keeping generated subscription keys.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiInformation, openApi, writeApiopsFolder } from './helpers/apiops-writer.js';
import { runGatehouse, startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { waitFor } from './helpers/wait-for.js';

/** A loopback backend answering 200 at once, except `/hold`, which waits until released. */
interface HoldBackend {
  url: string;
  held: number;
  release(): void;
  close(): Promise<void>;
}

async function startHoldBackend(): Promise<HoldBackend> {
  let releaseAll: () => void = () => {};
  let gate = new Promise<void>((r) => (releaseAll = r));
  const state = { held: 0 };
  const server: Server = createServer((req, res) => {
    req.resume();
    if (req.url?.startsWith('/hold')) {
      state.held++;
      void gate.then(() => res.end('held'));
      return;
    }
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get held() {
      return state.held;
    },
    release() {
      releaseAll();
      gate = new Promise<void>((r) => (releaseAll = r));
    },
    close: () =>
      new Promise<void>((r) => {
        releaseAll();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const revisionPolicy = (rev: string) =>
  `<policies><inbound><base /></inbound><backend><base /></backend><outbound><base /><set-header name="X-Rev" exists-action="override"><value>${rev}</value></set-header></outbound><on-error><base /></on-error></policies>`;

function folderFor(backendUrl: string, extra: Record<string, string | object> = {}): string {
  return writeApiopsFolder({
    'apis/a/apiInformation.json': apiInformation({ displayName: 'A', path: 'a', serviceUrl: backendUrl, subscriptionRequired: false }),
    'apis/a/specification.json': openApi([
      { method: 'GET', path: '/x', operationId: 'x' },
      { method: 'GET', path: '/hold', operationId: 'hold' },
    ]),
    'apis/a/policy.xml': revisionPolicy('one'),
    ...extra,
  });
}

async function revision(gh: GatehouseProcess, path = '/a/x', headers: Record<string, string> = {}): Promise<string | null> {
  const res = await fetch(`${gh.gatewayUrl}${path}`, { headers });
  await res.arrayBuffer();
  return res.headers.get('x-rev');
}

let backend: HoldBackend;
const running: GatehouseProcess[] = [];
before(async () => {
  backend = await startHoldBackend();
});
after(async () => {
  await Promise.all(running.map((p) => p.stop()));
  await backend.close();
});

describe('start --config --watch', () => {
  let dir: string;
  let gh: GatehouseProcess;
  before(async () => {
    dir = folderFor(backend.url);
    gh = await startGatehouseProcess(['--config', dir, '--watch']);
    running.push(gh);
  });

  it('serves a saved policy change without a restart', async () => {
    assert.equal(await revision(gh), 'one');
    writeFileSync(join(dir, 'apis/a/policy.xml'), revisionPolicy('two'));
    await waitFor('the new policy to be served', async () => (await revision(gh)) === 'two');
  });

  it('keeps the last good configuration when a policy does not compile, naming the file', async () => {
    await waitFor('the previous change', async () => (await revision(gh)) === 'two');
    writeFileSync(join(dir, 'apis/a/policy.xml'), '<policies><inbound><no-such-policy /></inbound></policies>');
    await waitFor('the compile error in the log', () => /apis\/a\/policy\.xml: ValidationError: .*Error in element 'no-such-policy'/.test(gh.stderr.join('')));
    assert.match(gh.stderr.join(''), /configuration not reloaded, the store and the gateway keep the previous one/);
    assert.equal(await revision(gh), 'two');

    writeFileSync(join(dir, 'apis/a/apiInformation.json'), '{ "properties": ');
    await waitFor('the folder error in the log', () => /apis\/a\/apiInformation\.json: invalid JSON/.test(gh.stderr.join('')));
    assert.equal(await revision(gh), 'two');

    // Fixing both files recovers.
    writeFileSync(join(dir, 'apis/a/apiInformation.json'), JSON.stringify(apiInformation({ displayName: 'A', path: 'a', serviceUrl: backend.url, subscriptionRequired: false })));
    writeFileSync(join(dir, 'apis/a/policy.xml'), revisionPolicy('three'));
    await waitFor('the fixed folder to be served', async () => (await revision(gh)) === 'three');
  });

  it('picks up a folder created after start (a new API)', async () => {
    assert.equal((await fetch(`${gh.gatewayUrl}/b/x`)).status, 404);
    writeFileSync(join(dir, 'apis/a/policy.xml'), revisionPolicy('four'));
    const b = folderFor(backend.url); // a scratch folder to copy the new API's files from
    cpSync(join(b, 'apis/a'), join(dir, 'apis/b'), { recursive: true });
    writeFileSync(join(dir, 'apis/b/apiInformation.json'), JSON.stringify(apiInformation({ displayName: 'B', path: 'b', serviceUrl: backend.url, subscriptionRequired: false })));
    await waitFor('the new API', async () => (await fetch(`${gh.gatewayUrl}/b/x`)).status === 200);
    // A file inside the new folder is watched too.
    writeFileSync(join(dir, 'apis/b/policy.xml'), revisionPolicy('b-two'));
    await waitFor('the new API policy change', async () => (await revision(gh, '/b/x')) === 'b-two');
  });

  it('finishes a request in flight on the configuration it started with', async () => {
    writeFileSync(join(dir, 'apis/a/policy.xml'), revisionPolicy('before'));
    await waitFor('the starting policy', async () => (await revision(gh)) === 'before');
    const heldBefore = backend.held;
    const inFlight = revision(gh, '/a/hold');
    await waitFor('the backend to hold the request', () => backend.held > heldBefore);
    writeFileSync(join(dir, 'apis/a/policy.xml'), revisionPolicy('after'));
    await waitFor('the new policy for new requests', async () => (await revision(gh)) === 'after');
    backend.release();
    assert.equal(await inFlight, 'before');
  });
});

describe('SIGHUP', () => {
  it('reloads the folder without --watch and keeps generated subscription keys', async () => {
    const dir = folderFor(backend.url, {
      'apis/k/apiInformation.json': apiInformation({ displayName: 'K', path: 'k', serviceUrl: backend.url, subscriptionRequired: true }),
      'apis/k/specification.json': openApi([{ method: 'GET', path: '/x', operationId: 'x' }]),
      'apis/k/policy.xml': revisionPolicy('k-one'),
      'subscriptions/s1/subscriptionInformation.json': { properties: { displayName: 'S1', scope: '/apis/k', state: 'active' } },
    });
    const gh = await startGatehouseProcess(['--config', dir], { env: { GATEHOUSE_LOG_LEVEL: 'info' } });
    running.push(gh);
    const key = /subscription 's1' had no keys; generated primary key: (\w+)/.exec(gh.stdout.join('\n'))?.[1];
    assert.ok(key, gh.stdout.join('\n'));
    assert.equal(await revision(gh, '/k/x', { 'Ocp-Apim-Subscription-Key': key }), 'k-one');

    writeFileSync(join(dir, 'apis/k/policy.xml'), revisionPolicy('k-two'));
    gh.child.kill('SIGHUP');
    await waitFor('the SIGHUP reload', () => /"reason":"SIGHUP".*"msg":"configuration reloaded"/.test(gh.stderr.join('')), gh);
    assert.equal(await revision(gh, '/k/x', { 'Ocp-Apim-Subscription-Key': key }), 'k-two');
    assert.equal(gh.child.exitCode, null, 'SIGHUP must not stop the process');
  });

  it('keeps serving after a SIGHUP with a broken folder', async () => {
    const dir = folderFor(backend.url);
    const gh = await startGatehouseProcess(['--config', dir]);
    running.push(gh);
    writeFileSync(join(dir, 'apis/a/policy.xml'), '<policies><inbound>');
    gh.child.kill('SIGHUP');
    await waitFor('the error in the log', () => /apis\/a\/policy\.xml: invalid XML/.test(gh.stderr.join('')), gh);
    assert.equal(await revision(gh), 'one');
  });
});

describe('--watch usage', () => {
  it('needs --config', async () => {
    const r = await runGatehouse(['start', '--watch', '--gateway-port', '0']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--watch needs --config/);
  });
});

describe('the folder is an import into the store', () => {
  const token = 'config-reload-admin-token';
  const service = '/subscriptions/0/resourceGroups/rg/providers/Microsoft.ApiManagement/service/gatehouse';
  let dir: string;
  let data: string;
  let gh: GatehouseProcess;
  let management = '';

  const manage = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
    const res = await fetch(`${management}${service}${path}?api-version=2024-05-01`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(method === 'DELETE' ? { 'if-match': '*' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };
  const start = async (): Promise<GatehouseProcess> => {
    const started = await startGatehouseProcess(['--config', dir, '--data', data, '--admin-token', token], { env: { GATEHOUSE_LOG_LEVEL: 'info' } });
    running.push(started);
    management = /management API \(http\): (\S+)/.exec(started.stdout.join('\n'))?.[1] ?? '';
    assert.ok(management, started.stdout.join('\n'));
    return started;
  };
  const reloads = (): number => gh.stderr.join('').split('\n').filter((l) => l.includes('"msg":"configuration reloaded"')).length;
  /** SIGHUP, then waits for its outcome in the log (a reload resolves once the gateway serves the import). */
  const hangUp = async (outcome: 'configuration reloaded' | 'configuration not reloaded'): Promise<void> => {
    const count = (): number => gh.stderr.join('').split('\n').filter((l) => l.includes('"reason":"SIGHUP"') && l.includes(`"msg":"${outcome}`)).length;
    const before = count();
    gh.child.kill('SIGHUP');
    await waitFor(`the SIGHUP outcome '${outcome}'`, () => count() > before, gh);
  };

  before(async () => {
    data = mkdtempSync(join(tmpdir(), 'gatehouse-import-reload-'));
    dir = folderFor(backend.url, {
      'apis/b/apiInformation.json': apiInformation({ displayName: 'B', path: 'b', serviceUrl: backend.url, subscriptionRequired: false }),
      'apis/b/specification.json': openApi([{ method: 'GET', path: '/x', operationId: 'x' }]),
      'apis/c/apiInformation.json': apiInformation({ displayName: 'C', path: 'c', serviceUrl: backend.url, subscriptionRequired: false }),
      'apis/c/specification.json': openApi([{ method: 'GET', path: '/x', operationId: 'x' }]),
      'apis/k/apiInformation.json': apiInformation({ displayName: 'K', path: 'k', serviceUrl: backend.url, subscriptionRequired: true }),
      'apis/k/specification.json': openApi([{ method: 'GET', path: '/x', operationId: 'x' }]),
      'subscriptions/s1/subscriptionInformation.json': { properties: { displayName: 'S1', scope: '/apis/k', state: 'active' } },
    });
    gh = await start();
  });

  it('prints the generated key of a keyless subscription at its first import', async () => {
    const key = /subscription 's1' had no keys; generated primary key: (\w+)/.exec(gh.stdout.join('\n'))?.[1];
    assert.ok(key, gh.stdout.join('\n'));
    assert.equal((await fetch(`${gh.gatewayUrl}/k/x`, { headers: { 'Ocp-Apim-Subscription-Key': key } })).status, 200);
  });

  it('keeps a management API resource the folder never had across a reload', async () => {
    const put = await manage('PUT', '/apis/m', { properties: { displayName: 'M', path: 'm', serviceUrl: backend.url, protocols: ['http'], subscriptionRequired: false } });
    assert.equal(put.status, 201, JSON.stringify(put.json));
    assert.equal((await manage('PUT', '/apis/m/operations/x', { properties: { displayName: 'x', method: 'GET', urlTemplate: '/x' } })).status, 201);
    await waitFor('the management API change to be served', async () => (await fetch(`${gh.gatewayUrl}/m/x`)).status === 200);
    await hangUp('configuration reloaded');
    assert.equal((await fetch(`${gh.gatewayUrl}/m/x`)).status, 200);
    assert.equal((await manage('GET', '/apis/m')).status, 200);
  });

  it('overwrites a management API change to a resource the folder has', async () => {
    const put = await manage('PUT', '/apis/a/policies/policy', { properties: { format: 'rawxml', value: revisionPolicy('mapi') } });
    assert.equal(put.status, 200, JSON.stringify(put.json));
    await waitFor('the management API policy to be served', async () => (await revision(gh)) === 'mapi');
    writeFileSync(join(dir, 'apis/a/policy.xml'), revisionPolicy('folder'));
    await hangUp('configuration reloaded');
    // The reload resolved after the gateway took the new store version in.
    assert.equal(await revision(gh), 'folder');
  });

  it('removes an artifact removed from the folder from the gateway and the management API', async () => {
    assert.equal((await fetch(`${gh.gatewayUrl}/b/x`)).status, 200);
    rmSync(join(dir, 'apis/b'), { recursive: true });
    await hangUp('configuration reloaded');
    assert.equal((await fetch(`${gh.gatewayUrl}/b/x`)).status, 404);
    assert.equal((await manage('GET', '/apis/b')).status, 404);
    assert.equal((await manage('GET', '/apis/b/operations/x')).status, 404);
  });

  it('changes nothing in the store or the gateway when the folder is broken', async () => {
    const before = await manage('GET', '/apis/c');
    rmSync(join(dir, 'apis/c'), { recursive: true });
    writeFileSync(join(dir, 'apis/a/policy.xml'), revisionPolicy('broken') + '<');
    await hangUp('configuration not reloaded');
    assert.match(gh.stderr.join(''), /"file":"apis\/a\/policy\.xml"/);
    assert.equal(await revision(gh), 'folder');
    assert.equal((await fetch(`${gh.gatewayUrl}/c/x`)).status, 200);
    const after = await manage('GET', '/apis/c');
    assert.equal(after.status, 200);
    assert.equal(after.json.etag ?? after.json.id, before.json.etag ?? before.json.id);
    writeFileSync(join(dir, 'apis/a/policy.xml'), revisionPolicy('folder'));
  });

  it('removes at a later start what was removed while it was stopped, and prints no key again', async () => {
    const reloadsBefore = reloads();
    assert.ok(reloadsBefore >= 3);
    assert.equal(await gh.stop(), 0);
    // apis/c was removed from the folder by the previous case, whose import was refused.
    gh = await start();
    assert.doesNotMatch(gh.stdout.join('\n'), /generated primary key/);
    assert.match(gh.stdout.join('\n'), /imported into the store \(0 created, \d+ updated, \d+ unchanged, [1-9]\d* removed\)/);
    assert.equal((await fetch(`${gh.gatewayUrl}/c/x`)).status, 404);
    assert.equal((await manage('GET', '/apis/c')).status, 404);
    assert.equal((await fetch(`${gh.gatewayUrl}/m/x`)).status, 200, 'the management API resource stays');
    assert.equal(await revision(gh), 'folder');
  });

  it('hides its bookkeeping from the management API and export', async () => {
    assert.equal((await manage('GET', '/.gatehouse/folder-imports')).status, 404);
    const out = join(mkdtempSync(join(tmpdir(), 'gatehouse-import-export-')), 'out');
    await gh.stop();
    const r = await runGatehouse(['export', out, '--data', data]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const files = readdirSync(out, { recursive: true }).map(String);
    assert.ok(files.includes(join('apis', 'm', 'apiInformation.json')), files.join('\n'));
    assert.deepEqual(files.filter((f) => /gatehouse|folder-import/i.test(f)), []);
  });
});
