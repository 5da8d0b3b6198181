/**
 * The store → ServiceConfig conversion the gateway follows (issue 3 §5): resources written
 * through the real management API over HTTP into a real SQLite store come out as the model the
 * gateway compiles, secrets opened, links and policies attached.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildSnapshot } from '../../../src/gateway/snapshot/build-snapshot.js';
import { readStoreConfig } from '../../../src/management/store-config/read-store-config.js';
import { serviceConfigFromEntities } from '../../../src/management/store-config/service-config-from-entities.js';
import { policyRegistry } from '../../../src/policies/index.js';
import { startManagement, servicePath, type ManagementHarness } from '../arm/arm-harness.js';

const policy = (inbound: string) => `<policies><inbound><base />${inbound}</inbound><backend><base /></backend><outbound><base /></outbound><on-error><base /></on-error></policies>`;

describe('store entities → ServiceConfig', () => {
  let h: ManagementHarness;
  before(async () => {
    h = await startManagement();
    const put = async (path: string, properties?: Record<string, unknown>): Promise<void> => {
      const r = await h.call('PUT', path, { body: properties === undefined ? {} : { properties } });
      assert.ok(r.status === 200 || r.status === 201, `${path}: ${r.status} ${r.text}`);
    };
    await put('namedValues/plain', { displayName: 'plain-nv', value: 'hello' });
    await put('namedValues/secret', { displayName: 'secret-nv', value: 's3cr3t', secret: true });
    await put('backends/one', { url: 'http://127.0.0.1:9/one', protocol: 'http', credentials: { header: { 'x-key': ['{{secret-nv}}'] } } });
    await put('backends/two', { url: 'http://127.0.0.1:9/two', protocol: 'http' });
    await put('backends/pool', { type: 'Pool', pool: { services: [{ id: `${servicePath}/backends/one`, priority: 1 }, { id: '/backends/two', weight: 2 }] } });
    await put('apiVersionSets/vs', { displayName: 'Versions', versioningScheme: 'Header', versionHeaderName: 'api-version' });
    await put('policyFragments/stamp', { format: 'rawxml', value: '<fragment><set-header name="x-fragment" exists-action="override"><value>{{plain-nv}}</value></set-header></fragment>' });
    await put('policies/policy', { format: 'rawxml', value: policy('<set-header name="x-global" exists-action="override"><value>g</value></set-header>') });
    await put('apis/orders', { displayName: 'Orders', path: 'orders', serviceUrl: 'http://127.0.0.1:9/orders', protocols: ['https', 'http'], apiVersion: 'v1', apiVersionSetId: '/apiVersionSets/vs' });
    await put('apis/orders/operations/get-order', { displayName: 'Get order', method: 'get', urlTemplate: '/orders/{id}', templateParameters: [{ name: 'id', type: 'string', required: true }] });
    await put('apis/orders/operations/list', { displayName: 'List', method: 'GET', urlTemplate: '/orders' });
    await put('apis/orders/operations/by-user', { displayName: 'By user', method: 'GET', urlTemplate: '/users/{user}/orders' });
    await put('apis/orders/policies/policy', { format: 'rawxml', value: policy('<include-fragment fragment-id="stamp" />') });
    await put('apis/orders/operations/get-order/policies/policy', { format: 'rawxml', value: policy('<set-backend-service backend-id="one" />') });
    await put('apis/orders/schemas/defs', { contentType: 'application/vnd.ms-azure-apim.swagger.definitions+json', document: { definitions: { Order: { type: 'object' } } } });
    await put('apis/orders;rev=2', { apiRevisionDescription: 'next' });
    await put('products/gold', { displayName: 'Gold', subscriptionRequired: true, state: 'published', subscriptionsLimit: 3 });
    await put('products/gold/apis/ORDERS');
    await put('products/gold/groups/developers');
    await put('products/gold/policies/policy', { format: 'rawxml', value: policy('<rate-limit calls="5" renewal-period="60" />') });
    await put('users/ada', { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', password: 'pw-not-kept' });
    await put('groups/builders', { displayName: 'Builders' });
    await put('groups/builders/users/ada');
    await put('subscriptions/gold-sub', { displayName: 'Gold sub', scope: '/products/gold', ownerId: '/users/ada', primaryKey: 'primary-key-0001', secondaryKey: 'secondary-key-0001', state: 'active' });
    await put('subscriptions/all', { displayName: 'All APIs', scope: '/apis' });
  });
  after(() => h?.close());

  it('builds every kind with links, policies and opened secrets', async () => {
    const { config, version } = await readStoreConfig(h.store, { serviceName: 'gh', sealer: h.box });
    assert.equal(version, await h.store.version());
    assert.equal(config.serviceName, 'gh');
    assert.match(config.globalPolicy!.xml, /x-global/);
    assert.equal(config.globalPolicy!.source, 'policies/policy');

    const orders = config.apis.find((a) => a.name === 'orders')!;
    assert.equal(orders.isCurrent, true);
    assert.equal(orders.path, 'orders');
    assert.deepEqual(orders.protocols, ['https', 'http']);
    assert.equal(orders.apiVersionSetId, 'vs');
    assert.equal(orders.apiVersion, 'v1');
    assert.equal(orders.subscriptionRequired, true);
    assert.match(orders.policy!.xml, /include-fragment/);
    assert.deepEqual(orders.operations.map((o) => o.name).sort(), ['by-user', 'get-order', 'list']);
    const getOrder = orders.operations.find((o) => o.name === 'get-order')!;
    assert.equal(getOrder.method, 'GET');
    assert.equal(getOrder.urlTemplate, '/orders/{id}');
    assert.match(getOrder.policy!.xml, /set-backend-service/);
    // An undescribed template parameter is added rather than refusing the whole configuration.
    assert.deepEqual(orders.operations.find((o) => o.name === 'by-user')!.templateParameters, [{ name: 'user', type: 'string', required: true }]);

    const rev2 = config.apis.find((a) => a.name === 'orders;rev=2')!;
    assert.equal(rev2.isCurrent, false);
    assert.equal(rev2.apiRevision, '2');
    assert.equal(rev2.operations.length, 3, 'a revision carries its own copy of the operations');

    assert.deepEqual(config.versionSets, [{ name: 'vs', displayName: 'Versions', versioningScheme: 'Header', versionHeaderName: 'api-version' }]);
    const gold = config.products.find((p) => p.name === 'gold')!;
    assert.deepEqual(gold.apis, ['orders'], 'the link names the API in its stored casing');
    assert.deepEqual(gold.groups, ['developers']);
    assert.equal(gold.state, 'published');
    assert.equal(gold.subscriptionsLimit, 3);
    assert.match(gold.policy!.xml, /rate-limit/);

    const sub = config.subscriptions.find((s) => s.name === 'gold-sub')!;
    assert.equal(sub.primaryKey, 'primary-key-0001', 'sealed keys are opened');
    assert.equal(sub.secondaryKey, 'secondary-key-0001');
    assert.equal(sub.scope, '/products/gold');
    assert.equal(sub.ownerId, '/users/ada');
    assert.equal(sub.state, 'active');
    const all = config.subscriptions.find((s) => s.name === 'all')!;
    assert.equal(all.scope, '/apis');
    assert.equal(all.state, 'submitted');
    assert.match(all.primaryKey, /^[0-9a-f]{32}$/, 'generated keys are opened too');

    assert.deepEqual(
      config.namedValues.map((n) => [n.name, n.displayName, n.value, n.secret]).sort(),
      [['plain', 'plain-nv', 'hello', false], ['secret', 'secret-nv', 's3cr3t', true]],
    );
    const pool = config.backends.find((b) => b.name === 'pool')!;
    assert.equal(pool.type, 'Pool');
    assert.deepEqual(pool.pool!.services, [{ id: 'one', priority: 1 }, { id: 'two', weight: 2 }]);
    assert.deepEqual(config.backends.find((b) => b.name === 'one')!.credentials, { header: { 'x-key': ['{{secret-nv}}'] } });
    assert.equal(config.policyFragments[0]!.name, 'stamp');
    const ada = config.users.find((u) => u.name === 'ada')!;
    assert.deepEqual(ada.groups, ['builders']);
    assert.equal(ada.email, 'ada@example.com');
    assert.deepEqual(orders.schemas, [{ name: 'defs', contentType: 'application/vnd.ms-azure-apim.swagger.definitions+json', document: { definitions: { Order: { type: 'object' } } } }], 'the API schemas reach the gateway for validate-content');
    assert.equal(JSON.stringify(config).includes('pw-not-kept'), false);
    assert.equal(JSON.stringify(config).includes('gh1:'), false, 'no sealed text reaches the model');

    // What the store holds compiles into a gateway snapshot.
    const snapshot = buildSnapshot(config, { policies: policyRegistry, version: 1 });
    assert.equal(snapshot.version, 1);
  });

  it('leaves out a stored body that is unusable and names it, keeping the rest', async () => {
    const entities = await h.store.all();
    const broken = entities.map((e) => (e.id === 'products/gold' ? { ...e, body: { ...e.body, state: 42 } } : e));
    const skipped: string[] = [];
    const config = serviceConfigFromEntities(broken, { serviceName: 'gh', sealer: h.box, onSkipped: (id, reason) => skipped.push(`${id}: ${reason}`) });
    assert.equal(skipped.length, 1, skipped.join('\n'));
    assert.match(skipped[0]!, /^products\/gold: .*properties\.state/);
    assert.equal(config.products.some((p) => p.name === 'gold'), false);
    const whole = serviceConfigFromEntities(entities, { serviceName: 'gh', sealer: h.box });
    assert.deepEqual(config.apis, whole.apis, 'everything else is read as before');
    assert.equal(config.products.length, whole.products.length - 1);
  });

  it("gives the gateway each logger with an event hub logger's credentials opened; one that cannot be opened stays without a destination", async () => {
    const put = async (path: string, properties: Record<string, unknown>) => assert.ok((await h.call('PUT', path, { body: { properties } })).status < 300);
    await put('loggers/hub', { loggerType: 'azureEventHub', isBuffered: false, credentials: { name: 'events', connectionString: 'amqp://guest:s3cret@127.0.0.1:5672' } });
    await put('loggers/by-ref', { loggerType: 'azureEventHub', credentials: { name: 'ref-events', connectionString: '{{secret-nv}}' } });
    await put('loggers/mi', { loggerType: 'azureEventHub', credentials: { name: 'mi-events', endpointAddress: 'ns.servicebus.windows.net', identityClientId: 'SystemAssigned' } });
    await put('loggers/ai', { loggerType: 'applicationInsights', credentials: { instrumentationKey: 'k' } });
    const entities = await h.store.all();
    const config = serviceConfigFromEntities(entities, { serviceName: 'gh', sealer: h.box });
    const byName = new Map((config.loggers ?? []).map((l) => [l.name, l]));
    assert.deepEqual(byName.get('hub'), { name: 'hub', type: 'azureEventHub', buffered: false, eventHub: { name: 'events', connectionString: 'amqp://guest:s3cret@127.0.0.1:5672' } });
    assert.deepEqual(byName.get('by-ref')!.eventHub, { name: 'ref-events', connectionString: 's3cr3t' });
    assert.deepEqual(byName.get('mi')!.eventHub, { name: 'mi-events', endpointAddress: 'ns.servicebus.windows.net', identityClientId: 'SystemAssigned' });
    assert.deepEqual(byName.get('ai'), { name: 'ai', type: 'applicationInsights', buffered: true });
    // A reference written around the management API's checks: the logger stays (policies naming it still compile), its messages have nowhere to go.
    const dangling = entities.map((e) => (e.id === 'loggers/by-ref' ? { ...e, body: { ...e.body, credentials: { name: 'ref-events', connectionString: '{{gone}}' } } } : e));
    const skipped: string[] = [];
    const kept = serviceConfigFromEntities(dangling, { serviceName: 'gh', sealer: h.box, onSkipped: (id, reason) => skipped.push(`${id}: ${reason}`) });
    assert.deepEqual(kept.loggers!.find((l) => l.name === 'by-ref'), { name: 'by-ref', type: 'azureEventHub', buffered: true });
    assert.match(skipped.join('\n'), /^loggers\/by-ref: its messages are dropped: .*'gone'/m);
  });
});

describe('serviceUrl notices', () => {
  const api = (name: string, body: Record<string, unknown>) => ({ kind: 'api', id: `apis/${name}`, parent: '', etag: '"1"', updatedAt: '2026-01-01T00:00:00Z', body: { displayName: name, path: name, ...body } });
  it('names a serviceUrl of the wrong scheme for its API type: ws(s) for a WebSocket API, http(s) for the others', () => {
    const lines: string[] = [];
    serviceConfigFromEntities(
      [
        api('chat', { type: 'websocket', protocols: ['ws'], serviceUrl: 'ws://127.0.0.1:9/socket' }),
        api('chat-https', { type: 'websocket', protocols: ['ws'], serviceUrl: 'https://127.0.0.1:9/socket' }),
        api('plain', { type: 'http', protocols: ['http'], serviceUrl: 'http://127.0.0.1:9/plain' }),
        api('plain-ws', { protocols: ['http'], serviceUrl: 'ws://127.0.0.1:9/plain' }),
      ],
      { serviceName: 'gh', sealer: { open: (v: string) => v }, log: (line) => lines.push(line) },
    );
    assert.deepEqual(lines.filter((l) => l.includes('serviceUrl')).sort(), [
      "apis/chat-https: serviceUrl 'https://127.0.0.1:9/socket' is not an absolute ws(s) URL; requests to this API will fail",
      "apis/plain-ws: serviceUrl 'ws://127.0.0.1:9/plain' is not an absolute http(s) URL; requests to this API will fail",
    ]);
  });
});
