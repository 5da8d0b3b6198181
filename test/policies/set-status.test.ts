import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PolicyCompileError } from '../../src/pipeline/policy-module.js';
import { compileOnly, runPolicies, expectCompileError, useEchoBackend } from '../helpers/policy-harness.js';

const backend = useEchoBackend();

const compileError = (xml: string): PolicyCompileError => expectCompileError(xml);

describe('set-status', () => {
  it('sets the status code and reason of the backend response in outbound', async () => {
    const r = await runPolicies({
      serviceUrl: backend.url,
      api: '<policies><outbound><set-status code="201" reason="Created Here" /></outbound></policies>',
    });
    assert.equal(r.status, 201);
    assert.equal(r.gw.response.statusReason, 'Created Here');
    // The backend's body is still there.
    assert.equal(r.json<{ method: string }>().method, 'GET');
  });

  it('works after forward-request in the backend section', async () => {
    const r = await runPolicies({
      serviceUrl: backend.url + '/status/500',
      api: '<policies><backend><forward-request /><set-status code="502" reason="Bad Gateway" /></backend></policies>',
    });
    assert.equal(r.status, 502);
    assert.equal(r.gw.response.statusReason, 'Bad Gateway');
  });

  it('replaces the error status in on-error', async () => {
    const r = await runPolicies({
      serviceUrl: 'http://127.0.0.1:1',
      api: '<policies><on-error><set-status code="503" reason="Service Unavailable" /></on-error></policies>',
    });
    assert.equal(r.status, 503);
    assert.equal(r.gw.response.statusReason, 'Service Unavailable');
    assert.equal(r.gw.lastError?.reason, 'BackendConnectionFailure');
  });

  it('is overwritten by the backend response when set in inbound before forwarding', async () => {
    const r = await runPolicies({ serviceUrl: backend.url, api: '<policies><inbound><set-status code="418" reason="Teapot" /></inbound></policies>' });
    assert.equal(r.status, 200);
  });

  it('substitutes named values', async () => {
    const r = await runPolicies({
      serviceUrl: backend.url,
      namedValues: { code: '299', why: 'Custom' },
      api: '<policies><outbound><set-status code="{{code}}" reason="{{why}}" /></outbound></policies>',
    });
    assert.equal(r.status, 299);
    assert.equal(r.gw.response.statusReason, 'Custom');
  });

  it('compiles the set-status snippet of the public snippet corpus', () => {
    const path = new URL('../fixtures/corpus/policy-snippets/vscode-snippets-xml.json', import.meta.url);
    const snippets = JSON.parse(readFileSync(path, 'utf8')) as Record<string, { body: string | string[] }>;
    const body = snippets['set-status']!.body;
    const snippet = (Array.isArray(body) ? body.join('\n') : body).replace('$1', '404').replace('$2', 'Not Found');
    assert.doesNotThrow(() => compileOnly(`<policies><outbound>${snippet}</outbound></policies>`));
    assert.throws(() => compileOnly(`<policies><outbound>${snippet.replace('404', 'abc')}</outbound></policies>`), PolicyCompileError);
  });

  describe('compile errors', () => {
    it('requires code; reason defaults to the standard phrase', async () => {
      const noCode = compileError('<policies><outbound><set-status reason="OK" /></outbound></policies>');
      assert.equal(noCode.element, 'set-status');
      assert.equal(noCode.reason, "The required attribute 'code' is missing.");
      const r = await runPolicies({ api: '<policies><inbound><return-response><set-status code="404" /></return-response></inbound></policies>' });
      assert.equal(r.status, 404);
      assert.equal(r.gw.response.statusReason, 'Not Found');
    });

    it('rejects a code that is not an integer in 100–599', () => {
      assert.equal(
        compileError('<policies><outbound><set-status code="2xx" reason="x" /></outbound></policies>').reason,
        "The value '2xx' of attribute 'code' is not a valid integer.",
      );
      assert.equal(
        compileError('<policies><outbound><set-status code="99" reason="x" /></outbound></policies>').reason,
        "The value of attribute 'code' must be at least 100.",
      );
      assert.equal(
        compileError('<policies><outbound><set-status code="600" reason="x" /></outbound></policies>').reason,
        "The value of attribute 'code' must be at most 599.",
      );
    });

    it('rejects a reason with a line break', () => {
      assert.equal(
        compileError('<policies><outbound><set-status code="200" reason="OK&#13;&#10;X-Injected: 1" /></outbound></policies>').reason,
        'The reason phrase must not contain CR, LF or NUL characters.',
      );
    });

    it('rejects child elements and unknown attributes', () => {
      assert.equal(
        compileError('<policies><outbound><set-status code="200" reason="OK"><x /></set-status></outbound></policies>').reason,
        "The 'set-status' element takes no child elements.",
      );
      assert.equal(
        compileError('<policies><outbound><set-status code="200" reason="OK" text="x" /></outbound></policies>').reason,
        "The 'text' attribute is not declared.",
      );
    });
  });
});
