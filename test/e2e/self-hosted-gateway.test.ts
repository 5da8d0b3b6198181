/**
 * `gatehouse gateway`, the self-hosted gateway (issue 17 §3, docs/self-hosted-gateway.md), with
 * real processes: a `gatehouse start` (SQLite) with two APIs, one linked to gateway `gw1`; a
 * token from generateToken; `gatehouse gateway` started with it serves the linked API and 404s
 * the other, takes a change within seconds, reports its heartbeat, goes on serving with the
 * management process stopped, starts from its encrypted cache while it is still down, and is
 * locked out once the key that signed its token is regenerated.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { runGatehouse, startGatehouseProcess, waitForStderr, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { managementClient } from './helpers/management-client.js';
import { waitFor } from './helpers/wait-for.js';

const policy = (value: string) =>
  `<policies><inbound><base /></inbound><backend><base /></backend><outbound><base /><set-header name="x-live" exists-action="override"><value>${value}</value></set-header></outbound><on-error><base /></on-error></policies>`;

/** A port free now, for a management API that must come back on the same address. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function get(url: string, key: string): Promise<{ status: number; live: string | null }> {
  const res = await fetch(url, { headers: { 'ocp-apim-subscription-key': key } });
  await res.arrayBuffer();
  return { status: res.status, live: res.headers.get('x-live') };
}

describe('gatehouse gateway (self-hosted gateway)', () => {
  let backend: EchoBackend;
  let management: GatehouseProcess | undefined;
  let gateway: GatehouseProcess | undefined;
  let managementData: string;
  let gatewayData: string;
  let managementPort: number;
  let managementUrl: string;
  let key: string;
  let token: string;
  let call: ReturnType<typeof managementClient>;

  const startManagement = async (): Promise<void> => {
    management = await startGatehouseProcess(['--data', managementData], { env: { GATEHOUSE_MANAGEMENT_PORT: String(managementPort) } });
    call = managementClient(management);
  };
  const startGateway = async (withToken: string): Promise<GatehouseProcess> =>
    startGatehouseProcess(['--data', gatewayData, '--poll-interval', '200ms', '--heartbeat-interval', '300ms'], {
      command: 'gateway',
      env: { GATEHOUSE_MANAGEMENT_URL: managementUrl, GATEHOUSE_GATEWAY_TOKEN: withToken },
    });
  const ok = async (answer: Promise<{ status: number; text: string }>, status = 200): Promise<any> => {
    const res = await answer;
    assert.equal(res.status, status, res.text);
    return res.text ? JSON.parse(res.text) : undefined;
  };

  before(async () => {
    backend = await startEchoBackend();
    managementData = mkdtempSync(join(tmpdir(), 'gatehouse-shgw-mgmt-'));
    gatewayData = join(mkdtempSync(join(tmpdir(), 'gatehouse-shgw-gw-')), 'data');
    managementPort = await freePort();
    managementUrl = `http://127.0.0.1:${managementPort}`;
    await startManagement();
    for (const name of ['linked', 'other']) {
      await ok(call('PUT', `apis/${name}`, { properties: { displayName: name, path: name, protocols: ['http', 'https'], serviceUrl: backend.url, subscriptionRequired: true } }), 201);
      await ok(call('PUT', `apis/${name}/operations/hello`, { properties: { displayName: 'hello', method: 'GET', urlTemplate: '/hello' } }), 201);
    }
    await ok(call('PUT', 'subscriptions/all-apis', { properties: { displayName: 'all APIs', scope: '/apis', state: 'active' } }), 201);
    key = (await ok(call('POST', 'subscriptions/all-apis/listSecrets'))).primaryKey;
    await ok(call('PUT', 'gateways/gw1', { properties: { locationData: { name: 'test rack' } } }), 201);
    await ok(call('PUT', 'gateways/gw1/apis/linked', {}), 201);
    const expiry = new Date(Date.now() + 24 * 3600_000).toISOString();
    token = (await ok(call('POST', 'gateways/gw1/generateToken', { keyType: 'primary', expiry }))).value;
  });

  after(async () => {
    await gateway?.stop();
    await management?.stop();
    await backend?.close();
  });

  it('stops with a clear error when it has neither the management API nor a cache, or its token is refused', async () => {
    const unreachable = `http://127.0.0.1:${await freePort()}`;
    const empty = mkdtempSync(join(tmpdir(), 'gatehouse-shgw-empty-'));
    const alone = await runGatehouse(['gateway', '--management-url', unreachable, '--gateway-port', '0', '--data', empty], { GATEHOUSE_GATEWAY_TOKEN: token });
    assert.equal(alone.code, 1, alone.stderr);
    assert.match(alone.stderr, /gatehouse gateway: cannot get a configuration: the management API at http:\/\/127\.0\.0\.1:\d+ gave none \(ECONNREFUSED\) and there is no usable cached configuration/);
    const forged = token.replace(/&[^&]+$/, '&' + Buffer.alloc(64, 9).toString('base64'));
    const refused = await runGatehouse(['gateway', '--management-url', managementUrl, '--gateway-port', '0', '--data', empty], { GATEHOUSE_GATEWAY_TOKEN: forged });
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /refuses the gateway token \(invalid\)/);
    assert.ok(!refused.stderr.includes(forged.split('&')[2]!), 'the token is not printed');
  });

  it('serves the linked API only, with the subscription key', async () => {
    gateway = await startGateway(token);
    assert.match(gateway.stdout.join('\n'), /configuration: from the management API/);
    assert.equal((await get(`${gateway.gatewayUrl}/linked/hello`, key)).status, 200);
    assert.equal((await get(`${gateway.gatewayUrl}/other/hello`, key)).status, 404);
    assert.equal((await get(`${gateway.gatewayUrl}/linked/hello`, 'not-a-key')).status, 401);
    await waitFor('the access log line of the call', () => gateway!.stdout.some((line) => line.startsWith('{') && line.includes('/linked/hello')), gateway);
    // The managed gateway of `start` serves both.
    assert.equal((await get(`${management!.gatewayUrl}/other/hello`, key)).status, 200);
  });

  it('takes a policy change and a newly linked API within seconds', async () => {
    await ok(call('PUT', 'apis/linked/policies/policy', { properties: { format: 'rawxml', value: policy('one') } }), 201);
    await waitFor('the policy change on the self-hosted gateway', async () => (await get(`${gateway!.gatewayUrl}/linked/hello`, key)).live === 'one', gateway);
    await ok(call('PUT', 'gateways/gw1/apis/other', {}), 201);
    await waitFor('the newly linked API on the self-hosted gateway', async () => (await get(`${gateway!.gatewayUrl}/other/hello`, key)).status === 200, gateway);
    const adminToken = readFileSync(/admin token file: (\S+)/.exec(management!.stdout.join('\n'))![1]!, 'utf8').trim();
    const service = '/subscriptions/sub-e2e/resourceGroups/rg-e2e/providers/Microsoft.ApiManagement/service/gatehouse';
    const unlinked = await fetch(`${managementUrl}${service}/gateways/gw1/apis/other?api-version=2024-05-01`, { method: 'DELETE', headers: { authorization: `Bearer ${adminToken}`, 'if-match': '*' } });
    assert.equal(unlinked.status, 200, await unlinked.text());
    await waitFor('the unlinked API gone from the self-hosted gateway', async () => (await get(`${gateway!.gatewayUrl}/other/hello`, key)).status === 404, gateway);
  });

  it('reports its heartbeat to the management API', async () => {
    let beats: any[] = [];
    await waitFor('a heartbeat listed for gw1', async () => {
      beats = (await ok(call('GET', 'gateways/gw1/heartbeats'))).value;
      return beats.length > 0;
    }, gateway);
    assert.equal(beats.length, 1);
    assert.match(beats[0].instanceId, /^[0-9a-f-]{36}$/);
    assert.ok(gateway!.stdout.join('\n').includes(beats[0].instanceId), 'the heartbeat carries the instance id the gateway printed');
    assert.equal(beats[0].version, JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
    assert.equal(typeof beats[0].hostname, 'string');
    assert.ok(Date.parse(beats[0].lastHeartbeat) >= Date.parse(beats[0].firstHeartbeat));
  });

  it('refuses the admin token and unknown tokens on the gateway protocol', async () => {
    const adminToken = readFileSync(/admin token file: (\S+)/.exec(management!.stdout.join('\n'))![1]!, 'utf8').trim();
    const asAdmin = await fetch(`${managementUrl}/gateway/configuration`, { headers: { authorization: `Bearer ${adminToken}` } });
    assert.equal(asAdmin.status, 401);
    assert.equal((await asAdmin.json()).error.code, 'GatewayTokenInvalid');
    const forged = token.replace(/&[^&]+$/, '&' + Buffer.alloc(64).toString('base64'));
    assert.equal((await fetch(`${managementUrl}/gateway/configuration`, { headers: { authorization: `GatewayKey ${forged}` } })).status, 401);
  });

  it('goes on serving with the management process stopped', async () => {
    await management!.stop();
    await waitForStderr(gateway!, /management API unreachable/, 15_000);
    const answer = await get(`${gateway!.gatewayUrl}/linked/hello`, key);
    assert.deepEqual(answer, { status: 200, live: 'one' });
  });

  it('restarted while the management API is down, starts from its encrypted cache', async () => {
    await gateway!.stop();
    const cacheFile = join(gatewayData, 'gateway-config.cache');
    assert.equal(statSync(cacheFile).mode & 0o777, 0o600);
    const bytes = readFileSync(cacheFile);
    assert.ok(!bytes.includes(Buffer.from(key)), 'the cache does not hold the subscription key in the clear');
    assert.ok(!bytes.includes(Buffer.from('linked')), 'the cache does not hold API names in the clear');
    gateway = await startGateway(token);
    assert.match(gateway.stdout.join('\n'), /configuration: the cache/);
    assert.match(gateway.stderr.join(''), /serving the cached configuration \(fail static\)/);
    assert.deepEqual(await get(`${gateway.gatewayUrl}/linked/hello`, key), { status: 200, live: 'one' });
    assert.equal((await get(`${gateway.gatewayUrl}/other/hello`, key)).status, 404);
  });

  it('is locked out once the key that signed its token is regenerated', async () => {
    await startManagement();
    // Back on the same address: the gateway follows again.
    await ok(call('PUT', 'apis/linked/policies/policy', { properties: { format: 'rawxml', value: policy('two') } }));
    await waitFor('the gateway following the management API again', async () => (await get(`${gateway!.gatewayUrl}/linked/hello`, key)).live === 'two', gateway);
    await ok(call('POST', 'gateways/gw1/regenerateKey', { keyType: 'primary' }), 204);
    await waitForStderr(gateway!, /GATEWAY TOKEN REFUSED/, 15_000);
    // Refused, it keeps serving its last configuration (docs/self-hosted-gateway.md).
    assert.deepEqual(await get(`${gateway!.gatewayUrl}/linked/hello`, key), { status: 200, live: 'two' });
    const old = await fetch(`${managementUrl}/gateway/configuration`, { headers: { authorization: `GatewayKey ${token}` } });
    assert.equal(old.status, 401);
    const expiry = new Date(Date.now() + 3600_000).toISOString();
    const fresh = (await ok(call('POST', 'gateways/gw1/generateToken', { keyType: 'primary', expiry }))).value;
    const answer = await fetch(`${managementUrl}/gateway/configuration`, { headers: { authorization: `GatewayKey ${fresh}` } });
    assert.equal(answer.status, 200);
    assert.deepEqual((await answer.json()).config.apis.map((a: { name: string }) => a.name), ['linked']);
    // A gateway started with the new token serves (the old cache is not readable with it: it pulls).
    await gateway!.stop();
    gateway = await startGateway(fresh);
    assert.deepEqual(await get(`${gateway.gatewayUrl}/linked/hello`, key), { status: 200, live: 'two' });
  });
});
