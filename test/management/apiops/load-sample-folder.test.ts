/**
 * The sample APIOps extract as `gatehouse start --config` serves it (issue 14 §1): imported into a
 * fresh SQLite store and read back as the gateway's configuration, resource by resource.
 */
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { Api } from '../../../src/model/resources.js';
import { importAndServe, type ServedFolder } from './import-served.js';

const sample = fileURLToPath(new URL('../../fixtures/apiops/sample', import.meta.url));

let result: ServedFolder;
const logLines: string[] = [];
before(async () => {
  result = await importAndServe(sample, (line) => logLines.push(line));
});

function api(name: string): Api {
  const found = result.config.apis.find((a) => a.name === name);
  assert.ok(found, `API ${name} loaded`);
  return found;
}

describe('APIOps sample folder: APIs', () => {
  it('loads every API folder, revisions included', () => {
    assert.deepEqual(
      result.config.apis.map((a) => a.name).sort(),
      ['basic-api', 'graphql-api', 'petstore', 'revisioned-api', 'revisioned-api;rev=2', 'soap-api', 'versioned-api-v1', 'versioned-api-v2'],
    );
  });

  it('reads apiInformation.json properties', () => {
    const a = api('basic-api');
    assert.equal(a.displayName, 'basic-api');
    assert.equal(a.path, 'basic-api');
    assert.equal(a.serviceUrl, 'https://httpbin.org');
    assert.deepEqual(a.protocols, ['https']);
    assert.equal(a.subscriptionRequired, true);
    assert.deepEqual(a.subscriptionKeyParameterNames, { header: 'Ocp-Apim-Subscription-Key', query: 'subscription-key' });
    assert.equal(a.apiRevision, '1');
    assert.equal(a.isCurrent, true);
    assert.equal(a.isOnline, true);
    assert.equal(a.description, 'Basic OpenAPI YAML API with operation policies.');
  });

  it('takes the name from the file when present and trims slashes from the path', () => {
    const p = api('petstore');
    assert.equal(p.path, 'petstore');
    assert.equal(p.displayName, 'Swagger Petstore');
    assert.deepEqual(p.protocols, ['http', 'https']);
    assert.equal(p.subscriptionRequired, false);
    assert.equal(p.type, 'http');
  });

  it('marks the revision with isCurrent true as current and the ;rev=2 sibling as not current', () => {
    const current = api('revisioned-api');
    const rev2 = api('revisioned-api;rev=2');
    assert.equal(current.isCurrent, true);
    assert.equal(current.apiRevision, '1');
    assert.equal(rev2.isCurrent, false);
    assert.equal(rev2.apiRevision, '2');
    assert.equal(rev2.apiRevisionDescription, 'Second revision.');
    assert.equal(rev2.serviceUrl, 'https://httpbin.org/anything');
    assert.deepEqual(rev2.operations.map((o) => o.name), ['get-revision-v2']);
    // A served document names the stored resource it came from.
    assert.equal(rev2.policy?.source, 'apis/revisioned-api;rev=2/policies/policy');
  });

  it('keeps the last segment of apiVersionSetId, full ARM id or relative', () => {
    assert.equal(api('versioned-api-v1').apiVersionSetId, 'versionSet1');
    assert.equal(api('versioned-api-v1').apiVersion, 'v1');
    assert.equal(api('versioned-api-v2').apiVersionSetId, 'versionSet1');
    assert.equal(api('versioned-api-v2').apiVersion, 'v2');
  });

  it('builds operations from the OpenAPI 3 YAML specification with their policies', () => {
    const a = api('basic-api');
    const operation = (name: string) => a.operations.find((o) => o.name === name)!;
    // The store lists operations by name.
    assert.deepEqual(
      a.operations.map((o) => [o.name, o.method, o.urlTemplate, o.displayName]),
      [
        ['create-item', 'POST', '/items', 'Create item'],
        ['get-item', 'GET', '/items/{itemId}', 'Get item'],
        ['get-items', 'GET', '/items', 'Get items'],
      ],
    );
    const getItems = operation('get-items');
    assert.equal(getItems.policy?.source, 'apis/basic-api/operations/get-items/policies/policy');
    assert.match(getItems.policy!.xml, /<set-query-parameter name="top" exists-action="skip">/);
    assert.match(operation('create-item').policy!.xml, /<forward-request timeout="30" \/>/);
    assert.equal(operation('get-item').policy, undefined);
    assert.equal(a.policy?.source, 'apis/basic-api/policies/policy');
  });

  it('builds operations from the Swagger 2 JSON specification', () => {
    const p = api('petstore');
    assert.deepEqual(
      p.operations.map((o) => [o.name, o.method, o.urlTemplate]),
      [
        ['addpet', 'POST', '/pet'],
        // translateRequiredQueryParameters: template puts the required query parameter in the template
        ['findpetsbystatus', 'GET', '/pet/findByStatus?status={status}'],
        // no operationId: Azure's generated name and display name
        ['get-pet-petid', 'GET', '/pet/{petId}'],
        ['updatepetwithform', 'POST', '/pet/{petId}'],
      ],
    );
    assert.equal(p.operations[2]!.displayName, 'Find pet by ID');
    assert.deepEqual(p.operations[2]!.templateParameters, [
      { name: 'petId', required: true, type: 'integer', description: 'ID of pet' },
    ]);
  });

  it('versions each read their own specification (YAML and JSON)', () => {
    assert.deepEqual(api('versioned-api-v1').operations.map((o) => o.name), ['get-version']);
    assert.deepEqual(api('versioned-api-v2').operations.map((o) => o.name), ['get-version-v2']);
  });

  it('loads APIs without an OpenAPI specification without operations', () => {
    assert.deepEqual(api('graphql-api').operations, []);
    assert.equal(api('graphql-api').type, 'graphql');
    assert.deepEqual(api('soap-api').operations, []);
    assert.equal(api('soap-api').type, 'soap');
  });
});

