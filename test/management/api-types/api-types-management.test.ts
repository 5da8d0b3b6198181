/**
 * GraphQL and WebSocket APIs through the management API: a WebSocket API is created with
 * Azure's onHandshake operation (and a new revision copies it), a GraphQL schema is stored at
 * `apis/{api}/schemas/{id}` and refused with 400 naming line and column when it does not parse,
 * and other schema content types are stored as given.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startManagement, type ManagementHarness } from '../arm/arm-harness.js';

let arm: ManagementHarness;
before(async () => {
  arm = await startManagement();
});
after(() => arm.close());

const graphqlType = 'application/vnd.ms-azure-apim.graphql.schema';

describe('WebSocket APIs through the management API', () => {
  it('creates the onHandshake operation with the API, and a revision copies it', async () => {
    const put = await arm.call('PUT', 'apis/chat', {
      body: { properties: { displayName: 'Chat', path: 'chat', type: 'websocket', protocols: ['wss'], serviceUrl: 'wss://echo.example.com/socket' } },
    });
    assert.ok(put.status === 200 || put.status === 201, put.text);
    const ops = await arm.call('GET', 'apis/chat/operations');
    assert.equal(ops.status, 200);
    assert.deepEqual(
      ops.body.value.map((o: { name: string; properties: { method: string; urlTemplate: string; displayName: string } }) => [o.name, o.properties.displayName, o.properties.method, o.properties.urlTemplate]),
      [['onHandshake', 'onHandshake', 'GET', '/']],
    );
    const revision = await arm.call('PUT', 'apis/chat;rev=2', { body: { properties: { sourceApiId: '/apis/chat' } } });
    assert.ok(revision.status === 200 || revision.status === 201, revision.text);
    const revOps = await arm.call('GET', 'apis/chat;rev=2/operations');
    assert.deepEqual(revOps.body.value.map((o: { name: string }) => o.name), ['onHandshake']);
  });

  it('creates no operation for an HTTP API', async () => {
    await arm.call('PUT', 'apis/plain', { body: { properties: { displayName: 'Plain', path: 'plain', protocols: ['https'] } } });
    const ops = await arm.call('GET', 'apis/plain/operations');
    assert.deepEqual(ops.body.value, []);
  });
});

describe('API schemas through the management API', () => {
  before(async () => {
    await arm.call('PUT', 'apis/gql', { body: { properties: { displayName: 'GQL', path: 'gql', type: 'graphql', protocols: ['https'], serviceUrl: 'https://api.example.com/graphql' } } });
  });

  it('stores a GraphQL schema and returns it', async () => {
    const document = { value: 'type Query { hello: String }' };
    const put = await arm.call('PUT', 'apis/gql/schemas/graphql', { body: { properties: { contentType: graphqlType, document } } });
    assert.ok(put.status === 200 || put.status === 201, put.text);
    const got = await arm.call('GET', 'apis/gql/schemas/graphql');
    assert.equal(got.status, 200);
    assert.equal(got.body.type, 'Microsoft.ApiManagement/service/apis/schemas');
    assert.equal(got.body.properties.contentType, graphqlType);
    assert.deepEqual(got.body.properties.document, document);
  });

  it('refuses a GraphQL schema that does not parse, naming line and column, and keeps the stored one', async () => {
    const put = await arm.call('PUT', 'apis/gql/schemas/graphql', { body: { properties: { contentType: graphqlType, document: { value: 'type Query {\n  hello String\n}' } } } });
    assert.equal(put.status, 400);
    assert.equal(put.body.error.code, 'ValidationError');
    const detail = put.body.error.details[0];
    assert.equal(detail.target, 'document.value');
    assert.equal(detail.message, 'The GraphQL schema is invalid: line 2, column 9: Syntax Error: Expected ":", found Name "String".');
    const got = await arm.call('GET', 'apis/gql/schemas/graphql');
    assert.equal(got.body.properties.document.value, 'type Query { hello: String }');
  });

  it('stores an XSD schema as given', async () => {
    const document = { value: '<s:schema xmlns:s="http://www.w3.org/2001/XMLSchema" />' };
    const put = await arm.call('PUT', 'apis/gql/schemas/xsd1', { body: { properties: { contentType: 'application/vnd.ms-azure-apim.xsd+xml', document } } });
    assert.ok(put.status === 200 || put.status === 201, put.text);
    const list = await arm.call('GET', 'apis/gql/schemas');
    assert.deepEqual(list.body.value.map((s: { name: string }) => s.name).sort(), ['graphql', 'xsd1']);
  });
});
