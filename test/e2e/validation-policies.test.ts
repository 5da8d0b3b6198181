/**
 * The validation policies through a real `gatehouse start --config` process and the real echo
 * backend: an OpenAPI specification gives the operations their request schemas, parameters,
 * response codes and headers; an API schema resource gives validate-content a schema-id. A
 * schema violation is refused with Azure's 400 body in prevent mode, only recorded in detect
 * mode (the errors variable read by an expression) and not looked at in ignore mode; undeclared
 * parameters, response headers and status codes likewise. A pass-through GraphQL API (its SDL in
 * specification.graphql) checks queries with validate-graphql-request: schema, depth, rules.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import { apiInformation, writeApiopsFolder } from './helpers/apiops-writer.js';
import { startGatehouseProcess, type GatehouseProcess } from './helpers/gatehouse-process.js';
import { policies } from './helpers/policy-e2e-support.js';

const content = (action: string, extra = '') =>
  `<validate-content unspecified-content-type-action="prevent" max-size="4096" size-exceeded-action="prevent" errors-variable-name="errs"><content type="application/json" validate-as="json" action="${action}"${extra} /></validate-content>`;
/** Tells the caller how many errors the policy recorded and the first one's rule. */
const reportErrors =
  '<set-header name="X-Validation-Errors" exists-action="override"><value>@(context.Variables.GetValueOrDefault&lt;JArray&gt;("errs").Count.ToString())</value></set-header>';

const pet = { type: 'object', required: ['name'], properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } } };

function specification(): object {
  const body = { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Pet' } } } };
  const echoed = { '200': { description: 'OK', content: { 'application/json': { schema: { type: 'object', required: ['method'] } } } } };
  const postPet = (operationId: string) => ({ post: { operationId, requestBody: body, responses: echoed } });
  return {
    openapi: '3.0.1',
    info: { title: 'pets', version: '1.0' },
    paths: {
      '/prevent': postPet('prevent'),
      '/detect': postPet('detect'),
      '/ignore': postPet('ignore'),
      '/by-schema-id': postPet('bySchemaId'),
      '/pets/{id}': {
        get: {
          operationId: 'getPet',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'integer' } },
            { name: 'limit', in: 'query', schema: { type: 'integer' } },
          ],
          responses: { '200': { description: 'OK', headers: { 'X-Rate': { schema: { type: 'integer' } } } } },
        },
      },
      '/status/{code}': { get: { operationId: 'status', parameters: [{ name: 'code', in: 'path', required: true, schema: { type: 'integer' } }], responses: { '200': { description: 'OK' } } } },
    },
    components: { schemas: { Pet: pet } },
  };
}

let backend: EchoBackend;
let gh: GatehouseProcess;

before(async () => {
  backend = await startEchoBackend();
  const op = (id: string, doc: string) => ({ [`apis/pets/operations/${id}/policy.xml`]: doc });
  const folder = writeApiopsFolder({
    'apis/pets/apiInformation.json': apiInformation({ displayName: 'pets', path: 'pets', serviceUrl: backend.url, subscriptionRequired: false }),
    'apis/pets/specification.json': specification(),
    'apis/pets/schemas/shapes/apiSchemaInformation.json': {
      properties: { contentType: 'application/vnd.oai.openapi.components+json', document: { components: { schemas: { Address: { type: 'object', required: ['city'] } } } } },
    },
    ...op('prevent', policies({ inbound: `<base />${content('prevent')}` })),
    ...op('detect', policies({ inbound: `<base />${content('detect')}`, outbound: `<base />${reportErrors}` })),
    ...op('ignore', policies({ inbound: `<base />${content('ignore')}`, outbound: `<base />${reportErrors}` })),
    ...op('bySchemaId', policies({ inbound: `<base />${content('prevent', ' schema-id="shapes" schema-ref="#/components/schemas/Address"')}` })),
    ...op(
      'getPet',
      policies({
        inbound: '<base /><validate-parameters specified-parameter-action="prevent" unspecified-parameter-action="prevent"><headers unspecified-parameter-action="ignore" /><query><parameter name="rate" action="ignore" /></query></validate-parameters>',
        outbound:
          '<base /><set-header name="X-Rate" exists-action="override"><value>@(context.Request.Url.Query.GetValueOrDefault("rate", "5"))</value></set-header>' +
          '<validate-headers specified-header-action="prevent" unspecified-header-action="ignore" /><validate-content unspecified-content-type-action="ignore" max-size="102400" size-exceeded-action="prevent" />',
      }),
    ),
    'apis/missions/apiInformation.json': apiInformation({ displayName: 'missions', path: 'missions', type: 'graphql', serviceUrl: backend.url, subscriptionRequired: false }),
    'apis/missions/specification.graphql': 'type Query { missions: [Mission] }\ntype Mission { name: String secret: String crew: [Person] }\ntype Person { name: String missions: [Mission] }\n',
    'apis/missions/policy.xml': policies({
      inbound:
        '<base /><validate-graphql-request error-variable-name="gql" max-size="2048" max-depth="3"><authorize><rule path="/__*" action="reject" /><rule path="/Mission/secret" action="remove" /></authorize></validate-graphql-request>',
    }),
    ...op('status', policies({ outbound: '<base /><validate-status-code unspecified-status-code-action="prevent"><status-code code="404" action="ignore" /></validate-status-code>' })),
  });
  gh = await startGatehouseProcess(['--config', folder]);
});

after(async () => {
  await gh?.stop();
  await backend?.close();
});

