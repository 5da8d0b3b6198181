/**
 * `format: graphql-link` through the management API, against loopback servers: a real GraphQL
 * endpoint (the `graphql` library executing the introspection query it is sent) gives the API
 * its schema and its backend; a link to an SDL file works too; a link that gives neither, a
 * broken schema, an answer over the size bound, a non-http link and a non-GraphQL apiType are
 * 400s naming the property, and nothing is stored.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema, graphql } from 'graphql';
import { startManagement, type ManagementHarness } from '../arm/arm-harness.js';
import { linkedDocumentLimit } from '../../../src/management/api-specification/fetch-linked-document.js';

const countries = buildSchema(`
  "A country"
  type Country { code: ID!, name: String!, capital: String }
  type Query { countries(continent: String): [Country!]!, country(code: ID!): Country }
`);

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => resolve(text));
  });

/** Routes of the loopback server: each path answers as a kind of link would. */
async function answer(req: IncomingMessage, res: ServerResponse, seen: string[]): Promise<void> {
  seen.push(`${req.method} ${req.url}`);
  const body = await readBody(req);
  if (req.url === '/graphql' && req.method === 'POST') {
    const { query } = JSON.parse(body) as { query: string };
    const result = await graphql({ schema: countries, source: query });
    res.writeHead(200, { 'content-type': 'application/json' });
    return void res.end(JSON.stringify(result));
  }
  if (req.url === '/schema.graphql' && req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    return void res.end('type Query { hello: String }\n');
  }
  if (req.url === '/broken.graphql' && req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/plain' });
    return void res.end('type Query {\n  hello String\n}\n');
  }
  if (req.url === '/bad-introspection' && req.method === 'POST') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return void res.end(JSON.stringify({ data: { __schema: { queryType: { name: 'Nope' }, types: [] } } }));
  }
  if (req.url === '/huge') {
    // Streamed without a length, past the bound: the reader must stop counting, not buffer it all.
    res.writeHead(200, { 'content-type': 'text/plain' });
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    let sent = 0;
    const more = (): void => {
      while (sent <= linkedDocumentLimit + chunk.length) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', more);
      }
      res.end();
    };
    res.on('error', () => undefined);
    return more();
  }
  res.writeHead(req.method === 'POST' ? 405 : 404);
  res.end();
}

describe('graphql-link import', () => {
  let arm: ManagementHarness;
  let server: Server;
  let base = '';
  const seen: string[] = [];
  before(async () => {
    arm = await startManagement();
    server = createServer((req, res) => void answer(req, res, seen));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await arm.close();
  });

  const importApi = (name: string, properties: Record<string, unknown>) => arm.call('PUT', `apis/${name}`, { body: { properties: { displayName: name, path: name, ...properties } } });

  it('introspects a GraphQL endpoint: the API is a GraphQL API in front of it, with the schema it answered', async () => {
    const created = await importApi('countries', { format: 'graphql-link', value: `${base}/graphql`, apiType: 'graphql' });
    assert.equal(created.status, 201, created.text);
    assert.ok(seen.includes('POST /graphql'), 'the introspection query was sent');
    const api = await arm.call('GET', 'apis/countries');
    assert.equal(api.body.properties.type, 'graphql');
    assert.equal(api.body.properties.serviceUrl, `${base}/graphql`, 'the endpoint is the backend');
    assert.equal(api.body.properties.format, undefined);
    const schema = await arm.call('GET', 'apis/countries/schemas/graphql');
    assert.equal(schema.status, 200, schema.text);
    assert.equal(schema.body.properties.contentType, 'application/vnd.ms-azure-apim.graphql.schema');
    const sdl: string = schema.body.properties.document.value;
    assert.match(sdl, /type Country \{[^}]*code: ID!/s);
    assert.match(sdl, /countries\(continent: String\): \[Country!\]!/);
    assert.match(sdl, /"""A country"""|"A country"/, 'descriptions come through');
    assert.deepEqual((await arm.call('GET', 'apis/countries/operations')).body.value, [], 'a pass-through GraphQL API has no operations');
  });

  it('reads the schema again when the API is imported again', async () => {
    const again = await importApi('countries', { format: 'graphql-link', value: `${base}/schema.graphql` });
    assert.equal(again.status, 200, again.text);
    assert.equal((await arm.call('GET', 'apis/countries/schemas/graphql')).body.properties.document.value, 'type Query { hello: String }\n');
  });

  it('takes a link to an SDL file when the link answers no introspection query', async () => {
    const created = await importApi('hello', { format: 'graphql-link', value: `${base}/schema.graphql` });
    assert.equal(created.status, 201, created.text);
    assert.ok(seen.includes('POST /schema.graphql') && seen.includes('GET /schema.graphql'));
    assert.equal((await arm.call('GET', 'apis/hello/schemas/graphql')).body.properties.document.value, 'type Query { hello: String }\n');
    assert.equal((await arm.call('GET', 'apis/hello')).body.properties.type, 'graphql');
  });

  it('refuses what gives no schema, naming value, and stores nothing', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['missing', `${base}/nothing`, /answered HTTP 405 to the introspection query, and a GET answered HTTP 404/],
      ['broken', `${base}/broken.graphql`, /is not a GraphQL schema: line 2, column 9/],
      ['unbuildable', `${base}/bad-introspection`, /unusable introspection result/],
      ['huge', `${base}/huge`, new RegExp(`larger than ${linkedDocumentLimit} bytes`)],
      ['ftp', 'ftp://127.0.0.1/schema.graphql', /not an http or https link/],
      ['unreachable', 'http://127.0.0.1:9/graphql', /could not be downloaded/],
    ];
    for (const [name, link, message] of cases) {
      const r = await importApi(name, { format: 'graphql-link', value: link });
      assert.equal(r.status, 400, `${name}: ${r.text}`);
      assert.equal(r.body.error.code, 'ValidationError', name);
      assert.equal(r.body.error.details[0].target, 'value', name);
      assert.match(r.body.error.details[0].message, message, name);
      assert.equal((await arm.call('GET', `apis/${name}`)).status, 404, `${name}: nothing stored`);
    }
  });

  it('refuses an apiType other than graphql', async () => {
    const r = await importApi('typed', { format: 'graphql-link', value: `${base}/graphql`, apiType: 'http' });
    assert.equal(r.status, 400, r.text);
    assert.equal(r.body.error.details[0].target, 'apiType');
    assert.equal((await arm.call('GET', 'apis/typed')).status, 404);
  });
});
