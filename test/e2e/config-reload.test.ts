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
import { cpSync, writeFileSync } from 'node:fs';
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
