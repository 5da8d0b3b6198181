import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Operation } from '../../src/model/resources.js';
import { JArray } from '../../src/expressions/runtime/json.js';
import { expectCompileError, runPolicies, useEchoBackend } from '../helpers/policy-harness.js';

const backend = useEchoBackend();

const petSchema = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 }, tag: { type: 'string', nullable: true } },
};

const createPet: Partial<Operation> = {
  name: 'createPet',
  method: 'POST',
  request: { representations: [{ contentType: 'application/json', schema: petSchema }] },
  responses: [
    {
      statusCode: 200,
      representations: [{ contentType: 'application/json', schema: { type: 'object', required: ['method', 'bodySize'], properties: { bodySize: { type: 'integer' } } } }],
    },
  ],
};

const inbound = (xml: string) => `<policies><inbound>${xml}</inbound></policies>`;
const policy = (action: string, extra = '', children = '') =>
  `<validate-content unspecified-content-type-action="prevent" max-size="1024" size-exceeded-action="prevent" errors-variable-name="errs"${extra}>${children || `<content type="application/json" validate-as="json" action="${action}" />`}</validate-content>`;

const post = (body: string, contentType = 'application/json') => ({ method: 'POST', headers: { 'content-type': contentType }, body });

function errorsOf(variable: unknown): Array<Record<string, string>> {
  assert.ok(variable instanceof JArray, 'the errors variable is a JArray');
  return variable.items.map((item) => Object.fromEntries([...(item as unknown as { props: Map<string, { value: { value: string } }> }).props].map(([k, p]) => [k, p.value.value])));
}

