import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PolicyCompileError } from '../../src/pipeline/policy-module.js';
import { compileOnly, runPolicies } from '../helpers/policy-harness.js';

const inbound = (body: string) =>
  `<policies><inbound>${body}<return-response /></inbound><backend><base /></backend><outbound /><on-error /></policies>`;

describe('set-variable', () => {
  it('stores a literal value as a string', async () => {
    const r = await runPolicies({ api: inbound('<set-variable name="count" value="42" /><set-variable name="flag" value="true" />') });
    assert.equal(r.gw.variables.get('count'), '42');
    assert.equal(r.gw.variables.get('flag'), 'true');
  });

  it('overwrites a variable set earlier', async () => {
    const r = await runPolicies({ api: inbound('<set-variable name="v" value="first" /><set-variable name="v" value="second" />') });
    assert.equal(r.gw.variables.get('v'), 'second');
  });

  it('keeps an empty value', async () => {
    const r = await runPolicies({ api: inbound('<set-variable name="v" value="" />') });
    assert.equal(r.gw.variables.get('v'), '');
  });

  it('substitutes named values in the value', async () => {
    const r = await runPolicies({ api: inbound('<set-variable name="v" value="tier-{{tier}}" />'), namedValues: { tier: 'gold' } });
    assert.equal(r.gw.variables.get('v'), 'tier-gold');
  });

  it('runs in every section', async () => {
    for (const section of ['inbound', 'backend', 'outbound', 'on-error']) {
      assert.doesNotThrow(() => compileOnly(`<policies><${section}><set-variable name="a" value="b" /></${section}></policies>`));
    }
  });

  it('requires name and value', () => {
    for (const xml of ['<set-variable value="x" />', '<set-variable name="x" />']) {
      assert.throws(() => compileOnly(`<policies><inbound>${xml}</inbound></policies>`), (err: unknown) => {
        assert.ok(err instanceof PolicyCompileError);
        assert.equal(err.element, 'set-variable');
        assert.match(err.reason, /required attribute '(name|value)' is missing/);
        return true;
      });
    }
  });

  it('rejects an expression in the name', () => {
    assert.throws(
      () => compileOnly('<policies><inbound><set-variable name="@(&quot;x&quot;)" value="1" /></inbound></policies>'),
      (err: unknown) => err instanceof PolicyCompileError && /does not accept policy expressions/.test(err.reason),
    );
  });

  it('takes an expression in the value and stores its typed result', async () => {
    const r = await runPolicies({
      api: inbound('<set-variable name="sum" value="@(1 + 1)" /><set-variable name="text" value="@(&quot;a&quot; + &quot;b&quot;)" /><set-variable name="ok" value="@(3 &gt; 2)" />'),
    });
    assert.equal(r.gw.variables.get('sum'), 2);
    assert.equal(r.gw.variables.get('text'), 'ab');
    assert.equal(r.gw.variables.get('ok'), true);
  });

  it('rejects unknown attributes', () => {
    assert.throws(
      () => compileOnly('<policies><inbound><set-variable name="x" value="1" type="int" /></inbound></policies>'),
      (err: unknown) => err instanceof PolicyCompileError && err.reason === "The 'type' attribute is not declared.",
    );
  });
});
