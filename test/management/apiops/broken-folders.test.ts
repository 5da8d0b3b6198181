import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, rename, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigFolderError } from '../../../src/management/apiops/config-folder-error.js';
import { importAndServe } from './import-served.js';
import { assertLoadError, copySample, type SampleCopy } from './sample-copy.js';

let copy: SampleCopy;
beforeEach(async () => {
  copy = await copySample();
});
afterEach(async () => {
  await copy.dispose();
});

describe('broken APIOps folders: files', () => {
  it('the unmodified copy loads (baseline for every case below)', async () => {
    const r = await copy.load();
    assert.equal(r.config.apis.length, 8);
  });

  it('a folder that does not exist', async () => {
    await assert.rejects(importAndServe(join(copy.dir, 'nope')), (err: unknown) => {
      assert.ok(err instanceof ConfigFolderError);
      assert.match(err.message, /nope: does not exist$/);
      return true;
    });
  });

  it('invalid JSON in an information file', async () => {
    await copy.write('apis/basic-api/apiInformation.json', '{ "properties": { "path": "basic-api", } }');
    await assertLoadError(copy, 'apis/basic-api/apiInformation.json', /^invalid JSON \(/);
  });

  it('an information file that is not an object', async () => {
    await copy.write('backends/backend1/backendInformation.json', '[1, 2]');
    await assertLoadError(copy, 'backends/backend1/backendInformation.json', /^must be a JSON object$/);
  });

  it('an API folder without apiInformation.json', async () => {
    await copy.remove('apis/soap-api/apiInformation.json');
    await assertLoadError(copy, 'apis/soap-api/apiInformation.json', /^file is missing$/);
  });

  it('a byte-order mark before JSON is accepted', async () => {
    await copy.write('version sets/versionSet1/versionSetInformation.json', '\ufeff{"properties":{"displayName":"vs","versioningScheme":"Segment"}}');
    const r = await copy.load();
    assert.equal(r.config.versionSets[0]!.displayName, 'vs');
  });
});

describe('broken APIOps folders: APIs', () => {
  it('an API without path', async () => {
    await copy.editJson('apis/basic-api/apiInformation.json', (d) => delete d.properties.path);
    await assertLoadError(copy, 'apis/basic-api/apiInformation.json', /^ValidationError: One or more fields contain incorrect values: path: 'path' is required\.$/);
  });

  it('a property of the wrong type', async () => {
    await copy.editJson('apis/basic-api/apiInformation.json', (d) => (d.properties.subscriptionRequired = 'yes'));
    await assertLoadError(copy, 'apis/basic-api/apiInformation.json', /^ValidationError: .*subscriptionRequired: 'subscriptionRequired' must be a boolean\.$/);
  });

  it('an unknown protocol', async () => {
    await copy.editJson('apis/basic-api/apiInformation.json', (d) => (d.properties.protocols = ['https', 'ftp']));
    await assertLoadError(copy, 'apis/basic-api/apiInformation.json', /^ValidationError: .*protocols\[1\]: 'protocols\[1\]' must be one of: http, https, ws, wss\.$/);
  });

  it('two current APIs with the same path', async () => {
    await copy.editJson('apis/soap-api/apiInformation.json', (d) => (d.properties.path = 'basic-api'));
    await assertLoadError(copy, 'apis/soap-api/apiInformation.json', /^ValidationError: .*path: Path 'basic-api' is already used by API 'basic-api'\.$/);
  });

  it('the same version twice in a version set', async () => {
    await copy.editJson('apis/versioned-api-v2/apiInformation.json', (d) => (d.properties.apiVersion = 'v1'));
    await assertLoadError(copy, 'apis/versioned-api-v2/apiInformation.json', /^ValidationError: .*apiVersion: Version 'v1' of path 'versioned-api' is already used by API 'versioned-api-v1'\.$/);
  });

  it('an unknown version set', async () => {
    await copy.editJson('apis/versioned-api-v2/apiInformation.json', (d) => (d.properties.apiVersionSetId = '/apiVersionSets/nope'));
    await assertLoadError(copy, 'apis/versioned-api-v2/apiInformation.json', /^ValidationError: .*apiVersionSetId: ApiVersionSet 'nope' not found\.$/);
  });

  it('two revisions both marked current', async () => {
    await copy.editJson('apis/revisioned-api;rev=2/apiInformation.json', (d) => (d.properties.isCurrent = true));
    await assertLoadError(copy, 'apis/revisioned-api;rev=2/apiInformation.json', /^API 'revisioned-api' has more than one current revision/);
  });

  it('without isCurrent anywhere the folder without ;rev= is current', async () => {
    await copy.editJson('apis/revisioned-api/apiInformation.json', (d) => delete d.properties.isCurrent);
    const r = await copy.load();
    assert.equal(r.config.apis.find((a) => a.name === 'revisioned-api')!.isCurrent, true);
    assert.equal(r.config.apis.find((a) => a.name === 'revisioned-api;rev=2')!.isCurrent, false);
  });

  it('isCurrent on the ;rev=2 folder makes it current', async () => {
    await copy.editJson('apis/revisioned-api/apiInformation.json', (d) => delete d.properties.isCurrent);
    await copy.editJson('apis/revisioned-api;rev=2/apiInformation.json', (d) => (d.properties.isCurrent = true));
    const r = await copy.load();
    // The store keeps the current revision at the API's own name (as the management API does).
    const current = r.config.apis.find((a) => a.name === 'revisioned-api')!;
    assert.equal(current.isCurrent, true);
    assert.equal(current.apiRevision, '2');
    assert.equal(r.config.apis.find((a) => a.name === 'revisioned-api;rev=1')!.isCurrent, false);
  });

  it('a lone revision is current even without isCurrent', async () => {
    await copy.editJson('apis/basic-api/apiInformation.json', (d) => delete d.properties.isCurrent);
    const r = await copy.load();
    assert.equal(r.config.apis.find((a) => a.name === 'basic-api')!.isCurrent, true);
  });

  it('a revision number that contradicts the folder name', async () => {
    await copy.editJson('apis/revisioned-api;rev=2/apiInformation.json', (d) => (d.properties.apiRevision = '3'));
    await assertLoadError(copy, 'apis/revisioned-api;rev=2/apiInformation.json', /^property 'properties\.apiRevision' is '3' but the folder names revision 2$/);
  });

  it('an operation policy folder for an operation the specification does not define', async () => {
    await copy.write('apis/basic-api/operations/delete-item/policy.xml', '<policies><inbound><base /></inbound></policies>');
    await assertLoadError(copy, 'apis/basic-api/operations/delete-item', /^operation 'delete-item' is not defined by apis\/basic-api\/specification\.yaml$/);
  });

  it('an operation policy folder in an API without specification', async () => {
    await copy.write('apis/soap-api/operations/op1/policy.xml', '<policies />');
    await assertLoadError(copy, 'apis/soap-api/operations/op1', /^operation 'op1' is not defined by apis\/soap-api \(no specification\)$/);
  });

  it('invalid YAML in a specification', async () => {
    await copy.write('apis/basic-api/specification.yaml', 'openapi: 3.0.1\npaths:\n  /a:\n    get: [unclosed\n');
    await assertLoadError(copy, 'apis/basic-api/specification.yaml', /^invalid YAML \(/);
  });

  it('a specification that is neither OpenAPI 3 nor Swagger 2', async () => {
    await copy.write('apis/basic-api/specification.yaml', 'openapi: 1.0\npaths: {}\n');
    await assertLoadError(copy, 'apis/basic-api/specification.yaml', /^not an OpenAPI 3\.x or Swagger 2\.0 document/);
  });

  it('a specification with an external $ref to a missing file, or leaving the API folder', async () => {
    const withRef = (ref: string): string =>
      `openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          $ref: '${ref}'\n`;
    await copy.write('apis/versioned-api-v1/specification.yaml', withRef('common.yaml#/responses/ok'));
    await assertLoadError(copy, 'apis/versioned-api-v1/specification.yaml', /^\$ref 'common\.yaml#\/responses\/ok' in the specification: file 'common\.yaml' does not exist/);
    await copy.write('apis/versioned-api-v1/specification.yaml', withRef('../basic-api/apiInformation.json#/properties'));
    await assertLoadError(copy, 'apis/versioned-api-v1/specification.yaml', /^\$ref '\.\.\/basic-api\/apiInformation\.json#\/properties' in the specification leaves the API folder/);
  });

  it('a specification with a dangling internal $ref', async () => {
    await copy.write(
      'apis/versioned-api-v1/specification.yaml',
      "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          $ref: '#/components/responses/Missing'\n",
    );
    await assertLoadError(copy, 'apis/versioned-api-v1/specification.yaml', /^cannot resolve references \(.*Missing/);
  });

  it('two specification files in one API folder', async () => {
    await copy.write('apis/basic-api/specification.json', '{}');
    await assertLoadError(copy, 'apis/basic-api', /^has more than one specification \(specification\.json, specification\.yaml\)/);
  });
});

describe('broken APIOps folders: policies', () => {
  it('malformed policy XML', async () => {
    await copy.write('apis/basic-api/policy.xml', '<policies>\n  <inbound>\n</policies>');
    await assertLoadError(copy, 'apis/basic-api/policy.xml', /^invalid XML: Unexpected close tag\. Line 3, position 11\.$/);
  });

  it('a policy document whose root is not <policies>', async () => {
    await copy.write('products/product1/policy.xml', '<policy><inbound /></policy>');
    await assertLoadError(copy, 'products/product1/policy.xml', /^root element must be <policies>, found <policy>$/);
  });

  it('a fragment whose root is not <fragment>', async () => {
    await copy.write('policy fragments/policyFragment1/policy.xml', '<policies><inbound /></policies>');
    await assertLoadError(copy, 'policy fragments/policyFragment1/policy.xml', /^root element must be <fragment>, found <policies>$/);
  });

  it('a fragment folder without policy.xml', async () => {
    await copy.remove('policy fragments/ForwardContext/policy.xml');
    await assertLoadError(copy, 'policy fragments/ForwardContext/policy.xml', /^file is missing/);
  });

  it('a malformed global policy', async () => {
    await copy.write('policy.xml', 'not xml');
    await assertLoadError(copy, 'policy.xml', /^invalid XML: /);
  });
});

describe('broken APIOps folders: products and subscriptions', () => {
  it('a product linking an unknown API (folder form)', async () => {
    await copy.writeJson('products/product1/apis/nope/productApiInformation.json', { properties: { apiId: '/apis/nope' } });
    await assertLoadError(copy, 'products/product1/apis/nope/productApiInformation.json', /^ResourceNotFound: Api not found\.$/);
  });

  it('a product linking an unknown API (apis.json form)', async () => {
    await copy.writeJson('products/starter/apis.json', [{ name: 'versioned-api-v1' }, { name: 'ghost' }]);
    await assertLoadError(copy, 'products/starter/apis.json', /^ResourceNotFound: Api not found\.$/);
  });

  it('an apis.json that is not a list', async () => {
    await copy.writeJson('products/starter/apis.json', { name: 'x' });
    await assertLoadError(copy, 'products/starter/apis.json', /^must be a JSON array/);
  });

  it('a product without displayName', async () => {
    await copy.editJson('products/starter/productInformation.json', (d) => delete d.properties.displayName);
    await assertLoadError(copy, 'products/starter/productInformation.json', /^ValidationError: .*displayName: 'displayName' is required\.$/);
  });

  it('a product with an unknown state', async () => {
    await copy.editJson('products/starter/productInformation.json', (d) => (d.properties.state = 'live'));
    await assertLoadError(copy, 'products/starter/productInformation.json', /^ValidationError: .*state: 'state' must be one of: notPublished, published\.$/);
  });

  it('a subscription scoped to an unknown product', async () => {
    await copy.editJson('subscriptions/subscription1/subscriptionInformation.json', (d) => (d.properties.scope = '/products/ghost'));
    await assertLoadError(copy, 'subscriptions/subscription1/subscriptionInformation.json', /^ValidationError: .*scope: Product 'ghost' not found\.$/);
  });

  it('a subscription scoped to an unknown API', async () => {
    await copy.editJson('subscriptions/subscription2/subscriptionInformation.json', (d) => (d.properties.scope = '/apis/ghost'));
    await assertLoadError(copy, 'subscriptions/subscription2/subscriptionInformation.json', /^ValidationError: .*scope: Api 'ghost' not found\.$/);
  });

  it('a subscription with a scope of no accepted form', async () => {
    await copy.editJson('subscriptions/subscription2/subscriptionInformation.json', (d) => (d.properties.scope = '/backends/backend1'));
    await assertLoadError(copy, 'subscriptions/subscription2/subscriptionInformation.json', /^ValidationError: .*scope: '\/backends\/backend1' is not a valid subscription scope/);
  });

  it('a subscription without scope', async () => {
    await copy.editJson('subscriptions/subscription2/subscriptionInformation.json', (d) => delete d.properties.scope);
    await assertLoadError(copy, 'subscriptions/subscription2/subscriptionInformation.json', /^ValidationError: .*scope: 'scope' is required\.$/);
  });

  it('two subscriptions with the same key are accepted, as the management API accepts them', async () => {
    // The import writes through the management API's rules, which do not refuse a shared key.
    await copy.editJson('subscriptions/subscription2/subscriptionInformation.json', (d) => (d.properties.primaryKey = '0123456789abcdef0123456789abcdef'));
    const r = await copy.load();
    assert.equal(r.config.subscriptions.filter((s) => s.primaryKey === '0123456789abcdef0123456789abcdef').length, 2);
  });

  it('a subscription with an unknown state', async () => {
    await copy.editJson('subscriptions/subscription2/subscriptionInformation.json', (d) => (d.properties.state = 'paused'));
    await assertLoadError(copy, 'subscriptions/subscription2/subscriptionInformation.json', /^ValidationError: .*state: 'state' must be one of: suspended, active/);
  });
});

describe('broken APIOps folders: named values, backends, version sets', () => {
  it('a plain named value without value', async () => {
    await copy.editJson('named values/environment-name/namedValueInformation.json', (d) => delete d.properties.value);
    await assertLoadError(copy, 'named values/environment-name/namedValueInformation.json', /^ValidationError: .*value: 'value' is required\.$/);
  });

  it('a named value display name with characters Azure refuses', async () => {
    await copy.editJson('named values/environment-name/namedValueInformation.json', (d) => (d.properties.displayName = 'environment name'));
    await assertLoadError(copy, 'named values/environment-name/namedValueInformation.json', /^ValidationError: .*displayName: 'displayName' has an invalid format\.$/);
  });

  it('two named values with the same display name', async () => {
    await copy.editJson('named values/testSecret/namedValueInformation.json', (d) => (d.properties.displayName = 'environment-name'));
    await assertLoadError(copy, 'named values/testSecret/namedValueInformation.json', /^IdentifierAlreadyInUse: Named value with display name 'environment-name' already exists\.$/);
  });

  it('a version set without versioningScheme', async () => {
    await copy.editJson('version sets/versionSet1/versionSetInformation.json', (d) => delete d.properties.versioningScheme);
    await assertLoadError(copy, 'version sets/versionSet1/versionSetInformation.json', /^ValidationError: .*versioningScheme: 'versioningScheme' is required\.$/);
  });

  it('a Query version set without versionQueryName', async () => {
    await copy.editJson('version sets/versionSet1/versionSetInformation.json', (d) => (d.properties.versioningScheme = 'Query'));
    await assertLoadError(copy, 'version sets/versionSet1/versionSetInformation.json', /^ValidationError: .*versionQueryName: 'versionQueryName' is required when versioningScheme is Query\.$/);
  });

  it('the older apiVersionSetInformation.json name is read too', async () => {
    await copy.remove('version sets/versionSet1/versionSetInformation.json');
    await copy.writeJson('version sets/versionSet1/apiVersionSetInformation.json', {
      properties: { displayName: 'versionSet1', versioningScheme: 'Header', versionHeaderName: 'Api-Version' },
    });
    const r = await copy.load();
    assert.deepEqual(r.config.versionSets, [{ name: 'versionSet1', displayName: 'versionSet1', versioningScheme: 'Header', versionHeaderName: 'Api-Version' }]);
  });

  it('a Single backend without url', async () => {
    await copy.editJson('backends/backend2/backendInformation.json', (d) => delete d.properties.url);
    await assertLoadError(copy, 'backends/backend2/backendInformation.json', /^ValidationError: .*url: 'url' is required for a backend of type Single\.$/);
  });

  it('a circuit breaker the gateway cannot enforce', async () => {
    await copy.editJson('backends/backend2/backendInformation.json', (d) => {
      const breaker = d.properties.circuitBreaker as { rules: Array<{ failureCondition: Record<string, unknown> }> };
      breaker.rules[0]!.failureCondition.statusCodeRanges = [{ min: 599, max: 500 }];
    });
    await assertLoadError(
      copy,
      'backends/backend2/backendInformation.json',
      /^ValidationError: .*statusCodeRanges\[0\]\.min' \(599\) must not be greater than .*max' \(500\)\.$/,
    );
  });

  it('a pool member without backend folder', async () => {
    await copy.remove('backends/backend2');
    await assertLoadError(copy, 'backends/pool/backendInformation.json', /^ValidationError: .*pool\.services\[1\]\.id: Backend with id 'backend2' could not be found\.$/);
  });

  it('a folder name reused through the name property', async () => {
    await copy.writeJson('backends/other/backendInformation.json', { name: 'backend1', properties: { url: 'https://x.test' } });
    await assertLoadError(copy, 'backends/other/backendInformation.json', /^'backend1' is also defined by backends\/backend1\/backendInformation\.json$/);
  });

  it('a stray file at the root is ignored with one log line', async () => {
    await writeFile(join(copy.dir, 'stray.txt'), 'x');
    const lines: string[] = [];
    const r = await copy.load((l) => lines.push(l));
    assert.ok(r.ignored.includes('stray.txt'));
    assert.ok(lines.includes('stray.txt: file not read'));
  });
});

describe('URLs that are not absolute http(s) URLs', () => {
  it('are kept, as the management API keeps them, so the rest of the folder stays usable', async () => {
    await copy.editJson('apis/basic-api/apiInformation.json', (d) => (d.properties.serviceUrl = '[url goes here]]'));
    await copy.editJson('backends/backend2/backendInformation.json', (d) => (d.properties.url = 'not a url'));
    const r = await copy.load();
    assert.equal(r.config.apis.find((a) => a.name === 'basic-api')!.serviceUrl, '[url goes here]]');
    assert.equal(r.config.backends.find((b) => b.name === 'backend2')!.url, 'not a url');
  });
});

describe('tolerated irregularities', () => {
  it('symbolic links to folders and files are read as what they point at; a dangling one names the file', async () => {
    // A Kubernetes ConfigMap mount links every entry into a hidden `..data` folder.
    const hidden = join(copy.dir, '..data');
    await mkdir(hidden);
    await rename(join(copy.dir, 'apis/basic-api'), join(hidden, 'basic-api'));
    await symlink(join(hidden, 'basic-api'), join(copy.dir, 'apis/basic-api'));
    await rename(join(copy.dir, 'policy.xml'), join(hidden, 'policy.xml'));
    await symlink(join(hidden, 'policy.xml'), join(copy.dir, 'policy.xml'));
    const r = await copy.load();
    const basic = r.config.apis.find((a) => a.name === 'basic-api')!;
    assert.deepEqual(basic.operations.map((o) => o.name), ['create-item', 'get-item', 'get-items']);
    assert.match(basic.operations.find((o) => o.name === 'get-items')!.policy!.xml, /set-query-parameter/);
    assert.match(r.config.globalPolicy!.xml, /^<policies>/);
    await symlink(join(hidden, 'gone.xml'), join(copy.dir, 'products/product1/policy.xml.tmp'));
    await rename(join(copy.dir, 'products/product1/policy.xml.tmp'), join(copy.dir, 'products/product1/policy.xml'));
    await assertLoadError(copy, 'products/product1/policy.xml', /^cannot read file \(not found\)$/);
  });

  it('a product group with no folder under groups/ is refused, as the management API refuses the link', async () => {
    await copy.writeJson('products/product1/groups/vip/productGroupInformation.json', { properties: { groupId: '/groups/vip' } });
    await assertLoadError(copy, 'products/product1/groups/vip/productGroupInformation.json', /^ResourceNotFound: Group not found\.$/);
  });

  it('operation folders of an API without operations (GraphQL pass-through, OData) are skipped with a log line', async () => {
    await copy.write('apis/graphql-api/operations/query/policy.xml', '<policies />');
    await copy.write('apis/odata-api/apiInformation.json', JSON.stringify({ properties: { displayName: 'OData', path: 'odata' } }));
    await copy.write('apis/odata-api/specification.xml', '<edmx:Edmx />');
    await copy.write('apis/odata-api/operations/entities/policy.xml', '<policies />');
    const lines: string[] = [];
    const r = await copy.load((l) => lines.push(l));
    assert.ok(r.ignored.includes('apis/graphql-api/operations/query'));
    assert.ok(lines.includes('apis/graphql-api/operations/query: not read: a GraphQL API has no operations'), lines.join('\n'));
    assert.ok(lines.includes('apis/odata-api/operations/entities: not read: the API specification is not read'), lines.join('\n'));
  });
});
