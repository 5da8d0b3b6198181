import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HeaderMap } from '../../src/pipeline/header-map.js';
import { MessageBody } from '../../src/pipeline/message-body.js';
import { PolicyCompileError } from '../../src/pipeline/policy-module.js';
import { compileOnly, runPolicies, expectCompileError, useEchoBackend } from '../helpers/policy-harness.js';

const backend = useEchoBackend();

const doc = (sections: { inbound?: string; backend?: string; outbound?: string; onError?: string }) =>
  `<policies><inbound>${sections.inbound ?? ''}</inbound><backend>${sections.backend ?? '<base />'}</backend>` +
  `<outbound>${sections.outbound ?? ''}</outbound><on-error>${sections.onError ?? ''}</on-error></policies>`;

const compileError = (xml: string): PolicyCompileError => expectCompileError(xml);

describe('return-response', () => {
  it('answers 200 OK without body by default and skips backend and outbound', async () => {
    const r = await runPolicies({
      api: doc({ inbound: '<return-response /><set-variable name="after" value="x" />', outbound: '<set-variable name="outbound" value="x" />' }),
      serviceUrl: 'http://127.0.0.1:1',
    });
    assert.equal(r.status, 200);
    assert.equal(r.gw.response.statusReason, 'OK');
    assert.equal(r.body, '');
    assert.equal(r.headers.size, 0);
    assert.equal(r.gw.forwarded, false);
    assert.equal(r.gw.responded, true);
    assert.equal(r.gw.variables.has('after'), false);
    assert.equal(r.gw.variables.has('outbound'), false);
  });

  it('applies set-status, set-header and set-body to the response, not the request', async () => {
    const r = await runPolicies(
      {
        api: doc({
          inbound: `<return-response>
            <set-status code="401" reason="Unauthorized" />
            <set-header name="WWW-Authenticate" exists-action="override"><value>Bearer error="invalid_token"</value></set-header>
            <set-header name="X-Multi" exists-action="append"><value>a</value><value>b</value></set-header>
            <set-body>{"error":"denied"}</set-body>
          </return-response>`,
        }),
      },
      { headers: { 'x-multi': 'from-client' } },
    );
    assert.equal(r.status, 401);
    assert.equal(r.gw.response.statusReason, 'Unauthorized');
    assert.equal(r.headers.get('www-authenticate'), 'Bearer error="invalid_token"');
    assert.deepEqual(r.headers.getAll('x-multi'), ['a', 'b']);
    assert.deepEqual(r.json(), { error: 'denied' });
    // The request headers are untouched: the children edit the new response only.
    assert.equal(r.gw.request.headers.get('x-multi'), 'from-client');
    assert.equal(r.gw.request.headers.has('www-authenticate'), false);
  });

  it('starts from a fresh response in outbound, dropping the backend answer', async () => {
    const r = await runPolicies({
      api: doc({ outbound: '<return-response><set-header name="X-Only" exists-action="override"><value>1</value></set-header></return-response><set-variable name="after" value="x" />' }),
      serviceUrl: backend.url,
    });
    assert.equal(r.gw.forwarded, true);
    assert.equal(r.status, 200);
    assert.equal(r.body, '');
    assert.deepEqual(r.headers.names(), ['X-Only']);
    assert.equal(r.gw.variables.has('after'), false);
  });

  it('answers from backend, skipping outbound', async () => {
    const r = await runPolicies({
      api: doc({ backend: '<return-response><set-status code="202" reason="Accepted" /></return-response>', outbound: '<set-variable name="outbound" value="x" />' }),
      serviceUrl: 'http://127.0.0.1:1',
    });
    assert.equal(r.status, 202);
    assert.equal(r.gw.variables.has('outbound'), false);
  });

  it('replaces the error response in on-error, with set-body allowed there', async () => {
    const r = await runPolicies({
      api: doc({
        onError: '<return-response><set-status code="503" reason="Try later" /><set-body>down</set-body></return-response><set-variable name="after" value="x" />',
      }),
      serviceUrl: 'http://127.0.0.1:1',
    });
    assert.equal(r.status, 503);
    assert.equal(r.gw.response.statusReason, 'Try later');
    assert.equal(r.body, 'down');
    assert.equal(r.headers.has('content-type'), false);
    assert.equal(r.gw.lastError?.reason, 'BackendConnectionFailure');
    assert.equal(r.gw.variables.has('after'), false);
  });

  it('substitutes named values in children', async () => {
    const r = await runPolicies({
      api: doc({ inbound: '<return-response><set-header name="X-Env" exists-action="override"><value>{{env}}</value></set-header><set-body>hello {{env}}</set-body></return-response>' }),
      namedValues: { env: 'staging' },
    });
    assert.equal(r.headers.get('x-env'), 'staging');
    assert.equal(r.body, 'hello staging');
  });

  it('starts from the response held in response-variable-name, leaving the variable untouched', async () => {
    const stored = { statusCode: 418, statusReason: "I'm a teapot", headers: new HeaderMap(), body: new MessageBody('{"tea":true}') };
    stored.headers.set('Content-Type', 'application/json');
    stored.headers.set('Content-Length', '12');
    // send-request stores such a response; the harness seeds it as that policy would.
    const r = await runPolicies({
      api: doc({ inbound: '<return-response response-variable-name="saved"><set-header name="X-Added" exists-action="override"><value>yes</value></set-header></return-response>' }),
      variables: { saved: stored },
    });
    assert.equal(r.status, 418);
    assert.equal(r.gw.response.statusReason, "I'm a teapot");
    assert.equal(r.headers.get('content-type'), 'application/json');
    assert.equal(r.headers.get('x-added'), 'yes');
    assert.deepEqual(r.json(), { tea: true });
    assert.equal(stored.headers.has('x-added'), false);
  });
});

