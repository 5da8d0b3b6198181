import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  OpenApiError,
  operationsFromSpecification,
} from '../../../src/management/openapi/operations-from-specification.js';
import { normalizeOperationName, generatedOperationName, OperationNames } from '../../../src/management/openapi/operation-name.js';
import { breakCycles } from '../../../src/management/openapi/break-cycles.js';

const query = { requiredQueryParameters: 'query' } as const;
const template = { requiredQueryParameters: 'template' } as const;

const itemsYaml = `
openapi: 3.0.3
info: {title: items, version: '1'}
paths:
  /items:
    parameters:
      - name: top
        in: query
        required: true
        schema: {type: integer, default: 10}
      - name: skip
        in: query
        schema: {type: integer}
    get:
      summary: List items
      operationId: listItems
      parameters:
        - name: x-trace
          in: header
          description: Trace id.
          schema: {type: string}
        - name: skip
          in: query
          description: overridden at operation level
          schema: {type: integer, enum: [0, 10]}
      responses:
        '200':
          description: The items.
          headers:
            x-total:
              description: Count.
              schema: {type: integer}
          content:
            application/json:
              schema:
                type: array
                items: {$ref: '#/components/schemas/Item'}
              example: [{id: 1}]
            application/xml:
              schema: {$ref: '#/components/schemas/Item'}
        default:
          description: Error.
    post:
      operationId: createItem
      requestBody:
        description: New item.
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Item'}
            examples:
              one: {summary: First, description: The first item., value: {id: 1}}
              external: {externalValue: 'https://example.com/x.json'}
      responses:
        '201': {$ref: '#/components/responses/Created'}
components:
  responses:
    Created:
      description: Created.
  schemas:
    Item:
      type: object
      properties:
        id: {type: integer}
`;

describe('OpenAPI 3 → operations', () => {
  it('reads path, method, names, display names and descriptions', async () => {
    const ops = await operationsFromSpecification(itemsYaml, 'yaml', query);
    assert.deepEqual(
      ops.map((o) => [o.name, o.method, o.urlTemplate, o.displayName]),
      [
        ['listitems', 'GET', '/items', 'List items'],
        // no summary: the display name is the operationId as written
        ['createitem', 'POST', '/items', 'createItem'],
      ],
    );
  });

  it('keeps required query parameters out of the template by default (query)', async () => {
    const [list] = await operationsFromSpecification(itemsYaml, 'yaml', query);
    assert.equal(list!.urlTemplate, '/items');
    assert.deepEqual(list!.templateParameters, []);
    assert.deepEqual(list!.request?.queryParameters, [
      { name: 'top', required: true, type: 'integer', defaultValue: '10' },
      // the operation-level parameter overrides the path-level one with the same name
      { name: 'skip', required: false, type: 'integer', values: ['0', '10'], description: 'overridden at operation level' },
    ]);
    assert.deepEqual(list!.request?.headers, [{ name: 'x-trace', required: false, type: 'string', description: 'Trace id.' }]);
  });

  it('puts required query parameters into the template with translateRequiredQueryParameters=template', async () => {
    const [list] = await operationsFromSpecification(itemsYaml, 'yaml', template);
    assert.equal(list!.urlTemplate, '/items?top={top}');
    assert.deepEqual(list!.templateParameters, [{ name: 'top', required: true, type: 'integer', defaultValue: '10' }]);
    assert.deepEqual(list!.request?.queryParameters?.map((p) => p.name), ['skip']);
  });

  it('reads responses with representations, examples, schemas and headers; skips non-numeric codes', async () => {
    const [list] = await operationsFromSpecification(itemsYaml, 'yaml', query);
    assert.equal(list!.responses!.length, 1);
    const ok = list!.responses![0]!;
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.description, 'The items.');
    assert.deepEqual(ok.headers, [{ name: 'x-total', required: false, type: 'integer', description: 'Count.' }]);
    assert.deepEqual(ok.representations, [
      {
        contentType: 'application/json',
        examples: { default: { value: [{ id: 1 }] } },
        schema: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' } } } },
      },
      { contentType: 'application/xml', schema: { type: 'object', properties: { id: { type: 'integer' } } } },
    ]);
  });

  it('reads the request body with named examples and resolves $ref responses', async () => {
    const [, create] = await operationsFromSpecification(itemsYaml, 'yaml', query);
    // path-level parameters apply to every operation of the path
    assert.deepEqual(create!.request?.queryParameters?.map((p) => p.name), ['top', 'skip']);
    assert.equal(create!.request?.description, 'New item.');
    assert.deepEqual(create!.request?.representations, [
      {
        contentType: 'application/json',
        examples: { one: { value: { id: 1 }, summary: 'First', description: 'The first item.' } },
        schema: { type: 'object', properties: { id: { type: 'integer' } } },
      },
    ]);
    assert.deepEqual(create!.responses, [{ statusCode: 201, description: 'Created.' }]);
  });

  it('reads the same document as JSON', async () => {
    const doc = {
      openapi: '3.1.0',
      info: { title: 'j', version: '1' },
      paths: { '/users/{id}': { delete: { responses: { '204': { description: 'Gone.' } } } } },
    };
    const ops = await operationsFromSpecification(JSON.stringify(doc), 'json', query);
    assert.deepEqual(ops, [
      {
        name: 'delete-users-id',
        displayName: 'Delete - /users/{id}',
        method: 'DELETE',
        urlTemplate: '/users/{id}',
        // an undeclared template parameter is described as a required string
        templateParameters: [{ name: 'id', type: 'string', required: true }],
        responses: [{ statusCode: 204, description: 'Gone.' }],
      },
    ]);
  });

  it('cuts recursive schemas so the result is plain JSON', async () => {
    const yaml = `
openapi: 3.0.1
info: {title: t, version: '1'}
paths:
  /nodes:
    get:
      operationId: nodes
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Node'}
components:
  schemas:
    Node:
      type: object
      properties:
        name: {type: string}
        children:
          type: array
          items: {$ref: '#/components/schemas/Node'}
`;
    const [op] = await operationsFromSpecification(yaml, 'yaml', query);
    const schema = op!.responses![0]!.representations![0]!.schema as { properties: { children: { items: unknown } } };
    assert.doesNotThrow(() => JSON.stringify(schema));
    assert.deepEqual(schema.properties.children.items, { description: 'recursive schema reference' });
  });

  it('reads x-ms-paths beside paths', async () => {
    const yaml = `
openapi: 3.0.1
info: {title: t, version: '1'}
paths:
  /search:
    get: {operationId: search, responses: {'200': {description: ok}}}
x-ms-paths:
  /search?mode=fast:
    get: {operationId: search-fast, responses: {'200': {description: ok}}}
`;
    const ops = await operationsFromSpecification(yaml, 'yaml', query);
    assert.deepEqual(ops.map((o) => [o.name, o.urlTemplate]), [['search', '/search'], ['search-fast', '/search?mode=fast']]);
  });
});

