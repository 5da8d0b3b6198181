import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PolicyCompileError } from '../../src/pipeline/policy-module.js';
import { compileOnly, runPolicies, expectCompileError } from '../helpers/policy-harness.js';

const inbound = (body: string) =>
  `<policies><inbound>${body}<return-response /></inbound><backend><base /></backend><outbound /><on-error /></policies>`;

const compileError = (xml: string): PolicyCompileError => expectCompileError(xml);

describe('choose', () => {
  it('runs the first when whose condition is true', async () => {
    const r = await runPolicies({
      api: inbound(`<choose>
        <when condition="false"><set-variable name="picked" value="one" /></when>
        <when condition="true"><set-variable name="picked" value="two" /></when>
        <when condition="true"><set-variable name="picked" value="three" /><set-variable name="third" value="ran" /></when>
        <otherwise><set-variable name="picked" value="otherwise" /></otherwise>
      </choose>`),
    });
    assert.equal(r.gw.variables.get('picked'), 'two');
    assert.equal(r.gw.variables.has('third'), false);
  });

  it('runs otherwise when no condition holds', async () => {
    const r = await runPolicies({
      api: inbound(`<choose>
        <when condition="false"><set-variable name="picked" value="when" /></when>
        <otherwise><set-variable name="picked" value="otherwise" /><set-variable name="second" value="yes" /></otherwise>
      </choose>`),
    });
    assert.equal(r.gw.variables.get('picked'), 'otherwise');
    assert.equal(r.gw.variables.get('second'), 'yes');
  });

  it('does nothing when no condition holds and there is no otherwise', async () => {
    const r = await runPolicies({
      api: inbound('<choose><when condition="False"><set-variable name="picked" value="when" /></when></choose><set-variable name="after" value="yes" />'),
    });
    assert.equal(r.gw.variables.has('picked'), false);
    assert.equal(r.gw.variables.get('after'), 'yes');
  });

  it('nests and lets a branch answer the request, skipping what follows', async () => {
    const r = await runPolicies({
      api: inbound(`<choose><when condition="true">
          <choose><when condition="true"><return-response><set-body>nested</set-body></return-response></when></choose>
          <set-variable name="after-inner" value="ran" />
        </when></choose><set-variable name="after-outer" value="ran" />`),
    });
    assert.equal(r.status, 200);
    assert.equal(r.body, 'nested');
    assert.equal(r.gw.variables.has('after-inner'), false);
    assert.equal(r.gw.variables.has('after-outer'), false);
  });

  it('accepts an empty when and an empty otherwise', async () => {
    const r = await runPolicies({ api: inbound('<choose><when condition="true" /><otherwise /></choose>') });
    assert.equal(r.status, 200);
  });

  it('names nested policies by path for context.LastError', async () => {
    const r = await runPolicies({
      api: `<policies><inbound><choose>
          <when condition="false" />
          <when condition="true"><set-variable name="a" value="b" /><return-response response-variable-name="missing" /></when>
        </choose></inbound><backend><base /></backend><outbound /><on-error /></policies>`,
    });
    assert.equal(r.status, 500);
    assert.equal(r.gw.lastError?.path, 'choose[1]/when[2]/return-response[1]');
    assert.equal(r.gw.lastError?.source, 'return-response');
  });

  it('names the otherwise branch without an index', async () => {
    const r = await runPolicies({
      api: `<policies><inbound><set-variable name="x" value="y" /><choose><when condition="true"><set-variable name="x" value="z" /></when></choose><choose>
          <when condition="false" />
          <otherwise><return-response response-variable-name="missing" /></otherwise>
        </choose></inbound><backend><base /></backend><outbound /><on-error /></policies>`,
    });
    assert.equal(r.gw.lastError?.path, 'choose[2]/otherwise/return-response[1]');
  });

  it('reports structural mistakes at compile time', () => {
    const cases: Array<[string, RegExp]> = [
      ['<choose />', /at least one 'when'/],
      ['<choose><otherwise /></choose>', /'when' element must come before 'otherwise'/],
      ['<choose><when condition="true" /><otherwise /><when condition="true" /></choose>', /must come before 'otherwise'/],
      ['<choose><when condition="true" /><otherwise /><otherwise /></choose>', /'otherwise' element may appear only once/],
      ['<choose><set-variable name="a" value="b" /></choose>', /'set-variable' is not allowed in 'choose'/],
      ['<choose><when /></choose>', /required attribute 'condition' is missing/],
      ['<choose><when condition="true" other="1" /></choose>', /'other' attribute is not declared/],
      ['<choose><when condition="yes" /></choose>', /The value 'yes' of attribute 'condition' is not a valid boolean/],
      ['<choose><when condition="true">text</when></choose>', /Unexpected text content in 'when'/],
      ['<choose><when condition="true"><base /></when></choose>', /'base' element is only allowed directly in a section/],
      ['<choose><when condition="true"><no-such-policy /></when></choose>', /Unsupported policy 'no-such-policy'/],
    ];
    for (const [xml, reason] of cases) {
      const err = compileError(`<policies><inbound>${xml}</inbound></policies>`);
      assert.match(err.reason, reason, xml);
    }
  });

  it('checks nested policies against the section it sits in', () => {
    const err = compileError('<policies><outbound><choose><when condition="true"><forward-request /></when></choose></outbound></policies>');
    assert.equal(err.element, 'forward-request');
    assert.match(err.reason, /not allowed in the 'outbound' section/);
  });

  it('reports the position of a bad nested element', () => {
    const err = compileError('<policies>\n<inbound>\n<choose>\n  <when condition="true">\n    <bogus />\n  </when>\n</choose>\n</inbound>\n</policies>');
    assert.equal(err.element, 'bogus');
    assert.equal(err.line, 5);
    assert.equal(err.column, 5);
  });

  it('takes expression conditions and follows their value', async () => {
    const doc = (condition: string) =>
      `<policies><inbound><choose><when condition="${condition}"><set-variable name="branch" value="when" /></when><otherwise><set-variable name="branch" value="otherwise" /></otherwise></choose><return-response /></inbound><backend><base /></backend><outbound /><on-error /></policies>`;
    assert.equal((await runPolicies({ api: doc('@(true)') })).gw.variables.get('branch'), 'when');
    assert.equal((await runPolicies({ api: doc('@(1 &gt; 2)') })).gw.variables.get('branch'), 'otherwise');
    const byHeader = doc('@(context.Request.Headers.GetValueOrDefault(&quot;x-mode&quot;, &quot;&quot;) == &quot;on&quot;)');
    assert.equal((await runPolicies({ api: byHeader }, { headers: { 'x-mode': 'on' } })).gw.variables.get('branch'), 'when');
    assert.equal((await runPolicies({ api: byHeader }, { headers: { 'x-mode': 'off' } })).gw.variables.get('branch'), 'otherwise');
  });
});