const post = (path: string, body: string) => fetch(`${gh.gatewayUrl}/pets/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('validation policies (a real gatehouse process)', () => {
  it('validate-content prevent: a conforming body reaches the backend, a violation gets Azure 400 body', async () => {
    const ok = await post('prevent', '{"name":"Rex","age":2}');
    assert.equal(ok.status, 200);
    assert.equal(((await ok.json()) as { body: string }).body, '{"name":"Rex","age":2}');
    const bad = await post('prevent', '{"name":"Rex","age":-2}');
    assert.equal(bad.status, 400);
    assert.deepEqual(await bad.json(), {
      statusCode: 400,
      message:
        "Body of the request does not conform to the definition preventRequest, which is associated with the content type application/json.\n\nInteger -2 is less than minimum value of 0. Path 'age'. Line: 1, Position: 22",
    });
    const wrongType = await fetch(`${gh.gatewayUrl}/pets/prevent`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
    assert.equal(wrongType.status, 400);
    assert.deepEqual(await wrongType.json(), { statusCode: 400, message: 'Unspecified content type text/plain is not allowed.' });
    const big = await post('prevent', JSON.stringify({ name: 'x'.repeat(5000) }));
    assert.equal(big.status, 400);
    assert.match(((await big.json()) as { message: string }).message, /^Request's body is 5\d{3} bytes long and it exceeds the limit of 4096 bytes\.$/);
  });

  it('validate-content detect only records the violation; ignore does not look', async () => {
    const detect = await post('detect', '{"age":"old"}');
    assert.equal(detect.status, 200);
    assert.equal(detect.headers.get('x-validation-errors'), '1');
    assert.equal(((await detect.json()) as { body: string }).body, '{"age":"old"}');
    const ignore = await post('ignore', '{"age":"old"}');
    assert.equal(ignore.status, 200);
    assert.equal(ignore.headers.get('x-validation-errors'), '0');
  });

  it('validate-content with schema-id reads the API schema resource', async () => {
    assert.equal((await post('by-schema-id', '{"city":"Oslo"}')).status, 200);
    const bad = await post('by-schema-id', '{"name":"Rex"}');
    assert.equal(bad.status, 400);
    assert.match(((await bad.json()) as { message: string }).message, /definition Address, .*Required properties are missing from object: city\./s);
  });

  it('validate-parameters refuses undeclared and unparsable parameters; validate-headers a bad response header', async () => {
    assert.equal((await fetch(`${gh.gatewayUrl}/pets/pets/7?limit=3`)).status, 200);
    const extra = await fetch(`${gh.gatewayUrl}/pets/pets/7?debug=1`);
    assert.equal(extra.status, 400);
    assert.deepEqual(await extra.json(), { statusCode: 400, message: 'Unspecified query parameter debug is not allowed.' });
    const notANumber = await fetch(`${gh.gatewayUrl}/pets/pets/7?limit=many`);
    assert.equal(notANumber.status, 400);
    assert.match(((await notANumber.json()) as { message: string }).message, /^Value of the query parameter limit couldn't be parsed according to the definition\./);
    assert.equal((await fetch(`${gh.gatewayUrl}/pets/pets/7?rate=9`)).status, 200, 'a parameter child lets an undeclared name through');
    const badHeader = await fetch(`${gh.gatewayUrl}/pets/pets/7?rate=fast`);
    assert.equal(badHeader.status, 502, 'X-Rate is declared as an integer');
    assert.equal(((await badHeader.json()) as { message: string }).message, 'The request could not be processed due to an internal error. Contact the API owner.');
  });

  it('validate-status-code turns an undeclared backend status into 502; a status-code child lets one through', async () => {
    assert.equal((await fetch(`${gh.gatewayUrl}/pets/status/200`)).status, 200);
    const failed = await fetch(`${gh.gatewayUrl}/pets/status/500`);
    assert.equal(failed.status, 502);
    assert.equal(((await failed.json()) as { message: string }).message, 'The request could not be processed due to an internal error. Contact the API owner.');
    assert.equal((await fetch(`${gh.gatewayUrl}/pets/status/404`)).status, 404);
  });

  it('validate-graphql-request: valid queries pass, invalid and too deep ones get an errors block, rules reject and remove', async () => {
    const ask = (query: string) => fetch(`${gh.gatewayUrl}/missions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    const ok = await ask('{ missions { name } }');
    assert.equal(ok.status, 200);
    assert.equal(JSON.parse(((await ok.json()) as { body: string }).body).query, '{ missions { name } }');
    const invalid = await ask('{ missions { pilot } }');
    assert.equal(invalid.status, 400);
    assert.deepEqual(await invalid.json(), {
      errors: [{ message: 'Cannot query field "pilot" on type "Mission".', locations: [{ line: 1, column: 14 }], extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }],
    });
    const deep = await ask('{ missions { crew { missions { name } } } }');
    assert.equal(deep.status, 400);
    assert.equal(((await deep.json()) as { errors: Array<{ message: string }> }).errors[0]?.message, 'The query has a depth of 4 and it exceeds the maximum depth of 3.');
    const introspection = await ask('{ __schema { queryType { name } } }');
    assert.equal(introspection.status, 400);
    const removed = await ask('{ missions { name secret } }');
    assert.equal(removed.status, 200);
    assert.equal(JSON.parse(((await removed.json()) as { body: string }).body).query.replace(/\s+/g, ' ').trim(), '{ missions { name } }');
  });
});
