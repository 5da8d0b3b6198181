/**
 * Issue 14 §2, "nothing acknowledged is ignored": walks every property path of every served
 * kind's request schema (Azure's definitions, resource-schemas.ts) and fails on one that
 * property-coverage.ts does not cover. Covered means one of: it changes behaviour (a named test
 * file proves it), it is descriptive and answered back as sent (checked here, live), it is
 * refused with Azure's 400 naming it (checked here, live), or another change of issue 14 is
 * building it. Stale entries (a path no schema has) fail too, and every property a kind refuses
 * as not implemented must be listed as refused.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { kindByChain, servedChains } from '../../../src/management/arm/kind-registry.js';
import { startManagement, servicePath, type ManagementHarness } from './arm-harness.js';
import { coverage, type Coverage } from './property-coverage.js';
import { packPfx, selfSignedCertificate } from '../../helpers/tls-test-servers.js';

const root = new URL('../../../', import.meta.url).pathname;

/** The entry covering `path`: its own, or its nearest listed ancestor's. */
function entryFor(entries: Record<string, Coverage>, path: string): Coverage | undefined {
  let at = path;
  for (;;) {
    if (Object.hasOwn(entries, at)) return entries[at];
    const cut = Math.max(at.lastIndexOf('.'), at.lastIndexOf('['));
    if (cut <= 0) return undefined;
    at = at.slice(0, cut);
  }
}

/** The word a test file must contain to be the proof of `path`. */
const leaf = (path: string): string => path.replace(/\[\]|\.\*/g, '').split('.').pop()!;

const coverageCa = packPfx(await selfSignedCertificate('coverage-ca'), 'coverage-pa55');

