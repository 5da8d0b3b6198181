import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { assertLoadError, copySample, type SampleCopy } from './sample-copy.js';

let copy: SampleCopy;
beforeEach(async () => {
  copy = await copySample();
});
afterEach(async () => {
  await copy.dispose();
});

const listOrders = {
  properties: {
    displayName: 'List orders',
    method: 'get',
    urlTemplate: '/orders/{customerId}?status={status}',
    description: 'Orders of a customer.',
    templateParameters: [
      { name: 'customerId', type: 'string', required: true },
      { name: 'status', type: 'string', required: true, values: ['open', 'closed'], defaultValue: 'open' },
    ],
    request: { queryParameters: [{ name: 'top', type: 'integer', required: false }], headers: [], representations: [] },
    responses: [
      {
        statusCode: 200,
        description: 'The orders.',
        representations: [
          { contentType: 'application/json', examples: { default: { value: [{ id: 1 }] } } },
          { contentType: 'application/xml', sample: '<orders />' },
        ],
        headers: [],
      },
    ],
  },
};

describe('operations from operations/<op>/operationInformation.json', () => {
  it('are used instead of the specification and keep their policies', async () => {
    await copy.remove('apis/basic-api/operations');
    await copy.writeJson('apis/basic-api/operations/list-orders/operationInformation.json', listOrders);
    await copy.write('apis/basic-api/operations/list-orders/policy.xml', '<policies><inbound><base /></inbound></policies>');
    const lines: string[] = [];
    const r = await copy.load((l) => lines.push(l));
    const api = r.config.apis.find((a) => a.name === 'basic-api')!;
    assert.deepEqual(api.operations.map((o) => o.name), ['list-orders']);
    assert.deepEqual(api.operations[0], {
      name: 'list-orders',
      displayName: 'List orders',
      method: 'GET',
      urlTemplate: '/orders/{customerId}?status={status}',
      description: 'Orders of a customer.',
      templateParameters: [
        { name: 'customerId', type: 'string', required: true },
        { name: 'status', type: 'string', required: true, values: ['open', 'closed'], defaultValue: 'open' },
      ],
      request: { queryParameters: [{ name: 'top', type: 'integer', required: false }], headers: [], representations: [] },
      responses: [
        {
          statusCode: 200,
          description: 'The orders.',
          representations: [
            { contentType: 'application/json', examples: { default: { value: [{ id: 1 }] } } },
            // An older api-version's `sample` is the default example (representation-samples.ts).
            { contentType: 'application/xml', examples: { default: { value: '<orders />' } } },
          ],
          headers: [],
        },
      ],
      policy: { xml: '<policies><inbound><base /></inbound></policies>', source: 'apis/basic-api/operations/list-orders/policies/policy' },
    });
    assert.ok(r.ignored.includes('apis/basic-api/specification.yaml'));
    assert.ok(lines.some((l) => l.startsWith('apis/basic-api/specification.yaml: its operations are not used: the operations come from')));
  });

  it('a policy-only operation folder must name an operation defined by an information file', async () => {
    await copy.writeJson('apis/basic-api/operations/list-orders/operationInformation.json', listOrders);
    await assertLoadError(copy, 'apis/basic-api/operations/create-item', /^operation 'create-item' is not defined by apis\/basic-api\/operations\/\*\/operationInformation\.json$/);
  });

  it('reports a missing method, a bad template and undescribed template parameters', async () => {
    await copy.remove('apis/basic-api/operations');
    const file = 'apis/basic-api/operations/x/operationInformation.json';
    await copy.writeJson(file, { properties: { displayName: 'X', urlTemplate: '/x' } });
    await assertLoadError(copy, file, /^property 'properties\.method' is required$/);
    await copy.writeJson(file, { properties: { displayName: 'X', method: 'GET', urlTemplate: 'x' } });
    await assertLoadError(copy, file, /^property 'properties\.urlTemplate' must start with '\/', found 'x'$/);
    await copy.writeJson(file, { properties: { displayName: 'X', method: 'GET', urlTemplate: '/x/{id}' } });
    await assertLoadError(copy, file, /^property 'properties\.templateParameters' must describe the URL template parameter 'id'$/);
    await copy.writeJson(file, { properties: { displayName: 'X', method: 'GET', urlTemplate: '/x', responses: [{ statusCode: 'ok' }] } });
    await assertLoadError(copy, file, /^property 'properties\.responses\[0\]\.statusCode' must be an integer, found string "ok"$/);
  });

  it('two operations with the same method and URL template', async () => {
    await copy.remove('apis/basic-api/operations');
    await copy.writeJson('apis/basic-api/operations/a/operationInformation.json', { properties: { displayName: 'A', method: 'GET', urlTemplate: '/x/{id}', templateParameters: [{ name: 'id' }] } });
    await copy.writeJson('apis/basic-api/operations/b/operationInformation.json', { properties: { displayName: 'B', method: 'GET', urlTemplate: '/X/{key}', templateParameters: [{ name: 'key' }] } });
    await assertLoadError(copy, 'apis/basic-api/operations/*/operationInformation.json', /^operations 'a' and 'b' have the same method and URL template \(GET \/X\/\{key\}\)$/);
  });
});

