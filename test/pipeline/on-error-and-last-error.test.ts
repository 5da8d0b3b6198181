/**
 * Failures and `on-error` (reference §2.3, §2.4): remaining steps are skipped, `context.LastError`
 * names the failing policy, on-error composes across scopes with `<base/>`, and the caller gets
 * Azure's error body when on-error does not answer otherwise.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runPolicies, useEchoBackend } from '../helpers/policy-harness.js';

const backend = useEchoBackend();

/** A policy that fails at run time: a return-response whose response variable does not exist. */
const failing = (id?: string) => `<return-response${id ? ` id="${id}"` : ''} response-variable-name="no-such-variable" />`;
const markError = (name: string) => `<set-header name="X-Error-Trace" exists-action="append"><value>${name}</value></set-header>`;

interface ErrorBody {
  statusCode: number;
  message: string;
  activityId?: string;
}

describe('on-error and context.LastError', () => {
  it('fills every LastError field for a failing policy and skips the rest of the pipeline', async () => {
    const r = await runPolicies({
      serviceUrl: backend.url,
      api: `<policies>
        <inbound><base /><set-variable name="before" value="x" />
          <choose><when condition="false" /><when condition="true">${failing('the-failing-one')}</when></choose>
          <set-variable name="after" value="x" /></inbound>
        <backend><base /></backend>
        <outbound><set-variable name="outbound" value="x" /></outbound>
        <on-error><set-variable name="on-error" value="ran" /></on-error>
      </policies>`,
    });
    assert.deepEqual(r.gw.lastError, {
      source: 'return-response',
      reason: 'ResponseVariableNotFound',
      message: "Variable 'no-such-variable' was not found.",
      scope: 'api',
      section: 'inbound',
      path: 'choose[1]/when[2]/return-response[1]',
      policyId: 'the-failing-one',
    });
    assert.equal(r.gw.variables.get('before'), 'x');
    assert.equal(r.gw.variables.has('after'), false);
    assert.equal(r.gw.forwarded, false);
    assert.equal(r.gw.variables.has('outbound'), false);
    assert.equal(r.gw.variables.get('on-error'), 'ran');
  });

  it('names the scope the failing policy was written in, not the scope that included it', async () => {
    const r = await runPolicies({
      global: `<policies><inbound><set-variable name="g" value="1" />${failing()}</inbound></policies>`,
      operation: '<policies><inbound><base /></inbound></policies>',
    });
    assert.equal(r.gw.lastError?.scope, 'global');
    assert.equal(r.gw.lastError?.path, 'return-response[1]');
    assert.equal(r.gw.lastError?.policyId, undefined);
  });

  it('answers with Azure\'s 500 body when on-error does not answer', async () => {
    const r = await runPolicies({
      api: `<policies><inbound>${failing()}</inbound><on-error><set-variable name="seen" value="yes" />${markError('api')}</on-error></policies>`,
    });
    assert.equal(r.status, 500);
    assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
    const body = r.json<ErrorBody>();
    assert.equal(body.statusCode, 500);
    assert.equal(body.message, 'Internal server error');
    assert.equal(body.activityId, r.gw.requestId);
    // on-error edits the error response (set-header acts on the response there).
    assert.equal(r.headers.get('x-error-trace'), 'api');
  });

  it('composes on-error across scopes with <base/>', async () => {
    const r = await runPolicies({
      global: `<policies><on-error>${markError('global')}</on-error></policies>`,
      product: `<policies><on-error>${markError('product-1')}<base />${markError('product-2')}</on-error></policies>`,
      api: `<policies><inbound>${failing()}</inbound><on-error><base />${markError('api')}</on-error></policies>`,
    });
    assert.deepEqual(r.headers.getAll('x-error-trace'), ['product-1', 'global', 'product-2', 'api']);
  });

  it('stops on-error inheritance where <base/> is omitted, and inherits it from missing scopes', async () => {
    const omitted = await runPolicies({
      global: `<policies><on-error>${markError('global')}</on-error></policies>`,
      api: `<policies><inbound>${failing()}</inbound><on-error>${markError('api')}</on-error></policies>`,
    });
    assert.deepEqual(omitted.headers.getAll('x-error-trace'), ['api']);
    const inherited = await runPolicies({
      global: `<policies><on-error>${markError('global')}</on-error></policies>`,
      api: `<policies><inbound>${failing()}</inbound></policies>`,
    });
    assert.deepEqual(inherited.headers.getAll('x-error-trace'), ['global']);
  });

  it('records failures in outbound, discarding the backend response', async () => {
    const r = await runPolicies({
      serviceUrl: backend.url,
      api: `<policies><inbound /><backend><base /></backend><outbound><set-header name="X-Before" exists-action="override"><value>1</value></set-header>${failing('out')}<set-variable name="after" value="x" /></outbound>
        <on-error><set-variable name="on-error" value="ran" /></on-error></policies>`,
    });
    assert.equal(r.gw.forwarded, true);
    assert.equal(r.status, 500);
    assert.equal(r.json<ErrorBody>().message, 'Internal server error');
    assert.equal(r.headers.has('x-before'), false);
    assert.equal(r.gw.lastError?.section, 'outbound');
    assert.equal(r.gw.lastError?.policyId, 'out');
    assert.equal(r.gw.variables.has('after'), false);
    assert.equal(r.gw.variables.get('on-error'), 'ran');
  });

  it('records failures of forward-request in the backend section', async () => {
    const r = await runPolicies({
      serviceUrl: 'http://127.0.0.1:1',
      api: '<policies><backend><forward-request id="fwd" /></backend><outbound><set-variable name="outbound" value="x" /></outbound></policies>',
    });
    assert.equal(r.status, 500);
    assert.equal(r.gw.lastError?.source, 'forward-request');
    assert.equal(r.gw.lastError?.reason, 'BackendConnectionFailure');
    assert.equal(r.gw.lastError?.section, 'backend');
    assert.equal(r.gw.lastError?.scope, 'api');
    assert.equal(r.gw.lastError?.policyId, 'fwd');
    assert.equal(r.gw.variables.has('outbound'), false);
  });

  it('answers with return-response from on-error, ending on-error there', async () => {
    const r = await runPolicies({
      api: `<policies><inbound>${failing()}</inbound><on-error>
        <return-response><set-status code="400" reason="Bad Request" /><set-body>custom</set-body></return-response>
        <set-variable name="after" value="x" /></on-error></policies>`,
    });
    assert.equal(r.status, 400);
    assert.equal(r.body, 'custom');
    assert.equal(r.gw.variables.has('after'), false);
  });

  it('ends with the second failure when on-error itself fails', async () => {
    const r = await runPolicies({
      api: `<policies><inbound>${failing('first')}</inbound><on-error><set-variable name="before" value="x" />
        <return-response id="second" response-variable-name="also-missing" /><set-variable name="after" value="x" /></on-error></policies>`,
    });
    assert.equal(r.status, 500);
    assert.equal(r.json<ErrorBody>().message, 'Internal server error');
    assert.equal(r.gw.lastError?.section, 'on-error');
    assert.equal(r.gw.lastError?.policyId, 'second');
    assert.equal(r.gw.lastError?.message, "Variable 'also-missing' was not found.");
    assert.equal(r.gw.variables.get('before'), 'x');
    assert.equal(r.gw.variables.has('after'), false);
  });

  it('does not run on-error when nothing fails', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api: '<policies><on-error><set-variable name="on-error" value="ran" /></on-error></policies>' });
    assert.equal(r.status, 200);
    assert.equal(r.gw.lastError, null);
    assert.equal(r.gw.variables.has('on-error'), false);
  });

  it('skips backend and outbound after return-response in inbound', async () => {
    const r = await runPolicies({
      serviceUrl: 'http://127.0.0.1:1',
      global: '<policies><outbound><set-variable name="global-outbound" value="x" /></outbound></policies>',
      api: '<policies><inbound><return-response><set-status code="204" reason="No Content" /></return-response></inbound><outbound><base /><set-variable name="outbound" value="x" /></outbound></policies>',
    });
    assert.equal(r.status, 204);
    assert.equal(r.gw.forwarded, false);
    assert.equal(r.gw.lastError, null);
    assert.equal(r.gw.variables.has('outbound'), false);
    assert.equal(r.gw.variables.has('global-outbound'), false);
  });
});