/** A valid body for a new resource of the chain named `name`, and the parents it needs. */
const bases: Record<string, { parents?: Array<[string, Record<string, unknown>]>; path: (name: string) => string; body: (name: string) => Record<string, unknown> }> = {
  apis: { path: (n) => `apis/${n}`, body: (n) => ({ displayName: n, path: n, serviceUrl: 'http://coverage.local' }) },
  'apis/operations': {
    parents: [['apis/coverage-parent', { displayName: 'Parent', path: 'coverage-parent', serviceUrl: 'http://coverage.local' }]],
    path: (n) => `apis/coverage-parent/operations/${n}`,
    body: (n) => ({ displayName: n, method: 'GET', urlTemplate: `/${n}` }),
  },
  'apis/releases': {
    parents: [['apis/coverage-released', { displayName: 'Released', path: 'coverage-released', serviceUrl: 'http://coverage.local' }]],
    path: (n) => `apis/coverage-released/releases/${n}`,
    body: () => ({ apiId: `${servicePath}/apis/coverage-released` }),
  },
  namedValues: { path: (n) => `namedValues/${n}`, body: (n) => ({ displayName: n, value: 'v' }) },
  apiVersionSets: { path: (n) => `apiVersionSets/${n}`, body: (n) => ({ displayName: n, versioningScheme: 'Segment' }) },
  policyFragments: { path: (n) => `policyFragments/${n}`, body: () => ({ value: '<fragment><set-header name="x" exists-action="override"><value>1</value></set-header></fragment>' }) },
  backends: { path: (n) => `backends/${n}`, body: () => ({ url: 'http://coverage.local', protocol: 'http' }) },
  products: { path: (n) => `products/${n}`, body: (n) => ({ displayName: n }) },
  subscriptions: { path: (n) => `subscriptions/${n}`, body: (n) => ({ displayName: n, scope: '/apis' }) },
  users: { path: (n) => `users/${n}`, body: (n) => ({ email: `${n}@example.com`, firstName: 'F', lastName: 'L' }) },
  groups: { path: (n) => `groups/${n}`, body: (n) => ({ displayName: n }) },
  'apis/schemas': {
    parents: [['apis/coverage-schemas', { displayName: 'Schemas', path: 'coverage-schemas', serviceUrl: 'http://coverage.local' }]],
    path: (n) => `apis/coverage-schemas/schemas/${n}`,
    body: () => ({ contentType: 'application/vnd.ms-azure-apim.xsd+xml', document: { value: '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" />' } }),
  },
  certificates: { path: (n) => `certificates/${n}`, body: () => ({}) },
  gateways: { path: (n) => `gateways/${n}`, body: () => ({ locationData: { name: 'Somewhere' } }) },
  'gateways/hostnameConfigurations': {
    parents: [['gateways/coverage-gateway', { locationData: { name: 'Somewhere' } }]],
    path: (n) => `gateways/coverage-gateway/hostnameConfigurations/${n}`,
    body: (n) => ({ hostname: `${n}.example.com` }),
  },
  // The name of a gateway's certificate authority is a stored certificate's, so the checks share one.
  'gateways/certificateAuthorities': {
    parents: [
      ['gateways/coverage-ca-gateway', { locationData: { name: 'Somewhere' } }],
      ['certificates/coverage-ca', { data: coverageCa.pfx, password: coverageCa.password }],
    ],
    path: () => 'gateways/coverage-ca-gateway/certificateAuthorities/coverage-ca',
    body: () => ({}),
  },
  // Azure names an identity provider by its type, so every check writes the same one.
  identityProviders: { path: () => 'identityProviders/aadB2C', body: () => ({ clientId: 'c', clientSecret: 's', signinTenant: 'coverage.onmicrosoft.com' }) },
  authorizationServers: {
    path: (n) => `authorizationServers/${n}`,
    body: (n) => ({ displayName: n, clientRegistrationEndpoint: 'https://as.example.com/register', authorizationEndpoint: 'https://as.example.com/authorize', grantTypes: ['authorizationCode'], clientId: 'c' }),
  },
  openidConnectProviders: {
    path: (n) => `openidConnectProviders/${n}`,
    body: (n) => ({ displayName: n, metadataEndpoint: 'https://idp.example.com/.well-known/openid-configuration', clientId: 'c' }),
  },
  loggers: { path: (n) => `loggers/${n}`, body: () => ({ loggerType: 'azureEventHub', credentials: { name: 'hub', endpointAddress: 'coverage.servicebus.windows.net', identityClientId: '00000000-0000-0000-0000-000000000002' } }) },
  caches: { path: (n) => `caches/${n}`, body: () => ({ connectionString: 'redis://127.0.0.1:6379', useFromLocation: 'default' }) },
  // Azure names a diagnostic by its logger type (applicationinsights, azuremonitor, local), so the checks share one.
  diagnostics: { parents: [['loggers/coverage-logger', { loggerType: 'azureMonitor' }]], path: () => 'diagnostics/local', body: () => ({ loggerId: '/loggers/coverage-logger' }) },
  'apis/diagnostics': {
    parents: [['apis/coverage-diagnosed', { displayName: 'Diagnosed', path: 'coverage-diagnosed', serviceUrl: 'http://coverage.local' }]],
    path: () => 'apis/coverage-diagnosed/diagnostics/local',
    body: () => ({ loggerId: '/loggers/coverage-logger' }),
  },
  tags: { path: (n) => `tags/${n}`, body: (n) => ({ displayName: n }) },
};

/** The entries covering `chain`: its own, or those of the chain it is a read-only view of. */
function coveredBy(chain: string): Record<string, Coverage> {
  const view = coverage[chain]?.['*'];
  return view && 'viewOf' in view ? coverage[view.viewOf] ?? {} : coverage[chain] ?? {};
}

/** A request path with `[]` read as the first item (`a[].b` → `a[0].b`). */
const target = (path: string): string => path.replace(/\[\]/g, '[0]');

