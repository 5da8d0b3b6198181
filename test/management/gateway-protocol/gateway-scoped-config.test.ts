/**
 * gateway-scoped-config.ts: a self-hosted gateway gets its linked APIs (every revision), their
 * version sets, products, subscriptions, owners, diagnostics and the certificates they name,
 * and never a private endpoint or a VNet listener.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gatewayScopedConfig } from '../../../src/management/gateway-protocol/gateway-scoped-config.js';
import { emptyServiceConfig, type Api, type Certificate, type ServiceConfig } from '../../../src/model/resources.js';
import type { DiagnosticSetting } from '../../../src/model/diagnostic-setting.js';

const api = (name: string, extra: Partial<Api> = {}): Api => ({
  name,
  displayName: name,
  path: name.split(';')[0]!,
  protocols: ['https'],
  subscriptionRequired: true,
  apiRevision: name.includes(';rev=') ? name.split('=')[1]! : '1',
  isCurrent: !name.includes(';rev='),
  isOnline: true,
  operations: [],
  ...extra,
});
const certificate = (name: string, thumbprint: string): Certificate => ({ name, thumbprint, subject: `CN=${name}`, expirationDate: '2030-01-01T00:00:00Z', data: `data-${name}` });
const diagnostic = (api?: string): DiagnosticSetting => ({
  name: 'local',
  ...(api ? { api } : {}),
  logger: { name: 'l', type: 'azureMonitor' },
  samplingPercentage: 100,
  alwaysLogErrors: false,
  logClientIp: false,
  correlation: 'None',
  operationNameFormat: 'Name',
  requestHeaders: [],
  responseHeaders: [],
  headerMasks: {},
  queryMasks: {},
  verbosity: 'information',
  metrics: false,
});

function service(): ServiceConfig {
  const config = emptyServiceConfig('svc');
  config.apis = [
    api('orders', { apiVersionSetId: 'orders-set', policy: { xml: '<authentication-certificate certificate-id="by-name" />', source: 'x' } }),
    api('orders;rev=2', { apiVersionSetId: 'orders-set' }),
    api('orders-v2', { apiVersionSetId: 'orders-set' }),
    api('billing', { operations: [{ name: 'op', displayName: 'op', method: 'GET', urlTemplate: '/', policy: { xml: '<authentication-certificate thumbprint="FFEE" />', source: 'y' } }] }),
  ];
  config.versionSets = [
    { name: 'orders-set', displayName: 'Orders', versioningScheme: 'Segment' },
    { name: 'unused-set', displayName: 'Unused', versioningScheme: 'Segment' },
  ];
  config.products = [
    { name: 'mixed', displayName: 'm', subscriptionRequired: true, state: 'published', apis: ['orders', 'billing'], groups: [] },
    { name: 'billing-only', displayName: 'b', subscriptionRequired: true, state: 'published', apis: ['billing'], groups: [] },
  ];
  const sub = (name: string, scope: string, ownerId?: string) => ({ name, displayName: name, scope, primaryKey: `${name}-1`, secondaryKey: `${name}-2`, state: 'active' as const, ...(ownerId ? { ownerId } : {}) });
  config.subscriptions = [sub('mixed', '/products/mixed', '/users/alice'), sub('billing-only', '/products/billing-only', '/users/bob'), sub('orders', '/apis/orders'), sub('billing', '/apis/billing'), sub('all-apis', '/apis'), sub('all-access', '/')];
  config.users = [{ name: 'alice', groups: [] }, { name: 'bob', groups: [] }];
  config.namedValues = [{ name: 'nv', displayName: 'nv', value: 'from-a-named-value', secret: false }];
  config.backends = [{ name: 'b', url: 'https://b', credentials: { certificateIds: ['/subscriptions/x/certificates/for-backend'] } }];
  config.certificates = [certificate('by-name', 'AA'), certificate('other-api-only', 'FFEE'), certificate('for-backend', 'BB'), certificate('from-a-named-value', 'CC'), certificate('authority', 'DD'), certificate('unused', 'EE')];
  config.diagnostics = [diagnostic(), diagnostic('orders'), diagnostic('billing')];
  config.network = {
    publicNetworkAccess: 'Disabled',
    virtualNetworkType: 'Internal',
    injection: { subnetId: 's', subnetPrefix: '10.0.0.0/24', allowedSources: ['10.0.0.0/16'] },
    privateEndpoints: [{ connectionName: 'pe', groupId: 'Gateway', memberName: 'Gateway', privateIpAddress: '10.0.0.5', allowedSources: ['10.0.0.0/16'] }],
  };
  return config;
}

describe("a self-hosted gateway's configuration", () => {
  const scoped = gatewayScopedConfig(service(), { apis: ['Orders;rev=2', 'orders-v2'], certificateAuthorities: ['authority'] });

  it('holds every revision of a linked API and the linked versions, with their version set', () => {
    assert.deepEqual(scoped.apis.map((a) => a.name), ['orders', 'orders;rev=2', 'orders-v2']);
    assert.deepEqual(scoped.versionSets.map((v) => v.name), ['orders-set']);
  });

  it('holds the products containing them, listing only them, and the subscriptions that open them', () => {
    assert.deepEqual(scoped.products.map((p) => [p.name, p.apis]), [['mixed', ['orders']]]);
    assert.deepEqual(scoped.subscriptions.map((s) => s.name), ['mixed', 'orders', 'all-apis', 'all-access']);
    assert.deepEqual(scoped.users.map((u) => u.name), ['alice']);
  });

  it("holds the service's diagnostics and those of its APIs", () => {
    assert.deepEqual(scoped.diagnostics!.map((d) => d.api ?? 'service'), ['service', 'orders']);
  });

  it('holds the certificates its policies, backends and named values name, and its authorities', () => {
    assert.deepEqual(scoped.certificates!.map((c) => c.name), ['by-name', 'for-backend', 'from-a-named-value', 'authority']);
  });

  it('offers no private endpoint and no VNet listener, whatever the service has', () => {
    assert.deepEqual(scoped.network, { publicNetworkAccess: 'Enabled', virtualNetworkType: 'None', privateEndpoints: [] });
  });

  it('keeps the service-wide parts', () => {
    const whole = service();
    assert.deepEqual([scoped.backends, scoped.namedValues, scoped.serviceName], [whole.backends, whole.namedValues, whole.serviceName]);
  });

  it('gives a gateway without links no API, product, key or user; only the service-wide parts and their certificates', () => {
    const empty = gatewayScopedConfig(service(), { apis: [], certificateAuthorities: [] });
    assert.deepEqual([empty.apis, empty.products, empty.subscriptions, empty.users], [[], [], [], []]);
    assert.deepEqual(empty.certificates!.map((c) => c.name), ['for-backend', 'from-a-named-value']);
  });
});
