/**
 * cache-store-value, cache-lookup-value and cache-remove-value through the real compiler and
 * executor: values keep their type, misses leave the variable unset or give default-value,
 * entries expire, and keys are the service's own.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { JObject } from '../../src/expressions/runtime/json.js';
import { MemoryCacheStore, builtInCachesOnly } from '../../src/store/memory-cache-store.js';
import { expectCompileError, manualClock, runPolicies, type HarnessSetup } from '../helpers/policy-harness.js';

const answer = '<return-response><set-status code="200" /></return-response>';
const inbound = (policies: string) => `<policies><inbound>${policies}${answer}</inbound></policies>`;

function valueGateway() {
  const clock = manualClock(Date.now());
  const internal = new MemoryCacheStore(1 << 20, clock);
  const base: HarnessSetup = { caches: builtInCachesOnly(internal), clock };
  const run = async (policies: string) => (await runPolicies({ ...base, api: inbound(policies) })).gw.variables;
  return { run, clock, internal };
}

describe('cache-store-value, cache-lookup-value, cache-remove-value', () => {
  it('a stored value comes back with its type: string, int, bool, double, JObject', async () => {
    const { run } = valueGateway();
    await run(
      '<cache-store-value key="s" value="text" duration="60" />' +
        '<cache-store-value key="i" value="@(40 + 2)" duration="60" />' +
        '<cache-store-value key="b" value="@(true)" duration="60" />' +
        '<cache-store-value key="d" value="@(1.5)" duration="60" />' +
        '<cache-store-value key="j" value="@(new JObject(new JProperty(&quot;a&quot;, 1)))" duration="60" />',
    );
    const vars = await run(
      '<cache-lookup-value key="s" variable-name="s" /><cache-lookup-value key="i" variable-name="i" /><cache-lookup-value key="b" variable-name="b" />' +
        '<cache-lookup-value key="d" variable-name="d" /><cache-lookup-value key="j" variable-name="j" />' +
        '<set-variable name="sum" value="@((int)context.Variables[&quot;i&quot;] + 1)" />' +
        '<set-variable name="a" value="@(((JObject)context.Variables[&quot;j&quot;])[&quot;a&quot;].ToString())" />' +
        '<set-variable name="d-text" value="@(((double)context.Variables[&quot;d&quot;]).ToString())" />',
    );
    assert.equal(vars.get('s'), 'text');
    assert.equal(vars.get('sum'), 43);
    assert.equal(vars.get('b'), true);
    assert.equal(vars.get('d-text'), '1.5');
    assert.ok(vars.get('j') instanceof JObject);
    assert.equal(vars.get('a'), '1');
  });

  it('a miss leaves the variable unset, or sets default-value when given', async () => {
    const { run } = valueGateway();
    const vars = await run(
      '<cache-lookup-value key="missing" variable-name="unset" />' +
        '<cache-lookup-value key="missing" variable-name="fallback" default-value="@(&quot;none&quot;)" />' +
        '<set-variable name="has" value="@(context.Variables.ContainsKey(&quot;unset&quot;))" />',
    );
    assert.equal(vars.has('unset'), false);
    assert.equal(vars.get('has'), false);
    assert.equal(vars.get('fallback'), 'none');
  });

  it('keys are expressions; a value expires after duration seconds; cache-remove-value removes it', async () => {
    const { run, clock } = valueGateway();
    await run('<set-variable name="user" value="u1" /><cache-store-value key="@(&quot;profile-&quot; + context.Variables[&quot;user&quot;])" value="p1" duration="10" />');
    assert.equal((await run('<cache-lookup-value key="profile-u1" variable-name="v" />')).get('v'), 'p1');
    clock.advance(10_000);
    assert.equal((await run('<cache-lookup-value key="profile-u1" variable-name="v" />')).has('v'), false);
    await run('<cache-store-value key="k" value="x" duration="60" />');
    const after = await run('<cache-remove-value key="k" /><cache-lookup-value key="k" variable-name="v" />');
    assert.equal(after.has('v'), false);
  });

  it('values of two services never meet in one cache', async () => {
    const { run, internal } = valueGateway();
    await run('<cache-store-value key="shared" value="mine" duration="60" />');
    // Another service on the same cache looks the same key up under its own prefix.
    assert.equal(await internal.get('other-service|value|shared'), undefined);
    assert.ok(await internal.get('gatehouse|value|shared'));
  });

  it('caching-type="internal" uses the built-in cache even when an external one is configured', async () => {
    const internal = new MemoryCacheStore();
    const external = new MemoryCacheStore();
    const caches = { internal, external: () => external };
    const run = (policies: string) => runPolicies({ caches, api: inbound(policies) });
    await run('<cache-store-value key="a" value="1" duration="60" caching-type="internal" /><cache-store-value key="b" value="2" duration="60" />');
    assert.ok(await internal.get('gatehouse|value|a'));
    assert.equal(await internal.get('gatehouse|value|b'), undefined);
    assert.ok(await external.get('gatehouse|value|b'));
  });

  it('refuses what Azure refuses when the document is saved', () => {
    for (const [policy, reason] of [
      ['<cache-lookup-value variable-name="v" />', /key/],
      ['<cache-lookup-value key="k" />', /variable-name/],
      ['<cache-lookup-value key="k" variable-name="@(&quot;v&quot;)" />', /variable-name/],
      ['<cache-store-value key="k" value="v" />', /duration/],
      ['<cache-store-value key="k" duration="1" />', /value/],
      ['<cache-store-value key="k" value="v" duration="1" caching-type="redis" />', /caching-type/],
      ['<cache-remove-value />', /key/],
    ] as const) {
      assert.match(expectCompileError(`<policies><inbound>${policy}</inbound></policies>`).message, reason, policy);
    }
  });
});