describe('Swagger 2 → operations', () => {
  const swagger = {
    swagger: '2.0',
    info: { title: 's', version: '1' },
    basePath: '/ignored',
    produces: ['application/json', 'application/xml'],
    paths: {
      '/orders': {
        post: {
          operationId: 'Place Order',
          consumes: ['application/json', 'text/json'],
          parameters: [
            { in: 'body', name: 'order', description: 'The order.', schema: { $ref: '#/definitions/Order' } },
            { in: 'query', name: 'dryRun', type: 'boolean', required: true },
          ],
          responses: {
            '200': {
              description: 'Placed.',
              schema: { $ref: '#/definitions/Order' },
              examples: { 'application/json': { id: 5 }, 'text/plain': 'order 5' },
              headers: { 'X-Request-Id': { type: 'string', description: 'Request id.' } },
            },
            '400': { description: 'Bad order.' },
          },
        },
      },
      '/orders/{id}/upload': {
        put: {
          parameters: [
            { in: 'path', name: 'id', type: 'integer', required: true },
            { in: 'formData', name: 'file', type: 'file', required: true },
            { in: 'formData', name: 'note', type: 'string' },
          ],
          responses: { '204': { description: 'Uploaded.' } },
        },
      },
    },
    definitions: { Order: { type: 'object', properties: { id: { type: 'integer' } } } },
  };

  it('reads body parameters as one representation per consumed media type', async () => {
    const [order] = await operationsFromSpecification(JSON.stringify(swagger), 'json', template);
    assert.equal(order!.name, 'place-order');
    assert.equal(order!.displayName, 'Place Order');
    assert.equal(order!.urlTemplate, '/orders?dryRun={dryRun}');
    assert.deepEqual(order!.templateParameters, [{ name: 'dryRun', required: true, type: 'boolean' }]);
    const schema = { type: 'object', properties: { id: { type: 'integer' } } };
    assert.deepEqual(order!.request, {
      description: 'The order.',
      representations: [
        { contentType: 'application/json', schema },
        { contentType: 'text/json', schema },
      ],
    });
  });

  it('reads responses with produces, per-media-type examples and headers', async () => {
    const [order] = await operationsFromSpecification(JSON.stringify(swagger), 'json', query);
    const schema = { type: 'object', properties: { id: { type: 'integer' } } };
    assert.deepEqual(order!.responses, [
      {
        statusCode: 200,
        description: 'Placed.',
        representations: [
          { contentType: 'application/json', examples: { default: { value: { id: 5 } } }, schema },
          { contentType: 'application/xml', schema },
          { contentType: 'text/plain', examples: { default: { value: 'order 5' } }, schema },
        ],
        headers: [{ name: 'X-Request-Id', required: false, type: 'string', description: 'Request id.' }],
      },
      { statusCode: 400, description: 'Bad order.' },
    ]);
  });

  it('turns formData parameters into one object schema (multipart when a file is sent)', async () => {
    const [, upload] = await operationsFromSpecification(JSON.stringify(swagger), 'json', query);
    assert.equal(upload!.name, 'put-orders-id-upload');
    assert.deepEqual(upload!.templateParameters, [{ name: 'id', required: true, type: 'integer' }]);
    assert.deepEqual(upload!.request?.representations, [
      {
        contentType: 'multipart/form-data',
        schema: { type: 'object', properties: { file: { type: 'file' }, note: { type: 'string' } }, required: ['file'] },
      },
    ]);
  });
});

