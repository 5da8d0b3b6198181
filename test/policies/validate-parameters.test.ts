import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Operation } from '../../src/model/resources.js';
import { JArray } from '../../src/expressions/runtime/json.js';
import { expectCompileError, runPolicies, useEchoBackend } from '../helpers/policy-harness.js';

const backend = useEchoBackend();

const getPet: Partial<Operation> = {
  name: 'getPet',
  urlTemplate: '/pets/{id}',
  templateParameters: [{ name: 'id', type: 'integer', required: true }],
  request: {
    queryParameters: [
      { name: 'limit', type: 'integer' },
      { name: 'sort', type: 'string', values: ['asc', 'desc'] },
    ],
    headers: [{ name: 'X-Tenant', type: 'string' }],
  },
};

const inbound = (xml: string) => `<policies><inbound>${xml}</inbound></policies>`;
const policy = (specified: string, unspecified: string, children = '') =>
  inbound(`<validate-parameters specified-parameter-action="${specified}" unspecified-parameter-action="${unspecified}" errors-variable-name="errs">${children}</validate-parameters>`);
/** Lets the headers every request carries (Host here) through, as Microsoft's example does. */
const usualHeaders = '<headers><parameter name="Host" action="ignore" /></headers>';

const run = (xml: string, url: string, headers: Record<string, string | string[]> = {}, id = '7') =>
  runPolicies({ serviceUrl: backend.url, api: xml, operationModel: getPet, matchedParameters: { id } }, { url: `http://gateway.test/api/pets/${id}${url}`, headers });

function details(variable: unknown): string[] {
  assert.ok(variable instanceof JArray);
  return variable.items.map((item) => String((item as unknown as { props: Map<string, { value: { value: string } }> }).props.get('Details')?.value.value));
}

describe('validate-parameters', () => {
  it('lets declared parameters with good values through', async () => {
    const r = await run(policy('prevent', 'prevent', usualHeaders), '?limit=10&sort=asc', { 'x-tenant': 'a' });
    assert.equal(r.status, 200);
    assert.deepEqual(details(r.gw.variables.get('errs')), []);
  });

  it('refuses an unspecified query parameter with Azure 400 body', async () => {
    const r = await run(policy('prevent', 'prevent', usualHeaders), '?debug=1');
    assert.equal(r.status, 400);
    const answer = r.json<{ statusCode: number; message: string }>();
    assert.deepEqual(answer, { statusCode: 400, message: 'Unspecified query parameter debug is not allowed.' });
    assert.equal(r.gw.lastError?.source, 'validate-parameters');
    assert.equal(r.gw.lastError?.reason, 'Bad request');
  });

  it('refuses a value that does not parse, one outside the enum, and repeated values', async () => {
    const parse = await run(policy('prevent', 'ignore'), '?limit=ten');
    assert.deepEqual(parse.json(), { statusCode: 400, message: "Value of the query parameter limit couldn't be parsed according to the definition.\n\nInput string was not in a correct format." });
    assert.equal(parse.gw.lastError?.message, 'Value of the query parameter limit cannot be parsed according to the definition.\n\nInput string was not in a correct format.');
    const path = await run(policy('prevent', 'ignore'), '', {}, 'seven');
    assert.match(path.json<{ message: string }>().message, /^Value of the path parameter id couldn't be parsed/);
    const outside = await run(policy('prevent', 'ignore'), '?sort=up');
    assert.equal(outside.json<{ message: string }>().message, 'The value of the query parameter sort does not conform to the definition.\n\nValue "up" is not defined in enum. Line: 1, Position: 4');
    const twice = await run(policy('prevent', 'ignore'), '?limit=1&limit=2');
    assert.equal(twice.json<{ message: string }>().message, 'Request cannot contain multiple values for the query parameter limit.');
  });

  it('never writes a credential header value into an error text', async () => {
    const op = { ...getPet, request: { headers: [{ name: 'Authorization', type: 'string', values: ['Bearer expected'] }] } };
    const r = await runPolicies(
      { serviceUrl: backend.url, api: policy('prevent', 'ignore'), operationModel: op, matchedParameters: { id: '7' } },
      { url: 'http://gateway.test/api/pets/7', headers: { authorization: 'Bearer s3cr3t' } },
    );
    assert.equal(r.status, 400);
    assert.equal(r.json<{ message: string }>().message, 'The value of the header authorization does not conform to the definition.\n\nValue "***" is not defined in enum. Line: 1, Position: 5');
  });

  it('records in detect mode and goes on; ignore checks nothing', async () => {
    const detect = await run(policy('detect', 'detect'), '?limit=ten&extra=1', { 'x-other': 'z' });
    assert.equal(detect.status, 200);
    const found = details(detect.gw.variables.get('errs'));
    assert.ok(found.includes('Unspecified query parameter extra is not allowed.'), found.join('|'));
    assert.ok(found.includes('Unspecified header x-other is not allowed.'), found.join('|'));
    assert.ok(found.some((d) => d.startsWith('Value of the query parameter limit cannot be parsed')));
    const ignore = await run(policy('ignore', 'ignore'), '?limit=ten&extra=1');
    assert.equal(ignore.status, 200);
    assert.deepEqual(details(ignore.gw.variables.get('errs')), []);
  });

  it('lets headers, query and path elements and parameter children override the actions', async () => {
    const doc = policy(
      'prevent',
      'prevent',
      '<headers specified-parameter-action="detect" unspecified-parameter-action="detect"><parameter name="X-Secret" action="prevent" /></headers><query unspecified-parameter-action="ignore"><parameter name="limit" action="detect" /></query>',
    );
    const r = await run(doc, '?limit=ten&extra=1', { 'x-other': 'z' });
    assert.equal(r.status, 200, 'headers detect, an unspecified query ignored, limit only detected');
    assert.equal(details(r.gw.variables.get('errs')).length, 3);
    const secret = await run(doc, '', { 'X-SECRET': 'z' });
    assert.equal(secret.status, 400);
    assert.equal(secret.json<{ message: string }>().message, 'Unspecified header X-SECRET is not allowed.');
  });

  it('refuses bad attributes and children at save time', () => {
    assert.match(expectCompileError(inbound('<validate-parameters specified-parameter-action="prevent" />')).message, /required attribute 'unspecified-parameter-action'/);
    assert.match(expectCompileError(policy('prevent', 'prevent', '<cookies />')).message, /The element 'cookies' is not allowed in 'validate-parameters'/);
    assert.match(expectCompileError(policy('prevent', 'prevent', '<path unspecified-parameter-action="prevent" />')).message, /'unspecified-parameter-action' attribute is not declared/);
    assert.match(expectCompileError(policy('prevent', 'prevent', '<query><parameter name="a" /></query>')).message, /required attribute 'action'/);
    assert.match(expectCompileError(policy('prevent', 'prevent', '<query /><query />')).message, /may appear only once/);
    assert.match(expectCompileError(`<policies><outbound><validate-parameters specified-parameter-action="prevent" unspecified-parameter-action="prevent" /></outbound></policies>`).message, /not allowed in the 'outbound' section/);
  });
});