describe('every property of every served kind is enforced or refused (issue 14 §2)', () => {
  it('covers every property path of every served kind, and lists nothing else', () => {
    const uncovered: string[] = [];
    const stale: string[] = [];
    for (const chain of servedChains()) {
      const schema = kindByChain(chain.split('/'))!.schema;
      const entries = coveredBy(chain);
      for (const path of schema.paths) if (!entryFor(entries, path)) uncovered.push(`${chain}: ${path}`);
      if (entries === coverage[chain]) for (const path of Object.keys(entries)) if (!schema.paths.includes(path)) stale.push(`${chain}: ${path}`);
    }
    for (const chain of Object.keys(coverage)) if (!servedChains().includes(chain)) stale.push(chain);
    assert.deepEqual(uncovered, [], 'properties neither enforced nor refused');
    assert.deepEqual(stale, [], 'coverage entries for properties no served schema has');
  });

  it('lists as refused every property a kind refuses as not implemented', () => {
    for (const chain of servedChains()) {
      for (const path of Object.keys(kindByChain(chain.split('/'))!.schema.notSupported)) {
        assert.ok(coverage[chain]?.[path] && 'refused' in coverage[chain]![path]!, `${chain}: ${path} is refused by the kind but not listed as refused`);
      }
    }
  });

  it('names, for each property that changes behaviour, a test file that exists and is about it', () => {
    const wrong: string[] = [];
    for (const [chain, entries] of Object.entries(coverage)) {
      for (const [path, entry] of Object.entries(entries)) {
        if (!('behaviour' in entry)) continue;
        if (!existsSync(`${root}${entry.file}`)) wrong.push(`${chain}: ${path}: ${entry.file} does not exist`);
        else if (!new RegExp(`\\b${leaf(path)}\\b`).test(readFileSync(`${root}${entry.file}`, 'utf8'))) wrong.push(`${chain}: ${path}: ${entry.file} never mentions it`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  describe('live: descriptive properties are answered as sent, refused ones are a 400 naming them', () => {
    let h: ManagementHarness;
    before(async () => {
      h = await startManagement();
      for (const base of Object.values(bases)) {
        for (const [path, body] of base.parents ?? []) {
          const r = await h.call('PUT', path, { body: { properties: body } });
          assert.ok(r.status === 200 || r.status === 201, `${path}: ${r.text}`);
        }
      }
    });
    after(() => h.close());

    it("apis: apiVersionSet is accepted as a GET answers it (the echo of apiVersionSetId), and refused naming another set", async () => {
      assert.equal((await h.call('PUT', 'apiVersionSets/echo-set', { body: { properties: { displayName: 'Echo', versioningScheme: 'Segment' } } })).status, 201);
      assert.equal((await h.call('PUT', 'apiVersionSets/other-set', { body: { properties: { displayName: 'Other', versioningScheme: 'Segment' } } })).status, 201);
      const created = await h.call('PUT', 'apis/echo-api', {
        body: { properties: { displayName: 'Echo', path: 'echo-v', serviceUrl: 'http://coverage.local', apiVersion: 'v1', apiVersionSetId: `${servicePath}/apiVersionSets/echo-set` } },
      });
      assert.equal(created.status, 201, created.text);
      const { isOnline: _online, provisioningState: _state, ...properties } = (await h.call('GET', 'apis/echo-api')).body.properties;
      assert.equal(properties.apiVersionSet.id, `${servicePath}/apiVersionSets/echo-set`);
      const echoed = await h.call('PUT', 'apis/echo-api', { body: { properties } });
      assert.equal(echoed.status, 200, echoed.text);
      const other = await h.call('PUT', 'apis/echo-api', { body: { properties: { ...properties, apiVersionSet: { ...properties.apiVersionSet, id: `${servicePath}/apiVersionSets/other-set` } } } });
      assert.equal(other.status, 400, other.text);
      assert.equal(other.body.error.details[0].target, 'apiVersionSet');
    });

    let n = 0;
    for (const [chain, entries] of Object.entries(coverage)) {
      for (const [path, entry] of Object.entries(entries)) {
        if (!('answered' in entry) && !('refused' in entry)) continue;
        it(`${chain}: ${path} ${'answered' in entry ? 'is answered as sent' : 'is refused with 400 naming it'}`, async () => {
          const base = bases[chain];
          assert.ok(base, `no base body for ${chain}`);
          assert.ok(!path.includes('.'), 'live checks set top-level properties');
          const name = `coverage-${++n}`;
          const sample = 'answered' in entry ? entry.answered : entry.refused;
          const before = await h.call('GET', base.path(name));
          const r = await h.call('PUT', base.path(name), { body: { properties: { ...base.body(name), [path]: sample } } });
          if ('refused' in entry) {
            assert.equal(r.status, 400, r.text);
            assert.equal(r.body.error.code, 'ValidationError', r.text);
            // The detail names the property or, for an object refused for what it holds, the part of it refused.
            assert.ok(r.body.error.details.some((d: { target?: string }) => d.target === target(path) || d.target?.startsWith(`${target(path)}.`)), r.text);
            const after = await h.call('GET', base.path(name));
            assert.deepEqual([after.status, after.body], [before.status, before.body], 'nothing was stored');
            return;
          }
          assert.ok(r.status === 200 || r.status === 201, r.text);
          assert.deepEqual(r.body.properties[path], sample, 'the PUT answers it');
          assert.deepEqual((await h.call('GET', base.path(name))).body.properties[path], sample, 'a GET answers it');
        });
      }
    }
  });
});