describe('specification errors', () => {
  const fails = async (text: string, format: 'yaml' | 'json', reason: RegExp): Promise<void> => {
    await assert.rejects(operationsFromSpecification(text, format, query), (err: unknown) => {
      assert.ok(err instanceof OpenApiError);
      assert.match(err.reason, reason);
      return true;
    });
  };

  it('invalid JSON', () => fails('{"openapi": ', 'json', /^invalid JSON \(/));
  it('a document that is not an object', () => fails('- a\n- b\n', 'yaml', /^the specification must be an object$/));
  it('duplicate YAML keys', () => fails('openapi: 3.0.1\nopenapi: 3.0.2\n', 'yaml', /^invalid YAML \(.*unique/i));
  it('two operations with the same method and template', () =>
    fails(
      "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /a/{x}:\n    get: {responses: {}}\n  /a/{y}:\n    get: {responses: {}}\n",
      'yaml',
      /^Operation with the same method and URL template already exists: GET, \/a\/\{y\}/,
    ));
  it('a path that does not start with /', () =>
    fails("openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  a:\n    get: {responses: {}}\n", 'yaml', /^path 'a' must start with '\/'$/));
});

describe('operation names (Azure normalization rules)', () => {
  it('lower-cases, dashes runs of other characters and trims dashes', () => {
    assert.equal(normalizeOperationName('GET-/foo/{bar}?buzz={quix}'), 'get-foo-bar-buzz-quix');
    assert.equal(normalizeOperationName('  Get_Pets  ById! '), 'get-pets-byid');
    assert.equal(generatedOperationName('POST', '/users/{id}/orders'), 'post-users-id-orders');
  });

  it('truncates to 76 characters', () => {
    const name = normalizeOperationName('a'.repeat(100));
    assert.equal(name.length, 76);
  });

  it('suffixes repeated names with -1, -2', async () => {
    const names = new OperationNames();
    assert.deepEqual([names.take('x'), names.take('x'), names.take('x'), names.take('y')], ['x', 'x-1', 'x-2', 'y']);
    const ops = await operationsFromSpecification(
      "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get: {operationId: Same, responses: {}}\n    post: {operationId: same, responses: {}}\n",
      'yaml',
      query,
    );
    assert.deepEqual(ops.map((o) => o.name), ['same', 'same-1']);
  });
});

describe('breakCycles', () => {
  it('keeps shared non-recursive parts shared and cuts only the recursion', () => {
    const shared = { type: 'string' };
    const node: Record<string, unknown> = { a: shared, b: shared };
    node.self = node;
    const out = breakCycles(node) as Record<string, unknown>;
    assert.equal(out.a, out.b);
    assert.deepEqual(out.self, { description: 'recursive schema reference' });
    assert.deepEqual(JSON.parse(JSON.stringify(out)), { a: shared, b: shared, self: { description: 'recursive schema reference' } });
  });
});

describe('specification versions', () => {
  it('accepts unquoted YAML version numbers', async () => {
    const v3 = await operationsFromSpecification("openapi: 3.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get: {operationId: a, responses: {}}\n", 'yaml', query);
    assert.deepEqual(v3.map((o) => o.name), ['a']);
    const v2 = await operationsFromSpecification("swagger: 2.0\ninfo: {title: t, version: '1'}\npaths:\n  /b:\n    get: {operationId: b, responses: {}}\n", 'yaml', query);
    assert.deepEqual(v2.map((o) => o.name), ['b']);
  });
});
