/**
 * The self-hosted gateway protocol over real HTTP, beside the management API on a real SQLite
 * store: the configuration of the calling gateway only, its ETag and 304s, the GatewayKey token
 * (never the admin token; regenerated keys, expiry), heartbeats that never bump the store
 * version, and their list on the management API.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startManagement, type ManagementHarness } from '../arm/arm-harness.js';
import { decodeServiceConfig } from '../../../src/model/service-config-codec.js';

const put = (h: ManagementHarness, path: string, properties: Record<string, unknown>) => h.call('PUT', path, { body: { properties } });
const policy = (value: string) => `<policies><inbound><base /><set-header name="x-v" exists-action="override"><value>${value}</value></set-header></inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;

describe('the self-hosted gateway protocol', () => {
  let m: ManagementHarness;
  let clock = Date.parse('2030-01-01T00:00:00Z');
  let primary: string;
  let secondary: string;

  const token = async (gateway: string, keyType: string, expiry: string): Promise<string> => {
    const answer = await m.call('POST', `gateways/${gateway}/generateToken`, { body: { keyType, expiry } });
    assert.equal(answer.status, 200, answer.text);
    return answer.body.value;
  };
  const configuration = (auth: string | undefined, headers: Record<string, string> = {}) =>
    fetch(`${m.url}/gateway/configuration`, { headers: { ...(auth === undefined ? {} : { authorization: auth }), ...headers } });
  const heartbeat = (auth: string, body: unknown) => fetch(`${m.url}/gateway/heartbeat`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  before(async () => {
    m = await startManagement({ now: () => new Date(clock) });
    for (const name of ['echo', 'other']) {
      assert.equal((await put(m, `apis/${name}`, { displayName: name, path: name, serviceUrl: 'http://127.0.0.1:9', protocols: ['https'] })).status, 201);
      assert.equal((await put(m, `apis/${name}/operations/get`, { displayName: 'get', method: 'GET', urlTemplate: '/' })).status, 201);
    }
    assert.equal((await put(m, 'products/p-echo', { displayName: 'p', subscriptionRequired: true, state: 'published' })).status, 201);
    assert.equal((await put(m, 'products/p-other', { displayName: 'p', subscriptionRequired: true, state: 'published' })).status, 201);
    assert.equal((await m.call('PUT', 'products/p-echo/apis/echo')).status, 201);
    assert.equal((await m.call('PUT', 'products/p-other/apis/other')).status, 201);
    for (const [name, scope] of [['s-echo-product', '/products/p-echo'], ['s-other-product', '/products/p-other'], ['s-echo-api', '/apis/echo'], ['s-other-api', '/apis/other'], ['s-all-apis', '/apis']]) {
      assert.equal((await put(m, `subscriptions/${name}`, { displayName: name, scope, state: 'active' })).status, 201);
    }
    assert.equal((await put(m, 'gateways/gw1', { locationData: { name: 'here' } })).status, 201);
    assert.equal((await put(m, 'gateways/gw2', { locationData: { name: 'there' } })).status, 201);
    assert.equal((await m.call('PUT', 'gateways/gw1/apis/echo')).status, 201);
    primary = await token('gw1', 'primary', '2030-01-02T00:00:00Z');
    secondary = await token('gw1', 'secondary', '2030-01-02T00:00:00Z');
  });
  after(() => m.close());

  it("answers the gateway's configuration: its APIs and what opens them, nothing of the others", async () => {
    const answer = await configuration(`GatewayKey ${primary}`);
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.match(answer.headers.get('etag') ?? '', /^"[A-Za-z0-9_-]+"$/);
    const config = decodeServiceConfig(await answer.text());
    assert.deepEqual(config.apis.map((a) => a.name), ['echo']);
    assert.deepEqual(config.products.map((p) => [p.name, p.apis]), [['p-echo', ['echo']]]);
    assert.deepEqual(config.subscriptions.map((s) => s.name).sort(), ['s-all-apis', 's-echo-api', 's-echo-product']);
    assert.ok(!JSON.stringify(config).includes('"other"'), 'nothing names the other API');
  });

  it('answers 304 while the configuration is the same, even when another API changes', async () => {
    const first = await configuration(`GatewayKey ${primary}`);
    const etag = first.headers.get('etag')!;
    await first.arrayBuffer();
    const versionBefore = await m.store.version();
    assert.equal((await put(m, 'apis/other/policies/policy', { format: 'rawxml', value: policy('1') })).status, 201);
    assert.ok((await m.store.version()) > versionBefore);
    const same = await configuration(`GatewayKey ${primary}`, { 'if-none-match': etag });
    assert.equal(same.status, 304);
    assert.equal(same.headers.get('etag'), etag);
    assert.equal((await put(m, 'apis/echo/policies/policy', { format: 'rawxml', value: policy('2') })).status, 201);
    const changed = await configuration(`GatewayKey ${primary}`, { 'if-none-match': etag });
    assert.equal(changed.status, 200);
    assert.notEqual(changed.headers.get('etag'), etag);
    assert.match(decodeServiceConfig(await changed.text()).apis[0]!.policy!.xml, /<value>2<\/value>/);
  });

  it('gives a gateway with no linked API an empty configuration', async () => {
    const answer = await configuration(`GatewayKey ${await token('gw2', 'primary', '2030-01-02T00:00:00Z')}`);
    assert.equal(answer.status, 200);
    const config = decodeServiceConfig(await answer.text());
    assert.deepEqual([config.apis, config.products, config.subscriptions], [[], [], []]);
  });

  it('refuses the admin token, a missing header, forged and foreign tokens as invalid', async () => {
    const refusals: Array<string | undefined> = [
      undefined,
      'Bearer test-admin-token-0123456789',
      `GatewayKey ${primary.replace(/&[^&]+$/, '&' + Buffer.alloc(64, 1).toString('base64'))}`,
      `GatewayKey ${primary.replace(/^gw1/, 'GW1')}`,
      `GatewayKey ${primary.replace(/^gw1/, 'nope')}`,
      `GatewayKey ${primary.replace(/&\d{12}&/, '&203001020001&')}`,
      `GatewayKey ${primary.replace(/&\d{12}&/, '&203013400000&')}`,
      'GatewayKey gw1',
      `GatewayKey ${primary} extra`,
    ];
    for (const auth of refusals) {
      const answer = await configuration(auth);
      assert.equal(answer.status, 401, String(auth));
      assert.equal(answer.headers.get('www-authenticate'), 'GatewayKey');
      assert.equal((await answer.json()).error.code, 'GatewayTokenInvalid', String(auth));
    }
  });

  it('says expired only to a genuine token past its expiry', async () => {
    const soon = await token('gw1', 'primary', '2030-01-01T00:05:00Z');
    assert.equal((await configuration(`GatewayKey ${soon}`)).status, 200);
    clock = Date.parse('2030-01-01T00:05:00Z');
    try {
      const expired = await configuration(`GatewayKey ${soon}`);
      assert.equal(expired.status, 401);
      assert.equal((await expired.json()).error.code, 'GatewayTokenExpired');
      const forged = await configuration(`GatewayKey ${soon.replace(/&[^&]+$/, '&' + Buffer.alloc(64, 2).toString('base64'))}`);
      assert.equal((await forged.json()).error.code, 'GatewayTokenInvalid');
    } finally {
      clock = Date.parse('2030-01-01T00:00:00Z');
    }
  });

  it('records heartbeats without bumping the store version, and lists them on the management API', async () => {
    const version = await m.store.version();
    const sent = await heartbeat(`GatewayKey ${primary}`, { hostname: 'node-1.example', version: '1.2.3', instanceId: 'pod-a' });
    assert.equal(sent.status, 204);
    assert.equal((await heartbeat(`GatewayKey ${secondary}`, { hostname: 'node-2', version: '1.2.3', instanceId: 'pod-b' })).status, 204);
    assert.equal(await m.store.version(), version, 'a heartbeat is not a configuration change');
    const list = await m.call('GET', 'gateways/gw1/heartbeats');
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(list.body.value.map((b: { instanceId: string; hostname: string }) => [b.instanceId, b.hostname]), [['pod-b', 'node-2'], ['pod-a', 'node-1.example']]);
    assert.equal(list.body.value[0].lastHeartbeat, '2030-01-01T00:00:00.000Z');
    assert.deepEqual((await m.call('GET', 'gateways/gw2/heartbeats')).body.value, []);
    assert.equal((await m.call('GET', 'gateways/nope/heartbeats')).status, 404);
    assert.equal((await m.call('GET', 'gateways/gw1/heartbeats', { auth: `GatewayKey ${primary}` })).status, 401, 'the list takes the admin token');
  });

  it('refuses a heartbeat that is not one, naming the field, and the wrong methods', async () => {
    const bad = await heartbeat(`GatewayKey ${primary}`, { hostname: 'bad host\n', version: '1', instanceId: 'x' });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).error.details[0].target, 'hostname');
    assert.equal((await heartbeat(`GatewayKey ${primary}`, { hostname: 'h', version: '1' })).status, 400);
    const get = await fetch(`${m.url}/gateway/heartbeat`, { headers: { authorization: `GatewayKey ${primary}` } });
    assert.equal(get.status, 405);
    assert.equal(get.headers.get('allow'), 'POST');
    const post = await fetch(`${m.url}/gateway/configuration`, { method: 'POST', headers: { authorization: `GatewayKey ${primary}` } });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET');
  });

  it('locks out the tokens of a regenerated key; the other key goes on working', async () => {
    assert.equal((await m.call('POST', 'gateways/gw1/regenerateKey', { body: { keyType: 'primary' } })).status, 204);
    const old = await configuration(`GatewayKey ${primary}`);
    assert.equal(old.status, 401);
    assert.equal((await old.json()).error.code, 'GatewayTokenInvalid');
    assert.equal((await heartbeat(`GatewayKey ${primary}`, { hostname: 'h', version: '1', instanceId: 'x' })).status, 401);
    assert.equal((await configuration(`GatewayKey ${secondary}`)).status, 200);
    assert.equal((await configuration(`GatewayKey ${await token('gw1', 'primary', '2030-01-02T00:00:00Z')}`)).status, 200);
  });
});