describe('APIOps sample folder: other resources', () => {
  it('reads the global policy', () => {
    assert.equal(result.config.globalPolicy?.source, 'policies/policy');
    assert.match(result.config.globalPolicy!.xml, /^<policies>/);
  });

  it('reads products, their policy and links in both the folder and the apis.json forms', () => {
    const byName = new Map(result.config.products.map((p) => [p.name, p]));
    assert.deepEqual([...byName.keys()].sort(), ['open', 'product1', 'starter']);
    const p1 = byName.get('product1')!;
    assert.equal(p1.displayName, 'product1');
    assert.equal(p1.state, 'published');
    assert.equal(p1.subscriptionRequired, true);
    assert.equal(p1.approvalRequired, false);
    assert.equal(p1.subscriptionsLimit, 10);
    assert.equal(p1.terms, 'Sample terms for product1.');
    assert.deepEqual(p1.apis, ['basic-api', 'revisioned-api']);
    assert.deepEqual(p1.groups, ['developers', 'partners']);
    assert.equal(p1.policy?.source, 'products/product1/policies/policy');
    const starter = byName.get('starter')!;
    assert.deepEqual(starter.apis, ['versioned-api-v1', 'versioned-api-v2']);
    assert.deepEqual(starter.groups, ['administrators', 'developers', 'guests']);
    const open = byName.get('open')!;
    assert.equal(open.subscriptionRequired, false);
    // No limit: the folder's null is not stored.
    assert.equal(open.subscriptionsLimit, undefined);
    assert.deepEqual(open.apis, ['petstore']);
  });

  it('reads subscriptions, normalising scopes and owners', () => {
    const byName = new Map(result.config.subscriptions.map((s) => [s.name, s]));
    const s1 = byName.get('subscription1')!;
    assert.equal(s1.scope, '/products/product1');
    assert.equal(s1.state, 'active');
    assert.equal(s1.primaryKey, '0123456789abcdef0123456789abcdef');
    assert.equal(s1.secondaryKey, 'fedcba9876543210fedcba9876543210');
    assert.equal(s1.allowTracing, false);
    const all = byName.get('all-apis')!;
    assert.equal(all.scope, '/apis');
    assert.equal(all.ownerId, '/users/alice');
    assert.equal(all.primaryKey, 'a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1');
    // Azure creates a subscription without state as submitted (reference §5.2)
    assert.equal(all.state, 'submitted');
    assert.equal(byName.get('subscription2')!.scope, '/apis/basic-api');
  });

  it('generates missing keys (32 hex characters) and reports the primary key of a subscription that had none', () => {
    const byName = new Map(result.config.subscriptions.map((s) => [s.name, s]));
    const s2 = byName.get('subscription2')!;
    assert.match(s2.primaryKey, /^[0-9a-f]{32}$/);
    assert.match(s2.secondaryKey, /^[0-9a-f]{32}$/);
    assert.notEqual(s2.primaryKey, s2.secondaryKey);
    assert.deepEqual(result.generatedKeys, [{ subscription: 'subscription2', primaryKey: s2.primaryKey }]);
    // only the missing secondary key is generated; the given primary key is kept (and not reported: the folder's owner has it)
    const all = byName.get('all-apis')!;
    assert.equal(all.primaryKey, 'a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1');
    assert.match(all.secondaryKey, /^[0-9a-f]{32}$/);
  });

  it('generates different keys on every load', async () => {
    const again = await importAndServe(sample);
    const first = result.generatedKeys.find((g) => g.subscription === 'subscription2')!;
    const second = again.generatedKeys.find((g) => g.subscription === 'subscription2')!;
    assert.notEqual(first.primaryKey, second.primaryKey);
  });

  it('reads named values: plain, secret with value, secret without value, Key Vault', () => {
    const byName = new Map(result.config.namedValues.map((n) => [n.name, n]));
    assert.deepEqual(byName.get('environment-name'), {
      name: 'environment-name',
      displayName: 'environment-name',
      value: 'scenario',
      secret: false,
      tags: ['environment'],
    });
    assert.equal(byName.get('backend-api-key')!.secret, true);
    assert.equal(byName.get('backend-api-key')!.value, 's3cr3t-value');
    assert.equal(byName.get('testSecret')!.value, '');
    assert.equal(byName.get('6282504e4634611254a46fe1')!.displayName, 'mysecretvalue');
    assert.equal(byName.get('6282504e4634611254a46fe1')!.secret, true);
    // Without a secret provider the Key Vault secret is not read: empty until the refresh reads it.
    assert.equal(byName.get('6282504e4634611254a46fe1')!.value, '');
    assert.ok(result.warnings.some((l) => l.startsWith("named values/testSecret/namedValueInformation.json: secret named value 'testSecret' has no value in the folder")));
    assert.ok(result.warnings.some((l) => l.startsWith("named values/6282504e4634611254a46fe1/namedValueInformation.json: Key Vault named value '6282504e4634611254a46fe1' cannot be read")));
    // secret values never reach the log or the warnings
    assert.ok(![...logLines, ...result.warnings].some((l) => l.includes('s3cr3t-value')));
  });

  it('reads backends, including credentials, circuit breaker and pool members by name', () => {
    const byName = new Map(result.config.backends.map((b) => [b.name, b]));
    assert.deepEqual(byName.get('backend1'), {
      name: 'backend1',
      url: 'https://httpbin.org',
      protocol: 'http',
      description: 'HTTPBin backend for scenario APIs.',
      credentials: { query: {}, header: { 'x-api-key': ['{{backend-api-key}}'] } },
      tls: { validateCertificateChain: true, validateCertificateName: true },
      // The management API stores the default type.
      type: 'Single',
    });
    assert.deepEqual(byName.get('backend2')!.circuitBreaker, {
      rules: [
        { name: 'breaker', failureCondition: { count: 3, intervalMs: 60_000, statusCodeRanges: [{ min: 500, max: 599 }], errorReasons: [] }, tripDurationMs: 60_000, acceptRetryAfter: false },
      ],
    });
    assert.deepEqual(byName.get('pool')!.pool, {
      services: [
        { id: 'backend1', priority: 1, weight: 3 },
        { id: 'backend2', priority: 2 },
      ],
    });
  });

  it('reads policy fragments with their <fragment> XML', () => {
    const byName = new Map(result.config.policyFragments.map((f) => [f.name, f]));
    assert.deepEqual([...byName.keys()].sort(), ['ForwardContext', 'policyFragment1']);
    assert.equal(byName.get('policyFragment1')!.description, 'Adds a correlation header to inbound requests.');
    assert.equal(byName.get('policyFragment1')!.policy.source, 'policyFragments/policyFragment1');
    assert.match(byName.get('policyFragment1')!.policy.xml, /^<fragment>/);
  });

  it('reads version sets and users', () => {
    assert.deepEqual(result.config.versionSets, [
      {
        name: 'versionSet1',
        displayName: 'versionSet1',
        versioningScheme: 'Segment',
        description: 'Version set used by versioned-api-v1 and versioned-api-v2.',
      },
    ]);
    assert.deepEqual(result.config.users, [
      {
        name: 'alice',
        email: 'alice@example.com',
        firstName: 'Alice',
        lastName: 'Example',
        registrationDate: '2024-01-01T00:00:00Z',
        groups: ['developers', 'partners'],
      },
    ]);
  });

  it('reads what Gatehouse models, loggers, diagnostics, tags, releases and GraphQL schemas included: nothing is ignored', () => {
    assert.deepEqual(result.ignored, []);
    assert.deepEqual(logLines, []);
    const counts = result.result.counts;
    for (const kind of ['logger', 'diagnostic', 'tag', 'apiRelease', 'apiSchema']) assert.ok((counts[kind]?.created ?? 0) > 0, `${kind} imported: ${JSON.stringify(counts)}`);
  });
});
