import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { servicePath, startManagement, storeState, type ManagementHarness } from './arm-harness.js';

const put = (h: ManagementHarness, path: string, properties: Record<string, unknown>) => h.call('PUT', path, { body: { properties } });
const doc = (inbound: string) => `<policies>\r\n  <inbound>\r\n    <base />\r\n    ${inbound}\r\n  </inbound>\r\n  <backend>\r\n    <base />\r\n  </backend>\r\n  <outbound>\r\n    <base />\r\n  </outbound>\r\n</policies>`;

describe('management API: policies', () => {
  let h: ManagementHarness;
  before(async () => {
    h = await startManagement();
    await put(h, 'apis/a', { displayName: 'A', path: 'a' });
    await put(h, 'apis/a/operations/o', { displayName: 'O', method: 'GET', urlTemplate: '/items/{id}', templateParameters: [{ name: 'id', type: 'string', required: true }] });
    await put(h, 'products/p', { displayName: 'P' });
  });
  after(() => h.close());

  it('stores policies at global, product, API and operation scope and reads them back', async () => {
    const scopes: Array<[string, string]> = [
      ['policies/policy', 'Microsoft.ApiManagement/service/policies'],
      ['products/p/policies/policy', 'Microsoft.ApiManagement/service/products/policies'],
      ['apis/a/policies/policy', 'Microsoft.ApiManagement/service/apis/policies'],
      ['apis/a/operations/o/policies/policy', 'Microsoft.ApiManagement/service/apis/operations/policies'],
    ];
    for (const [path, type] of scopes) {
      const value = doc('<set-header name="x-scope" exists-action="override"><value>yes</value></set-header>');
      const r = await put(h, path, { format: 'xml', value });
      assert.equal(r.status, 201, `${path}: ${r.text}`);
      assert.equal(r.body.type, type);
      assert.equal(r.body.name, 'policy');
      const got = await h.call('GET', path);
      assert.equal(got.body.properties.value, value);
      const raw = await h.call('GET', `${path}?format=rawxml`);
      assert.equal(raw.body.properties.format, 'rawxml');
      const list = await h.call('GET', path.slice(0, -'/policy'.length));
      assert.equal(list.body.count, 1);
    }
    assert.equal((await put(h, 'apis/a/policies/other', { value: doc('') })).status, 400, 'the only policy name is policy');
  });

  it('accepts rawxml with unescaped expressions', async () => {
    const value = doc('<set-header name="x-method" exists-action="override"><value>@(context.Request.Method == "GET" ? "read" : "write")</value></set-header>');
    const r = await put(h, 'apis/a/policies/policy', { format: 'rawxml', value });
    assert.equal(r.status, 200, r.text);
  });

  it("refuses a bad policy with Azure's save-time ValidationError (element, line, column) and stores nothing", async () => {
    const before = await storeState(h.store);
    const cases: Array<{ value: string; target: string; message: RegExp }> = [
      { value: doc('<set-backend-service backend-id="nowhere" />'), target: 'set-backend-service', message: /^Error in element 'set-backend-service' on line 4, column \d+: Backend with id 'nowhere' could not be found\.$/ },
      { value: doc('<set-header name="h" exists-action="override"><value>{{missing-value}}</value></set-header>'), target: 'value', message: /Cannot find a named value with name 'missing-value'/ },
      { value: doc('<no-such-policy />'), target: 'no-such-policy', message: /on line 4, column 5: Unsupported policy 'no-such-policy'/ },
      { value: doc('<set-header exists-action="override" />'), target: 'set-header', message: /required attribute 'name'/ },
      { value: '<policies><inbound><set-header name="a"></inbound></policies>', target: 'representation', message: /Line 1, position/ },
      { value: doc('<include-fragment fragment-id="ghost" />'), target: 'include-fragment', message: /fragment with id 'ghost' could not be found/ },
    ];
    for (const c of cases) {
      const r = await put(h, 'products/p/policies/policy', { format: 'xml', value: c.value });
      assert.equal(r.status, 400, c.value);
      assert.equal(r.body.error.code, 'ValidationError');
      assert.equal(r.body.error.message, 'One or more fields contain incorrect values:');
      assert.equal(r.body.error.details.length, 1);
      assert.equal(r.body.error.details[0].code, 'ValidationError');
      assert.equal(r.body.error.details[0].target, c.target, r.text);
      assert.match(r.body.error.details[0].message, c.message);
    }
    assert.equal((await put(h, 'products/p/policies/policy', { format: 'xml-link', value: 'http://x' })).status, 400);
    assert.deepEqual(await storeState(h.store), before);
  });

  it('accepts references that exist: backends, named values (by display name, secret too) and fragments', async () => {
    assert.equal((await put(h, 'backends/orders', { url: 'http://orders.local', protocol: 'http' })).status, 201);
    assert.equal((await put(h, 'namedValues/nv-limit', { displayName: 'call-limit', value: '10' })).status, 201);
    assert.equal((await put(h, 'namedValues/nv-secret', { displayName: 'secret-header', value: 's3cret', secret: true })).status, 201);
    const fragment = await put(h, 'policyFragments/add-header', {
      format: 'xml',
      description: 'adds a header',
      value: '<fragment><set-header name="x-frag" exists-action="override"><value>{{secret-header}}</value></set-header></fragment>',
    });
    assert.equal(fragment.status, 201, fragment.text);
    assert.equal(fragment.body.properties.provisioningState, 'Succeeded');
    const value = doc('<set-backend-service backend-id="orders" /><rate-limit calls="{{call-limit}}" renewal-period="60" /><include-fragment fragment-id="add-header" />');
    const r = await put(h, 'products/p/policies/policy', { value });
    assert.equal(r.status, 200, r.text);
  });

  it('refuses fragments that do not compile or are not fragments', async () => {
    const notFragment = await put(h, 'policyFragments/bad1', { value: '<policies />' });
    assert.equal(notFragment.status, 400);
    const badPolicy = await put(h, 'policyFragments/bad2', { value: '<fragment><set-header /></fragment>' });
    assert.equal(badPolicy.status, 400);
    assert.equal(badPolicy.body.error.details[0].target, 'set-header');
  });

  it('refuses deleting or breaking a named value, backend or fragment a policy uses', async () => {
    const before = await storeState(h.store);
    const delNv = await h.call('DELETE', 'namedValues/nv-limit', { headers: { 'if-match': '*' } });
    assert.equal(delNv.status, 400, delNv.text);
    assert.equal(delNv.body.error.code, 'ValidationError');
    assert.match(delNv.body.error.details[0].message, /call-limit/);
    const delSecret = await h.call('DELETE', 'namedValues/nv-secret', { headers: { 'if-match': '*' } });
    assert.equal(delSecret.status, 400, 'a fragment uses it');
    const badValue = await h.call('PATCH', 'namedValues/nv-limit', { body: { properties: { value: 'many' } }, headers: { 'if-match': '*' } });
    assert.equal(badValue.status, 400, 'rate-limit calls must stay an integer');
    const rename = await h.call('PATCH', 'namedValues/nv-limit', { body: { properties: { displayName: 'renamed' } }, headers: { 'if-match': '*' } });
    assert.equal(rename.status, 400);
    assert.equal((await h.call('DELETE', 'backends/orders', { headers: { 'if-match': '*' } })).status, 400);
    assert.equal((await h.call('DELETE', 'policyFragments/add-header', { headers: { 'if-match': '*' } })).status, 400);
    const breakFragment = await put(h, 'policyFragments/add-header', { value: '<fragment><set-header name="x" exists-action="override"><value>{{nope}}</value></set-header></fragment>' });
    assert.equal(breakFragment.status, 400);
    assert.deepEqual(await storeState(h.store), before, 'refused changes leave the store as it was');
    await h.call('DELETE', 'products/p/policies/policy', { headers: { 'if-match': '*' } });
    assert.equal((await h.call('DELETE', 'backends/orders', { headers: { 'if-match': '*' } })).status, 200);
    assert.equal((await h.call('DELETE', 'namedValues/nv-limit', { headers: { 'if-match': '*' } })).status, 200);
  });

  it('lists the policies that include a fragment (listReferences), wherever the include sits', async () => {
    const written = (r: { status: number; text: string }) => assert.ok(r.status === 200 || r.status === 201, r.text);
    const fragment = (header: string) => `<fragment><set-header name="${header}" exists-action="override"><value>1</value></set-header></fragment>`;
    for (const name of ['traced', 'other', 'unused']) assert.equal((await put(h, `policyFragments/${name}`, { value: fragment(`x-${name}`) })).status, 201);
    const nested = '<choose><when condition="@(context.Request.Method == &quot;GET&quot;)"><include-fragment fragment-id="traced" /></when></choose>';
    written(await put(h, 'policies/policy', { value: doc(nested) }));
    written(await put(h, 'apis/a/policies/policy', { value: doc('<include-fragment fragment-id="other" />') }));
    written(await put(h, 'apis/a/operations/o/policies/policy', { value: doc('<include-fragment fragment-id="traced" />') }));
    written(await put(h, 'products/p/policies/policy', { value: doc('<set-header name="x-p" exists-action="override"><value>1</value></set-header>') }));

    const traced = await h.call('POST', 'policyFragments/traced/listReferences');
    assert.equal(traced.status, 200, traced.text);
    assert.deepEqual(
      [...traced.body.value].sort((x: { id: string }, y: { id: string }) => x.id.localeCompare(y.id)),
      [
        { id: `${servicePath}/apis/a/operations/o/policies/policy`, type: 'Microsoft.ApiManagement/service/apis/operations/policies', name: 'policy' },
        { id: `${servicePath}/policies/policy`, type: 'Microsoft.ApiManagement/service/policies', name: 'policy' },
      ],
    );
    assert.equal(traced.body.count, 2);
    const other = await h.call('POST', 'policyFragments/other/listReferences');
    assert.deepEqual(other.body.value.map((r: { type: string }) => r.type), ['Microsoft.ApiManagement/service/apis/policies']);
    assert.deepEqual((await h.call('POST', 'policyFragments/unused/listReferences')).body, { value: [], count: 0 });
    assert.equal((await h.call('POST', 'policyFragments/missing/listReferences')).status, 404);

    // A reference goes with the policy that made it.
    await h.call('DELETE', 'policies/policy', { headers: { 'if-match': '*' } });
    assert.deepEqual((await h.call('POST', 'policyFragments/traced/listReferences')).body.value.map((r: { type: string }) => r.type), ['Microsoft.ApiManagement/service/apis/operations/policies']);
  });
});