describe('return-response failures and validation', () => {
  it('fails with LastError when the response variable is missing or not a response', async () => {
    const missing = await runPolicies({ api: doc({ inbound: '<return-response id="answer" response-variable-name="nope" />' }) });
    assert.equal(missing.status, 500);
    assert.equal(missing.json<{ message: string }>().message, 'Internal server error');
    assert.deepEqual(missing.gw.lastError, {
      source: 'return-response',
      reason: 'ResponseVariableNotFound',
      message: "Variable 'nope' was not found.",
      scope: 'api',
      section: 'inbound',
      path: 'return-response[1]',
      policyId: 'answer',
    });
    const wrong = await runPolicies({
      api: doc({ inbound: '<set-variable name="text" value="hello" /><return-response response-variable-name="text" />' }),
    });
    assert.equal(wrong.gw.lastError?.message, "Variable 'text' does not hold a response.");
  });

  it('enforces the children, their order and their own rules', () => {
    const cases: Array<[string, RegExp]> = [
      ['<return-response><set-body>a</set-body><set-status code="200" reason="OK" /></return-response>', /out of order or repeated/],
      ['<return-response><set-header name="a" /><set-status code="200" reason="OK" /></return-response>', /out of order or repeated/],
      ['<return-response><set-status code="200" reason="OK" /><set-status code="201" reason="Created" /></return-response>', /out of order or repeated/],
      ['<return-response><set-body>a</set-body><set-body>b</set-body></return-response>', /out of order or repeated/],
      ['<return-response><set-variable name="a" value="b" /></return-response>', /'set-variable' is not allowed in 'return-response'/],
      ['<return-response>text</return-response>', /Unexpected text content/],
      ['<return-response><set-status code="700" reason="x" /></return-response>', /at most 599/],
      ['<return-response><set-header exists-action="override" /></return-response>', /required attribute 'name' is missing/],
      ['<return-response><set-body template="liquid">{% if body %}x</set-body></return-response>', /The Liquid template is not valid: tag \{% if body %\} not closed/],
      ['<return-response><set-body mode="x">a</set-body></return-response>', /'mode' attribute is not declared/],
      ['<return-response><set-body parse-date="maybe">a</set-body></return-response>', /not a valid boolean/],
      ['<return-response><set-body>{{missing}}</set-body></return-response>', /Cannot find a named value with name 'missing'/],
      ['<return-response response-variable-name="@(&quot;x&quot;)" />', /does not accept policy expressions/],
    ];
    for (const [xml, reason] of cases) {
      const err = compileError(`<policies><inbound>${xml}</inbound></policies>`);
      assert.match(err.reason, reason, xml);
    }
  });

  it('takes CDATA content as the body verbatim', async () => {
    const r = await runPolicies({ api: doc({ inbound: '<return-response><set-body><![CDATA[<p>a & b</p>]]></set-body></return-response>' }) });
    assert.equal(r.body, '<p>a & b</p>');
  });

  it('is allowed in every section', () => {
    for (const section of ['inbound', 'backend', 'outbound', 'on-error']) {
      assert.doesNotThrow(() => compileOnly(`<policies><${section}><return-response><set-body>x</set-body></return-response></${section}></policies>`));
    }
  });
});
