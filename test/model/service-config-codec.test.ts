/** model/service-config-codec.ts: a configuration encoded and decoded is the one encoded; what is not one is refused by name. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeServiceConfig, encodeServiceConfig, ServiceConfigCodecError } from '../../src/model/service-config-codec.js';
import { emptyServiceConfig, type ServiceConfig } from '../../src/model/resources.js';

/** A configuration with something of every list and the values JSON alone would change. */
function richConfig(): ServiceConfig {
  const config = emptyServiceConfig('svc');
  config.globalPolicy = { xml: '<policies><inbound /></policies>', source: 'policies/policy' };
  config.apis.push({
    name: 'echo;rev=2',
    displayName: 'Echo',
    path: 'echo',
    serviceUrl: 'http://127.0.0.1:1',
    protocols: ['https'],
    subscriptionRequired: true,
    apiRevision: '2',
    isCurrent: false,
    isOnline: true,
    operations: [
      {
        name: 'get',
        displayName: 'Get',
        method: 'GET',
        urlTemplate: '/{id}',
        templateParameters: [{ name: 'id', type: 'string', required: true, values: [] }],
        responses: [{ statusCode: 200, representations: [{ contentType: 'application/json', examples: { one: { value: { n: 1, list: [null, 'x'] } } }, schema: { type: 'object' } }] }],
      },
    ],
    schemas: [{ name: 's', contentType: 'application/vnd.oai.openapi.components+json', document: { components: { $gatehouse: 'an object with the tag key', nested: { deep: [1, 2] } } } }],
  });
  config.products.push({ name: 'starter', displayName: 'Starter', subscriptionRequired: true, subscriptionsLimit: null, state: 'published', apis: ['echo'], groups: ['developers'] });
  config.subscriptions.push({ name: 'sub', displayName: 'Sub', scope: '/products/starter', primaryKey: 'k1', secondaryKey: 'k2', state: 'active' });
  config.namedValues.push({ name: 'nv', displayName: 'nv', value: 'secret ✓', secret: true, tags: [] });
  config.backends.push({ name: 'b', url: 'https://backend', circuitBreaker: { rules: [{ name: 'r', failureCondition: { count: 3, intervalMs: 1000, statusCodeRanges: [{ min: 500, max: 599 }], errorReasons: [] }, tripDurationMs: 5000, acceptRetryAfter: true }] } });
  config.certificates = [{ name: 'c', subject: 'CN=x', thumbprint: 'AB', expirationDate: '2030-01-01T00:00:00Z', data: 'MIIB', password: 'pw' }];
  config.network = { publicNetworkAccess: 'Enabled', virtualNetworkType: 'None', privateEndpoints: [] };
  config.debugCredentials = { key: 'k', invalidatedAt: { managed: 1_700_000_000_000 } };
  return config;
}

describe('the ServiceConfig codec', () => {
  it('decodes what it encoded, a tag-like key of the configuration included', () => {
    const config = richConfig();
    assert.deepEqual(decodeServiceConfig(encodeServiceConfig(config)), config);
  });

  it('carries bytes, dates, non-finite numbers and undefined array items, which JSON alone changes', () => {
    const config = richConfig() as ServiceConfig & { extra: unknown };
    const extra = { bytes: Buffer.from([0, 1, 2, 255]), at: new Date('2030-04-21T00:44:00.123Z'), nan: Number.NaN, inf: -Infinity, holes: [1, undefined, 3] };
    config.extra = extra;
    const decoded = decodeServiceConfig(encodeServiceConfig(config)) as typeof config;
    assert.deepEqual(decoded.extra, extra);
    assert.ok(Buffer.isBuffer((decoded.extra as typeof extra).bytes));
    assert.notDeepEqual(JSON.parse(JSON.stringify(extra)), extra, 'plain JSON would not have kept them');
  });

  it('leaves undefined properties out, as absent ones', () => {
    const config = { ...emptyServiceConfig('svc'), globalPolicy: undefined };
    assert.equal('globalPolicy' in decodeServiceConfig(encodeServiceConfig(config)), false);
  });

  it('refuses values no configuration holds', () => {
    const config = emptyServiceConfig('svc') as ServiceConfig & { extra: unknown };
    config.extra = { f: () => 1 };
    assert.throws(() => encodeServiceConfig(config), (err: Error) => err instanceof ServiceConfigCodecError && /config\.extra\.f is a function/.test(err.message));
    config.extra = new Map();
    assert.throws(() => encodeServiceConfig(config), /config\.extra is a Map/);
  });

  const encoded = (config: unknown) => JSON.stringify({ format: 'gatehouse.service-config', version: 1, config });
  const refusals: Array<[string, string, RegExp]> = [
    ['not JSON', '{', /not JSON/],
    ['another document', JSON.stringify({ hello: 1 }), /not a gatehouse\.service-config document/],
    ['a later format version', JSON.stringify({ format: 'gatehouse.service-config', version: 2, config: {} }), /format version 2/],
    ['no service name', encoded({ ...emptyServiceConfig('x'), serviceName: 1 }), /serviceName/],
    ['a list that is not one', encoded({ ...emptyServiceConfig('x'), apis: {} }), /config\.apis is not a list/],
    ['an item without a name', encoded({ ...emptyServiceConfig('x'), backends: [{ url: 'x' }] }), /config\.backends\[0\] has no name/],
    ['an API without operations', encoded({ ...emptyServiceConfig('x'), apis: [{ name: 'a', path: 'a', protocols: [] }] }), /config\.apis\[0\] \('a'\)/],
    ['a subscription without keys', encoded({ ...emptyServiceConfig('x'), subscriptions: [{ name: 's', scope: '/apis' }] }), /subscriptions\[0\] has no scope or keys/],
    ['an unknown tag', encoded({ ...emptyServiceConfig('x'), extra: { $gatehouse: 'regexp' } }), /config\.extra is a tagged value/],
    ['bytes that are not base64', encoded({ ...emptyServiceConfig('x'), extra: { $gatehouse: 'bytes', base64: '%%' } }), /tagged value/],
  ];
  for (const [what, text, message] of refusals) {
    it(`refuses ${what}, naming the problem`, () => {
      assert.throws(() => decodeServiceConfig(text), (err: Error) => err instanceof ServiceConfigCodecError && message.test(err.message));
    });
  }
});