describe("an older api-version's representation sample", () => {
  const file = 'apis/basic-api/operations/x/operationInformation.json';
  const withRepresentation = (representation: Record<string, unknown>) => ({
    properties: {
      displayName: 'X',
      method: 'POST',
      urlTemplate: '/x',
      request: { representations: [{ contentType: 'text/plain', sample: 'ping' }] },
      responses: [{ statusCode: 200, representations: [representation] }],
    },
  });

  it('becomes the default example of a request or response representation, beside other examples', async () => {
    await copy.remove('apis/basic-api/operations');
    await copy.writeJson(file, withRepresentation({ contentType: 'application/json', sample: '{"ok":true}', examples: { other: { value: 1 } } }));
    const op = (await copy.load()).config.apis.find((a) => a.name === 'basic-api')!.operations[0]!;
    assert.deepEqual(op.request?.representations, [{ contentType: 'text/plain', examples: { default: { value: 'ping' } } }]);
    assert.deepEqual(op.responses?.[0]?.representations, [{ contentType: 'application/json', examples: { other: { value: 1 }, default: { value: '{"ok":true}' } } }]);
  });

  it('is refused when it is not a string or contradicts examples.default', async () => {
    await copy.remove('apis/basic-api/operations');
    await copy.writeJson(file, withRepresentation({ contentType: 'application/json', sample: { ok: true } }));
    await assertLoadError(copy, file, /^property 'properties\.responses\[0\]\.representations\[0\]\.sample' must be a string, found an object$/);
    await copy.writeJson(file, withRepresentation({ contentType: 'application/json', sample: 'a', examples: { default: { value: 'b' } } }));
    await assertLoadError(copy, file, /^property 'properties\.responses\[0\]\.representations\[0\]\.sample' differs from its 'examples\.default'/);
    // The same example in both forms is one example.
    await copy.writeJson(file, withRepresentation({ contentType: 'application/json', sample: 'a', examples: { default: { value: 'a', summary: 'A' } } }));
    const op = (await copy.load()).config.apis.find((a) => a.name === 'basic-api')!.operations[0]!;
    assert.deepEqual(op.responses?.[0]?.representations?.[0]?.examples, { default: { value: 'a', summary: 'A' } });
  });
});

describe('older extractor layouts', () => {
  it('folders named after display names, with the real names inside the files', async () => {
    // Early APIOps versions named API, product and operation folders after display names.
    await copy.remove('apis/basic-api/operations/create-item');
    await copy.remove('apis/basic-api/operations/get-items');
    await copy.write('apis/basic-api/operations/Get items/policy.xml', '<policies><inbound><base /></inbound></policies>');
    await copy.writeJson('products/Gold Tier/productInformation.json', { name: 'gold', properties: { displayName: 'Gold Tier' } });
    await copy.writeJson('products/Gold Tier/apis.json', [{ name: 'basic-api' }]);
    const r = await copy.load();
    const getItems = r.config.apis.find((a) => a.name === 'basic-api')!.operations.find((o) => o.name === 'get-items')!;
    // The policy of the folder named after the display name, stored under the operation's name.
    assert.equal(getItems.policy?.xml, '<policies><inbound><base /></inbound></policies>');
    assert.equal(getItems.policy?.source, 'apis/basic-api/operations/get-items/policies/policy');
    const gold = r.config.products.find((p) => p.name === 'gold')!;
    assert.equal(gold.displayName, 'Gold Tier');
    // Reference §5.2: omitted subscriptionRequired means protected; omitted state means notPublished.
    assert.equal(gold.subscriptionRequired, true);
    assert.equal(gold.state, 'notPublished');
    assert.deepEqual(gold.apis, ['basic-api']);
  });

  it('an operation folder matches the operation name case-insensitively', async () => {
    await copy.remove('apis/basic-api/operations/get-items');
    await copy.write('apis/basic-api/operations/GET-ITEMS/policy.xml', '<policies />');
    const r = await copy.load();
    const getItems = r.config.apis.find((a) => a.name === 'basic-api')!.operations.find((o) => o.name === 'get-items')!;
    assert.equal(getItems.policy?.xml, '<policies />');
    assert.equal(getItems.policy?.source, 'apis/basic-api/operations/get-items/policies/policy');
  });
});
