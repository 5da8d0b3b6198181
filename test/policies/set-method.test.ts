import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PolicyCompileError } from '../../src/pipeline/policy-module.js';
import { runPolicies, expectCompileError, useEchoBackend } from '../helpers/policy-harness.js';

interface Echo {
  method: string;
  body: string;
}

const backend = useEchoBackend();

const inbound = (body: string) => `<policies><inbound>${body}</inbound></policies>`;

const compileError = (xml: string): PolicyCompileError => expectCompileError(xml);

describe('set-method', () => {
  it('changes the method the backend receives', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api: inbound('<set-method>DELETE</set-method>') });
    assert.equal(r.status, 200);
    assert.equal(r.json<Echo>().method, 'DELETE');
    assert.equal(r.gw.request.originalMethod, 'GET');
  });

  it('keeps the body when turning a POST into a PUT', async () => {
    const r = await runPolicies(
      { serviceUrl: backend.url, api: inbound('<set-method>\n  PUT\n</set-method>') },
      { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } },
    );
    const echo = r.json<Echo>();
    assert.equal(echo.method, 'PUT');
    assert.equal(echo.body, '{"a":1}');
  });

  it('substitutes named values', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, namedValues: { verb: 'PATCH' }, api: inbound('<set-method>{{verb}}</set-method>') });
    assert.equal(r.json<Echo>().method, 'PATCH');
  });

  it('is allowed in on-error', async () => {
    const r = await runPolicies({ serviceUrl: 'http://127.0.0.1:1', api: '<policies><on-error><set-method>POST</set-method></on-error></policies>' });
    assert.equal(r.status, 500);
    assert.equal(r.gw.request.method, 'POST');
  });

  describe('compile errors', () => {
    it('requires a method', () => {
      const err = compileError(inbound('<set-method />'));
      assert.equal(err.element, 'set-method');
      assert.equal(err.reason, 'The HTTP method must not be empty.');
    });

    it('rejects a method that is not an HTTP token', () => {
      assert.equal(compileError(inbound('<set-method>GE T</set-method>')).reason, "'GE T' is not a valid HTTP method.");
    });

    it('rejects attributes and child elements', () => {
      assert.equal(compileError(inbound('<set-method verb="GET">GET</set-method>')).reason, "The 'verb' attribute is not declared.");
      assert.equal(compileError(inbound('<set-method><value>GET</value></set-method>')).reason, "The 'set-method' element takes text only.");
    });

    it('is allowed only in inbound and on-error', () => {
      for (const section of ['backend', 'outbound']) {
        const err = compileError(`<policies><${section}><set-method>GET</set-method></${section}></policies>`);
        assert.equal(err.reason, `Policy is not allowed in the '${section}' section.`);
      }
    });
  });
});
