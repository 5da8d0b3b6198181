import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Operation } from '../../src/model/resources.js';
import { JArray } from '../../src/expressions/runtime/json.js';
import { expectCompileError, runPolicies, useEchoBackend } from '../helpers/policy-harness.js';

const backend = useEchoBackend();

/** The echo backend answers 200 with content-type, content-length, date, connection, keep-alive. */
const echoHeaders = ['Content-Type', 'Content-Length', 'Date', 'Connection', 'Keep-Alive'];
const op: Partial<Operation> = {
  name: 'echo',
  responses: [{ statusCode: 200, headers: [...echoHeaders.map((name) => ({ name, type: 'string' })), { name: 'X-Count', type: 'integer' }] }, { statusCode: 404 }],
};
const outbound = (xml: string) => `<policies><outbound>${xml}</outbound></policies>`;
const addHeader = (name: string, value: string) => `<set-header name="${name}" exists-action="override"><value>${value}</value></set-header>`;

function errors(variable: unknown): string[] {
  assert.ok(variable instanceof JArray);
  return variable.items.map((item) => String((item as unknown as { props: Map<string, { value: { value: string } }> }).props.get('Details')?.value.value));
}

describe('validate-headers', () => {
  const policy = (specified: string, unspecified: string, children = '') =>
    `<validate-headers specified-header-action="${specified}" unspecified-header-action="${unspecified}" errors-variable-name="errs">${children}</validate-headers>`;

  it('lets declared headers through', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api: outbound(addHeader('X-Count', '3') + policy('prevent', 'prevent')), operationModel: op });
    assert.equal(r.status, 200);
    assert.deepEqual(errors(r.gw.variables.get('errs')), []);
  });

  it('refuses an unspecified header with 502 and the internal-error text; detect records it', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api: outbound(addHeader('X-Powered-By', 'php') + policy('prevent', 'prevent')), operationModel: op });
    assert.equal(r.status, 502);
    assert.equal(r.json<{ message: string }>().message, 'The request could not be processed due to an internal error. Contact the API owner.');
    assert.equal(r.gw.lastError?.reason, 'Response not allowed');
    assert.equal(r.gw.lastError?.message, 'Unspecified header X-Powered-By is not allowed.');
    const detect = await runPolicies({ serviceUrl: backend.url, api: outbound(addHeader('X-Powered-By', 'php') + policy('prevent', 'detect')), operationModel: op });
    assert.equal(detect.status, 200);
    assert.deepEqual(errors(detect.gw.variables.get('errs')), ['Unspecified header X-Powered-By is not allowed.']);
    const ignored = await runPolicies({ serviceUrl: backend.url, api: outbound(addHeader('X-Powered-By', 'php') + policy('prevent', 'prevent', '<header name="x-powered-by" action="ignore" />')), operationModel: op });
    assert.equal(ignored.status, 200, 'a header child overrides the action for its name');
  });

  it('checks a declared header value against its type', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api: outbound(addHeader('X-Count', 'many') + policy('detect', 'prevent')), operationModel: op });
    assert.equal(r.status, 200);
    assert.deepEqual(errors(r.gw.variables.get('errs')), ['Value of the header X-Count cannot be parsed according to the definition.\n\nInput string was not in a correct format.']);
  });

  it('refuses bad attributes and children at save time', () => {
    assert.match(expectCompileError(outbound('<validate-headers specified-header-action="prevent" />')).message, /required attribute 'unspecified-header-action'/);
    assert.match(expectCompileError(outbound(policy('prevent', 'prevent', '<parameter name="a" action="prevent" />'))).message, /The element 'parameter' is not allowed in 'validate-headers'; expected 'header'/);
    assert.match(expectCompileError(`<policies><inbound>${policy('prevent', 'prevent')}</inbound></policies>`).message, /not allowed in the 'inbound' section/);
  });
});

describe('validate-status-code', () => {
  const policy = (unspecified: string, children = '') => `<validate-status-code unspecified-status-code-action="${unspecified}" errors-variable-name="errs">${children}</validate-status-code>`;
  const status = (code: number) => ({ url: `http://gateway.test/api/status/${code}` });

  it('allows a declared status code', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api: outbound(policy('prevent')), operationModel: op }, status(404));
    assert.equal(r.status, 404);
  });

  it('refuses an undeclared one with 502; detect and the status-code child', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api: outbound(policy('prevent')), operationModel: op }, status(500));
    assert.equal(r.status, 502);
    assert.equal(r.json<{ message: string }>().message, 'The request could not be processed due to an internal error. Contact the API owner.');
    assert.equal(r.gw.lastError?.source, 'validate-status-code');
    assert.equal(r.gw.lastError?.message, 'Response status code 500 is not allowed.');
    const detect = await runPolicies({ serviceUrl: backend.url, api: outbound(policy('detect')), operationModel: op }, status(500));
    assert.equal(detect.status, 500);
    assert.deepEqual(errors(detect.gw.variables.get('errs')), ['Response status code 500 is not allowed.']);
    const overridden = await runPolicies({ serviceUrl: backend.url, api: outbound(policy('prevent', '<status-code code="500" action="ignore" />')), operationModel: op }, status(500));
    assert.equal(overridden.status, 500);
    const declaredWins = await runPolicies({ serviceUrl: backend.url, api: outbound(policy('ignore', '<status-code code="404" action="prevent" />')), operationModel: op }, status(404));
    assert.equal(declaredWins.status, 404, 'a child has no effect on a declared code');
  });

  it('refuses bad children at save time', () => {
    assert.match(expectCompileError(outbound(policy('prevent', '<status-code code="700" action="prevent" />'))).message, /code/);
    assert.match(expectCompileError(outbound(policy('prevent', '<status-code code="500" action="prevent" /><status-code code="500" action="detect" />'))).message, /more than once/);
    assert.match(expectCompileError(outbound(policy('prevent', '<status-code code="500" />'))).message, /required attribute 'action'/);
  });
});