describe('validate-content', () => {
  it('lets a conforming JSON body through and records no error', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api: inbound(policy('prevent')), operationModel: createPet }, post('{"name":"Rex","age":3,"tag":null}'));
    assert.equal(r.status, 200);
    assert.equal(r.json<{ body: string }>().body, '{"name":"Rex","age":3,"tag":null}');
    assert.deepEqual(errorsOf(r.gw.variables.get('errs')), []);
  });

  it('refuses a body that breaks the schema with Azure 400 body, LastError and the variable', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api: inbound(policy('prevent')), operationModel: createPet }, post('{"age":3}'));
    assert.equal(r.status, 400);
    const expected =
      'Body of the request does not conform to the definition createPetRequest, which is associated with the content type application/json.\n\nRequired properties are missing from object: name. Line: 1, Position: 9';
    assert.deepEqual(r.json(), { statusCode: 400, message: expected });
    assert.equal(r.gw.lastError?.source, 'validate-content');
    assert.equal(r.gw.lastError?.reason, 'Bad request');
    assert.equal(r.gw.lastError?.message, expected);
    assert.deepEqual(errorsOf(r.gw.variables.get('errs')), [{ Name: 'application/json', Type: 'RequestBody', ValidationRule: 'IncorrectMessage', Details: expected, Action: 'prevent' }]);
  });

  it('points at the offending value, in Newtonsoft words', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api: inbound(policy('prevent')), operationModel: createPet }, post('{\n  "name": "Rex",\n  "age": "three"\n}'));
    assert.equal(r.status, 400);
    assert.match(r.json<{ message: string }>().message, /Invalid type\. Expected Integer but got String\. Path 'age'\. Line: 3, Position: 16$/);
    const negative = await runPolicies({ serviceUrl: backend.url, api: inbound(policy('prevent')), operationModel: createPet }, post('{"name":"Rex","age":-1}'));
    assert.match(negative.json<{ message: string }>().message, /Integer -1 is less than minimum value of 0\. Path 'age'\./);
  });

  it('only records the error in detect mode, and ignores it in ignore mode', async () => {
    const detect = await runPolicies({ serviceUrl: backend.url, api: inbound(policy('detect')), operationModel: createPet }, post('{"age":3}'));
    assert.equal(detect.status, 200);
    assert.equal(detect.json<{ body: string }>().body, '{"age":3}');
    assert.equal(errorsOf(detect.gw.variables.get('errs'))[0]?.Action, 'detect');
    const ignore = await runPolicies({ serviceUrl: backend.url, api: inbound(policy('ignore')), operationModel: createPet }, post('{"age":3}'));
    assert.equal(ignore.status, 200);
    assert.deepEqual(errorsOf(ignore.gw.variables.get('errs')), []);
  });

  it('refuses malformed JSON', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api: inbound(policy('prevent')), operationModel: createPet }, post('{"name": '));
    assert.equal(r.status, 400);
    assert.match(r.json<{ message: string }>().message, /Unexpected content while parsing JSON/);
  });

  it('refuses a body over max-size with the size message, from Content-Length', async () => {
    const body = JSON.stringify({ name: 'x'.repeat(2000) });
    const r = await runPolicies({ serviceUrl: backend.url, api: inbound(policy('prevent')), operationModel: createPet }, { ...post(body), headers: { 'content-type': 'application/json', 'content-length': String(body.length) } });
    assert.equal(r.status, 400);
    assert.deepEqual(r.json(), { statusCode: 400, message: `Request's body is ${body.length} bytes long and it exceeds the limit of 1024 bytes.` });
    assert.equal(r.gw.lastError?.message, `Request's body is ${body.length} bytes long and it exceeds the configured limit of 1024 bytes.`);
  });

  it('refuses a content type the operation does not declare; content-type-map maps one it does', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api: inbound(policy('prevent')), operationModel: createPet }, post('{"name":"Rex"}', 'application/hal+json'));
    assert.equal(r.status, 400);
    assert.deepEqual(r.json(), { statusCode: 400, message: 'Unspecified content type application/hal+json is not allowed.' });
    const mapped = policy('prevent', '', '<content-type-map missing-content-type-value="application/json"><type from="application/hal+json" to="application/json" /></content-type-map><content type="application/json" validate-as="json" action="prevent" />');
    const ok = await runPolicies({ serviceUrl: backend.url, api: inbound(mapped), operationModel: createPet }, post('{"name":"Rex"}', 'application/hal+json'));
    assert.equal(ok.status, 200);
    const checked = await runPolicies({ serviceUrl: backend.url, api: inbound(mapped), operationModel: createPet }, post('{}', 'application/hal+json'));
    assert.equal(checked.status, 400, 'the mapped type is validated');
    const missing = await runPolicies({ serviceUrl: backend.url, api: inbound(mapped), operationModel: createPet }, { method: 'POST', body: '{}' });
    assert.equal(missing.status, 400, 'a body without a content type is validated as the missing-content-type-value');
    const when = policy('prevent', '', `<content-type-map><type when="@(context.Request.Headers.GetValueOrDefault(&quot;Content-Type&quot;,&quot;&quot;).Contains(&quot;json&quot;))" to="application/json" /></content-type-map><content type="application/json" validate-as="json" action="prevent" />`);
    const byWhen = await runPolicies({ serviceUrl: backend.url, api: inbound(when), operationModel: createPet }, post('{"name":"Rex"}', 'application/vnd.pet+json'));
    assert.equal(byWhen.status, 200);
  });

  it('overrides additionalProperties and compares property names without case when asked', async () => {
    const closed = { ...createPet, request: { representations: [{ contentType: 'application/json', schema: { ...petSchema, additionalProperties: false } }] } };
    const extra = post('{"name":"Rex","color":"brown"}');
    assert.equal((await runPolicies({ serviceUrl: backend.url, api: inbound(policy('prevent')), operationModel: closed }, extra)).status, 400);
    assert.equal((await runPolicies({ serviceUrl: backend.url, api: inbound(policy('prevent', '')), operationModel: createPet }, extra)).status, 200);
    const forbid = policy('prevent', '', '<content type="application/json" validate-as="json" action="prevent" allow-additional-properties="false" />');
    const refused = await runPolicies({ serviceUrl: backend.url, api: inbound(forbid), operationModel: createPet }, extra);
    assert.match(refused.json<{ message: string }>().message, /Property 'color' has not been defined and the schema does not allow additional properties\./);
    const allow = policy('prevent', '', '<content type="application/json" validate-as="json" action="prevent" allow-additional-properties="true" />');
    assert.equal((await runPolicies({ serviceUrl: backend.url, api: inbound(allow), operationModel: closed }, extra)).status, 200);
    const caseless = policy('prevent', '', '<content type="application/json" validate-as="json" action="prevent" case-insensitive-property-names="true" />');
    assert.equal((await runPolicies({ serviceUrl: backend.url, api: inbound(policy('prevent')), operationModel: createPet }, post('{"NAME":"Rex"}'))).status, 400);
    assert.equal((await runPolicies({ serviceUrl: backend.url, api: inbound(caseless), operationModel: createPet }, post('{"NAME":"Rex"}'))).status, 200);
  });

  it('finds a schemaId/typeName definition in the API schemas, and schema-id with schema-ref', async () => {
    const schemas = [
      { name: 'defs', contentType: 'application/vnd.ms-azure-apim.swagger.definitions+json', document: { definitions: { Pet: petSchema } } },
      { name: 'comps', contentType: 'application/vnd.oai.openapi.components+json', document: { components: { schemas: { Address: { type: 'object', required: ['city'] } } } } },
    ];
    const byId = { ...createPet, request: { representations: [{ contentType: 'application/json', schemaId: 'defs', typeName: 'Pet' }] } };
    const bad = await runPolicies({ serviceUrl: backend.url, api: inbound(policy('prevent')), operationModel: byId, apiModel: { schemas } }, post('{}'));
    assert.match(bad.json<{ message: string }>().message, /^Body of the request does not conform to the definition Pet,/);
    const explicit = policy('prevent', '', '<content type="application/json" validate-as="json" action="prevent" schema-id="comps" schema-ref="#/components/schemas/Address" />');
    assert.equal((await runPolicies({ serviceUrl: backend.url, api: inbound(explicit), operationModel: createPet, apiModel: { schemas } }, post('{"city":"Oslo"}'))).status, 200);
    const noCity = await runPolicies({ serviceUrl: backend.url, api: inbound(explicit), operationModel: createPet, apiModel: { schemas } }, post('{"name":"Rex"}'));
    assert.match(noCity.json<{ message: string }>().message, /definition Address, .*missing from object: city/s);
    const missingDef = { ...createPet, request: { representations: [{ contentType: 'application/json', schemaId: 'defs', typeName: 'Cat' }] } };
    const r = await runPolicies({ serviceUrl: backend.url, api: inbound(policy('prevent')), operationModel: missingDef, apiModel: { schemas } }, post('{}'));
    assert.equal(r.status, 400);
    assert.deepEqual(r.json(), { statusCode: 400, message: 'The request could not be processed due to an internal error. Contact the API owner.' });
    assert.equal(r.gw.lastError?.message, "API's schema does not contain definition Cat, which is associated with the content type application/json.");
    const noSchema = policy('prevent', '', '<content type="application/json" validate-as="json" action="prevent" schema-id="nope" />');
    const r2 = await runPolicies({ serviceUrl: backend.url, api: inbound(noSchema), operationModel: createPet }, post('{}'));
    assert.equal(r2.gw.lastError?.message, "API's schema does not exist or it could not be resolved.");
  });

  it('honours a schema declaring JSON Schema 2020-12', async () => {
    const modern = { ...createPet, request: { representations: [{ contentType: 'application/json', schema: { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'array', prefixItems: [{ type: 'string' }] } }] } };
    assert.equal((await runPolicies({ serviceUrl: backend.url, api: inbound(policy('prevent')), operationModel: modern }, post('["a", 1]'))).status, 200);
    assert.equal((await runPolicies({ serviceUrl: backend.url, api: inbound(policy('prevent')), operationModel: modern }, post('[1]'))).status, 400);
  });

  it('checks XML well-formedness and a SOAP envelope against the XSD root elements', async () => {
    const xsd = '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:pets"><xs:element name="AddPet" /></xs:schema>';
    const soapOp = { ...createPet, request: { representations: [{ contentType: 'text/xml', schemaId: 'xsd', typeName: 'AddPet' }] } };
    const setup = { serviceUrl: backend.url, api: inbound(policy('prevent', '', '<content type="text/xml" validate-as="soap" action="prevent" />')), operationModel: soapOp, apiModel: { schemas: [{ name: 'xsd', contentType: 'application/vnd.ms-azure-apim.xsd+xml', document: { value: xsd } }] } };
    const envelope = (payload: string) => `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>${payload}</s:Body></s:Envelope>`;
    assert.equal((await runPolicies(setup, post(envelope('<AddPet xmlns="urn:pets"/>'), 'text/xml'))).status, 200);
    const wrong = await runPolicies(setup, post(envelope('<DeletePet xmlns="urn:pets"/>'), 'text/xml'));
    assert.match(wrong.json<{ message: string }>().message, /The 'urn:pets:DeletePet' element is not declared\. Line: 1, Position: \d+$/);
    const broken = await runPolicies(setup, post('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body></s:Envelope>', 'text/xml'));
    assert.equal(broken.status, 400);
    const notSoap = await runPolicies(setup, post('<AddPet xmlns="urn:pets"/>', 'text/xml'));
    assert.match(notSoap.json<{ message: string }>().message, /SOAP 1\.1 'Envelope'/);
  });

  it('validates the response in outbound: 502 with the internal-error text on prevent', async () => {
    const outbound = (action: string, required: string) =>
      `<policies><outbound><validate-content unspecified-content-type-action="prevent" max-size="102400" size-exceeded-action="prevent" errors-variable-name="errs"><content type="application/json" validate-as="json" action="${action}" /></validate-content></outbound></policies>`.replace('REQ', required);
    const op = (required: string[]) => ({ ...createPet, responses: [{ statusCode: 200, representations: [{ contentType: 'application/json', schema: { type: 'object', required } }] }] });
    const ok = await runPolicies({ serviceUrl: backend.url, api: outbound('prevent', ''), operationModel: op(['method', 'bodySize']) }, post('{}'));
    assert.equal(ok.status, 200);
    const r = await runPolicies({ serviceUrl: backend.url, api: outbound('prevent', ''), operationModel: op(['missing']) }, post('{}'));
    assert.equal(r.status, 502);
    const answer = r.json<{ statusCode: number; message: string }>();
    assert.deepEqual([answer.statusCode, answer.message], [502, 'The request could not be processed due to an internal error. Contact the API owner.']);
    assert.equal(r.gw.lastError?.reason, 'Response not allowed');
    assert.match(r.gw.lastError?.message ?? '', /^Body of the response does not conform/);
    const detect = await runPolicies({ serviceUrl: backend.url, api: outbound('detect', ''), operationModel: op(['missing']) }, post('{}'));
    assert.equal(detect.status, 200);
    assert.equal(errorsOf(detect.gw.variables.get('errs'))[0]?.Type, 'ResponseBody');
  });

  it('answers a hostile, deeply nested body against a recursive schema without crashing', async () => {
    const recursive = { ...createPet, request: { representations: [{ contentType: 'application/json', schema: { type: 'array', items: { $ref: '#' } } }] } };
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    const doc = inbound('<validate-content unspecified-content-type-action="prevent" max-size="4194304" size-exceeded-action="prevent" errors-variable-name="errs"><content type="application/json" validate-as="json" action="prevent" /></validate-content>');
    const r = await runPolicies({ serviceUrl: backend.url, api: doc, operationModel: recursive }, post(deep));
    assert.equal(r.status, 400);
    assert.equal(r.gw.lastError?.source, 'validate-content');
    assert.equal((await runPolicies({ serviceUrl: backend.url, api: doc, operationModel: recursive }, post('[[[]],[]]'))).status, 200);
  });

  it('refuses bad attributes and children at save time', () => {
    assert.match(expectCompileError(inbound('<validate-content max-size="10" size-exceeded-action="prevent" />')).message, /required attribute 'unspecified-content-type-action'/);
    assert.match(expectCompileError(inbound(policy('block'))).message, /'block' of attribute 'action' is not one of: ignore, prevent, detect/);
    assert.match(expectCompileError(inbound(policy('prevent', '', '<content type="a/b" validate-as="yaml" action="prevent" />'))).message, /validate-as/);
    assert.match(expectCompileError(inbound(policy('prevent', '', '<schema />'))).message, /The element 'schema' is not allowed in 'validate-content'/);
    assert.match(expectCompileError(inbound(policy('prevent', '', '<content type="a/b" validate-as="json" action="prevent" schema-ref="#/x" />'))).message, /needs a 'schema-id'/);
    assert.match(expectCompileError(inbound(policy('prevent', '', '<content-type-map><type to="a/b" /></content-type-map>'))).message, /exactly one of the 'from' and 'when'/);
    assert.match(expectCompileError(inbound('<validate-content unspecified-content-type-action="prevent" max-size="99999999" size-exceeded-action="prevent" />')).message, /max-size/);
    assert.match(expectCompileError(`<policies><backend>${policy('prevent')}</backend></policies>`).message, /not allowed in the 'backend' section/);
  });
});

describe('validate-content errors variable in expressions', () => {
  it('reads as a JArray: count and details', async () => {
    const doc = `<policies><inbound>${policy('detect')}<return-response><set-status code="200" /><set-header name="X-Errors" exists-action="override"><value>@(context.Variables.GetValueOrDefault&lt;JArray&gt;("errs").Count.ToString())</value></set-header><set-body>@((string)context.Variables.GetValueOrDefault&lt;JArray&gt;("errs")[0]["ValidationRule"])</set-body></return-response></inbound></policies>`;
    const r = await runPolicies({ serviceUrl: backend.url, api: doc, operationModel: createPet }, post('{"age":3}'));
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('X-Errors'), '1');
    assert.equal(r.body, 'IncorrectMessage');
  });
});
