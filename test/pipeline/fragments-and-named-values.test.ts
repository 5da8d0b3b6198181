/**
 * `include-fragment` (reference §2.1, §3) and `{{named values}}` (reference §4.3): both are
 * resolved when documents are compiled; mistakes are compile errors naming element, line, column.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PolicyCompileError } from '../../src/pipeline/policy-module.js';
import { runPolicies, type HarnessSetup, expectCompileError, useEchoBackend } from '../helpers/policy-harness.js';

const backend = useEchoBackend();

const mark = (name: string) => `<set-header name="X-Trace" exists-action="append"><value>${name}</value></set-header>`;

const compileError = (xml: string, setup: HarnessSetup = {}): PolicyCompileError => expectCompileError(xml, 'api', setup);

/** The X-Trace values the backend received (sent as one comma-joined line). */
async function echoedTrace(setup: HarnessSetup): Promise<string[]> {
  const r = await runPolicies({ serviceUrl: backend.url, ...setup });
  assert.equal(r.status, 200, r.body);
  const value = r.json<{ headers: Record<string, string | undefined> }>().headers['x-trace'];
  return value === undefined ? [] : value.split(',').map((v) => v.trim());
}

describe('include-fragment', () => {
  it('inlines the fragment where it appears', async () => {
    const trace = await echoedTrace({
      fragments: { common: `<fragment>${mark('fragment-1')}${mark('fragment-2')}</fragment>` },
      api: `<policies><inbound>${mark('before')}<include-fragment fragment-id="common" />${mark('after')}</inbound></policies>`,
    });
    assert.deepEqual(trace, ['before', 'fragment-1', 'fragment-2', 'after']);
  });

  it('inlines fragments that include other fragments, and the same fragment twice', async () => {
    const trace = await echoedTrace({
      fragments: {
        outer: `<fragment>${mark('outer')}<include-fragment fragment-id="inner" /></fragment>`,
        inner: `<fragment>${mark('inner')}</fragment>`,
      },
      api: '<policies><inbound><include-fragment fragment-id="outer" /><include-fragment fragment-id="inner" /></inbound></policies>',
    });
    assert.deepEqual(trace, ['outer', 'inner', 'inner']);
  });

  it('lets a fragment answer the request and fail with LastError inside it', async () => {
    const answered = await runPolicies({
      fragments: { deny: '<fragment><return-response><set-status code="403" reason="Forbidden" /></return-response></fragment>' },
      api: '<policies><inbound><include-fragment fragment-id="deny" /><set-variable name="after" value="x" /></inbound></policies>',
    });
    assert.equal(answered.status, 403);
    assert.equal(answered.gw.variables.has('after'), false);
    const failed = await runPolicies({
      fragments: { broken: '<fragment><return-response id="inside" response-variable-name="missing" /></fragment>' },
      operation: '<policies><inbound><include-fragment fragment-id="broken" /></inbound></policies>',
    });
    assert.equal(failed.status, 500);
    assert.equal(failed.gw.lastError?.policyId, 'inside');
    assert.equal(failed.gw.lastError?.scope, 'operation');
    assert.equal(failed.gw.lastError?.path, 'include-fragment[1]/return-response[1]');
  });

  it('checks the fragment policies against the section it is included in', () => {
    const err = compileError('<policies><outbound><include-fragment fragment-id="fwd" /></outbound></policies>', {
      fragments: { fwd: '<fragment><forward-request /></fragment>' },
    });
    assert.equal(err.element, 'forward-request');
    assert.match(err.reason, /not allowed in the 'outbound' section/);
  });

  it('fails to compile when the fragment does not exist', () => {
    const err = compileError('<policies>\n  <inbound>\n    <include-fragment fragment-id="nowhere" />\n  </inbound>\n</policies>');
    assert.equal(err.element, 'include-fragment');
    assert.equal(err.reason, "Policy fragment with id 'nowhere' could not be found.");
    assert.equal(err.line, 3);
  });

  it('fails to compile a fragment that includes itself, directly or through another', () => {
    const direct = compileError('<policies><inbound><include-fragment fragment-id="loop" /></inbound></policies>', {
      fragments: { loop: '<fragment><include-fragment fragment-id="loop" /></fragment>' },
    });
    assert.equal(direct.reason, "Policy fragment 'loop' includes itself.");
    const indirect = compileError('<policies><inbound><include-fragment fragment-id="a" /></inbound></policies>', {
      fragments: {
        a: '<fragment><include-fragment fragment-id="b" /></fragment>',
        b: '<fragment><choose><when condition="true"><include-fragment fragment-id="a" /></when></choose></fragment>',
      },
    });
    assert.equal(indirect.reason, "Policy fragment 'a' includes itself.");
  });

  it('rejects <base/> and section elements inside a fragment', () => {
    for (const inner of ['<base />', '<inbound />', '<on-error />']) {
      const err = compileError('<policies><inbound><include-fragment fragment-id="bad" /></inbound></policies>', {
        fragments: { bad: `<fragment>${inner}</fragment>` },
      });
      assert.match(err.reason, /can't include a policy section identifier or the 'base' element/, inner);
    }
  });

  it('does not take an expression as fragment id', () => {
    const err = compileError('<policies><inbound><include-fragment fragment-id="@(&quot;x&quot;)" /></inbound></policies>');
    assert.match(err.reason, /does not accept policy expressions/);
  });
});

describe('named values', () => {
  it('substitutes whole attribute values, parts of them, and text', async () => {
    const r = await runPolicies({
      serviceUrl: backend.url,
      namedValues: { HeaderName: 'X-Contoso', suffix: 'v2', greeting: 'hello' },
      api: `<policies><inbound>
        <set-header name="{{HeaderName}}" exists-action="override"><value>CustomHeader{{suffix}}</value></set-header>
        <set-variable name="v" value="{{ greeting }}-{{suffix}}" />
      </inbound></policies>`,
    });
    assert.equal(r.json<{ headers: Record<string, string> }>().headers['x-contoso'], 'CustomHeaderv2');
    assert.equal(r.gw.variables.get('v'), 'hello-v2');
  });

  it('substitutes inside fragments and return-response bodies', async () => {
    const r = await runPolicies({
      namedValues: { who: 'fragment-user' },
      fragments: { hello: '<fragment><return-response><set-body>hi {{who}}</set-body></return-response></fragment>' },
      api: '<policies><inbound><include-fragment fragment-id="hello" /></inbound></policies>',
    });
    assert.equal(r.body, 'hi fragment-user');
  });

  it('substitutes in attributes typed as numbers and booleans before checking them', async () => {
    const r = await runPolicies({
      namedValues: { code: '418', yes: 'true' },
      api: '<policies><inbound><choose><when condition="{{yes}}"><mock-response status-code="{{code}}" /></when></choose></inbound></policies>',
    });
    assert.equal(r.status, 418);
  });

  it('substitutes in the id attribute reported as LastError.PolicyId', async () => {
    const r = await runPolicies({
      namedValues: { step: 'answer-step' },
      api: '<policies><inbound><return-response id="{{step}}" response-variable-name="missing" /></inbound></policies>',
    });
    assert.equal(r.gw.lastError?.policyId, 'answer-step');
  });

  it('does not resolve named values inside named values', async () => {
    const r = await runPolicies({
      namedValues: { outer: 'a{{inner}}b', inner: 'x' },
      api: '<policies><inbound><set-variable name="v" value="{{outer}}" /><return-response /></inbound></policies>',
    });
    assert.equal(r.gw.variables.get('v'), 'a{{inner}}b');
  });

  it('fails to compile a reference to an unknown named value, at the attribute or element', () => {
    const inAttribute = compileError('<policies>\n<inbound>\n  <set-variable name="v" value="{{missing}}" />\n</inbound>\n</policies>');
    assert.equal(inAttribute.element, 'set-variable');
    assert.equal(inAttribute.reason, "Cannot find a named value with name 'missing'.");
    assert.equal(inAttribute.line, 3);
    const inText = compileError(
      '<policies><inbound><set-header name="x" exists-action="override"><value>{{absent}}</value></set-header></inbound></policies>',
    );
    assert.equal(inText.reason, "Cannot find a named value with name 'absent'.");
    const inId = compileError('<policies><inbound><set-variable id="{{nope}}" name="v" value="1" /></inbound></policies>');
    assert.equal(inId.reason, "Cannot find a named value with name 'nope'.");
    const inFragment = compileError('<policies><inbound><include-fragment fragment-id="f" /></inbound></policies>', {
      fragments: { f: '<fragment><set-variable name="v" value="{{gone}}" /></fragment>' },
    });
    assert.equal(inFragment.reason, "Cannot find a named value with name 'gone'.");
  });
});
