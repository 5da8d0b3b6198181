import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import type { Scope } from '../../src/pipeline/gateway-context.js';
import { PolicyCompileError, type PolicyModule } from '../../src/pipeline/policy-module.js';
import { computedValue } from '../../src/pipeline/value.js';
import { policyRegistry } from '../../src/policies/index.js';
import { quotaByKey, quotaByKeyStep } from '../../src/policies/quota-by-key.js';
import { compileOnly, type HarnessSetup, expectCompileError, sharedCounterGateway } from '../helpers/policy-harness.js';

let backend: EchoBackend;

/**
 * Until policy expressions land, a test-only element builds the real step with a per-request
 * increment-condition (what `@(context.Response.StatusCode == 200)` compiles to).
 */
const deferredProbe: PolicyModule = {
  name: 'test-deferred-quota-by-key',
  sections: ['inbound'],
  attributes: { ...quotaByKey.attributes, 'status-counts': { type: 'integer', required: true } },
  compile(element, ctx) {
    const status = ctx.integer(element, 'status-counts')!.constant!;
    const calls = ctx.integer(element, 'calls')?.constant;
    const bandwidth = ctx.integer(element, 'bandwidth')?.constant;
    return quotaByKeyStep({
      ...(calls === undefined ? {} : { calls }),
      ...(bandwidth === undefined ? {} : { bandwidth }),
      counterKey: ctx.string(element, 'counter-key')!,
      incrementCondition: computedValue((gw) => gw.response.statusCode === status),
      incrementCount: ctx.integer(element, 'increment-count')!,
      renewalPeriod: ctx.integer(element, 'renewal-period')!.constant!,
      firstPeriodStart: Date.parse(ctx.string(element, 'first-period-start')!.constant!),
    });
  },
};

before(async () => {
  backend = await startEchoBackend();
  (policyRegistry as Map<string, PolicyModule>).set(deferredProbe.name, deferredProbe);
});
after(async () => {
  (policyRegistry as Map<string, PolicyModule>).delete(deferredProbe.name);
  await backend.close();
});

const t0 = Date.UTC(2026, 0, 1);
const inbound = (policy: string) => `<policies><inbound>${policy}</inbound><backend><forward-request /></backend></policies>`;

function gateway(base: Partial<HarnessSetup> = {}) {
  return sharedCounterGateway({ serviceUrl: backend.url, ...base }, t0);
}

const compileError = (xml: string, scope: Scope = 'api'): PolicyCompileError => expectCompileError(xml, scope);

describe('quota-by-key', () => {
  it('limits calls per key per period with the 403 body, Retry-After and LastError', async () => {
    const gw = gateway({ api: inbound('<quota-by-key calls="2" renewal-period="3600" counter-key="client-1" />') });
    assert.equal((await gw.call()).status, 200);
    assert.equal((await gw.call()).status, 200);
    gw.clock.advance(61_000);
    const r = await gw.call();
    assert.equal(r.status, 403);
    const message = 'Out of call volume quota. Quota will be replenished in 00:58:59.';
    assert.equal(r.body, JSON.stringify({ statusCode: 403, message }));
    assert.equal(r.headers.get('Retry-After'), '3539');
    assert.equal(r.gw.forwarded, false);
    assert.equal(r.gw.lastError?.source, 'quota-by-key');
    assert.equal(r.gw.lastError?.reason, 'QuotaExceeded');
    assert.equal(r.gw.lastError?.message, message);
    assert.equal(r.gw.lastError?.scope, 'api');
  });

  it('counts periods from first-period-start and renews at each boundary', async () => {
    const gw = gateway({ api: inbound(`<quota-by-key calls="1" renewal-period="300" counter-key="k" first-period-start="${new Date(t0 - 100_000).toISOString().replace('.000', '')}" />`) });
    await gw.call();
    const r = await gw.call();
    assert.equal(r.json<{ message: string }>().message, 'Out of call volume quota. Quota will be replenished in 00:03:20.');
    assert.equal(r.headers.get('Retry-After'), '200');
    gw.clock.advance(200_000);
    assert.equal((await gw.call()).status, 200);
    assert.equal((await gw.call()).headers.get('Retry-After'), '300');
  });

  it('aligns periods to 0001-01-01 by default', async () => {
    const gw = gateway({ api: inbound('<quota-by-key calls="1" renewal-period="86400" counter-key="k" />') });
    gw.clock.advance(6 * 3_600_000);
    await gw.call();
    // Days since 0001-01-01 are whole, so the period is the UTC day: 18 hours left.
    assert.equal((await gw.call()).json<{ message: string }>().message, 'Out of call volume quota. Quota will be replenished in 18:00:00.');
  });

  it('never renews with renewal-period 0', async () => {
    const gw = gateway({ api: inbound('<quota-by-key calls="1" renewal-period="0" counter-key="k" />') });
    await gw.call();
    gw.clock.advance(1_000 * 86_400_000);
    const r = await gw.call();
    assert.equal(r.body, JSON.stringify({ statusCode: 403, message: 'Out of call volume quota.' }));
    assert.equal(r.headers.has('Retry-After'), false);
  });

  it('applies with or without a subscription, one counter per key value across scopes and APIs', async () => {
    const doc = (key: string) => inbound(`<quota-by-key calls="2" renewal-period="300" counter-key="${key}" />`);
    const gw = gateway();
    assert.equal((await gw.call({ global: doc('shared'), subscription: null })).status, 200);
    assert.equal((await gw.call({ api: doc('shared'), apiModel: { name: 'other' } })).status, 200);
    const third = await gw.call({ operation: doc('shared') });
    assert.equal(third.status, 403);
    assert.equal(third.gw.lastError?.scope, 'operation');
    assert.equal((await gw.call({ api: doc('other-key') })).status, 200);
  });

  it('counts a key value once per request when several policies use it', async () => {
    const policy = '<quota-by-key calls="2" renewal-period="300" counter-key="k" />';
    const gw = gateway({ api: inbound(`<base />${policy}`), operation: inbound(`<base />${policy}`), global: inbound(policy) });
    assert.equal((await gw.call()).status, 200);
    assert.equal((await gw.call()).status, 200, 'three policies, one count per request');
    const r = await gw.call();
    assert.equal(r.status, 403);
    assert.equal(r.gw.lastError?.scope, 'global', 'the first policy to run refuses');
  });

  it('counts increment-count per call', async () => {
    const gw = gateway({ api: inbound('<quota-by-key calls="5" renewal-period="300" counter-key="k" increment-count="3" />') });
    assert.equal((await gw.call()).status, 200);
    assert.equal((await gw.call()).status, 200, '3 of 5 used: the check comes before the count');
    assert.equal((await gw.call()).status, 403);
  });

  it('does not count when increment-condition is false, yet refuses once the quota is used', async () => {
    const gw = gateway();
    const free = inbound('<quota-by-key calls="1" renewal-period="300" counter-key="k" increment-condition="false" />');
    for (let i = 0; i < 3; i++) assert.equal((await gw.call({ api: free })).status, 200);
    await gw.call({ api: inbound('<quota-by-key calls="1" renewal-period="300" counter-key="k" increment-condition="true" />') });
    assert.equal((await gw.call({ api: free })).status, 403);
  });

  it('counts bandwidth (request + response kilobytes) after the response', async () => {
    const gw = gateway({ api: inbound('<quota-by-key bandwidth="1" renewal-period="300" counter-key="k" />') });
    const first = await gw.call({}, { method: 'POST', url: 'http://gw.test/api/status/200', body: 'x'.repeat(1000) });
    assert.equal(first.status, 200);
    assert.equal((await gw.call({}, { url: 'http://gw.test/api/bytes/10' })).status, 200, '1014 of 1024 bytes used');
    const r = await gw.call({}, { url: 'http://gw.test/api/bytes/9' });
    assert.equal(r.status, 403);
    assert.equal(r.json<{ message: string }>().message, 'Out of bandwidth quota. Quota will be replenished in 00:05:00.');
    assert.equal(r.headers.get('Retry-After'), '300');
  });

  it('compiles and applies the VS Code snippet from the corpus (with a literal key until expressions land)', async () => {
    const snippets = JSON.parse(readFileSync(new URL('../fixtures/corpus/policy-snippets/vscode-snippets-xml.json', import.meta.url), 'utf8')) as Record<string, { body: string[] }>;
    const xml = snippets['quota-by-key']!.body
      .join('\n')
      .replace('"@($4)"', '"caller"')
      .replace('${1:number}', '1')
      .replace('${2:kilobytes}', '100')
      .replace('$3', '3600');
    const gw = gateway({ global: inbound(xml) });
    assert.equal((await gw.call()).status, 200);
    assert.equal((await gw.call()).status, 403);
  });

  describe('deferred counting (expression increment-condition)', () => {
    it('counts only calls whose response satisfies the condition', async () => {
      const gw = gateway({ api: inbound('<test-deferred-quota-by-key calls="2" renewal-period="300" counter-key="k" status-counts="200" />') });
      for (let i = 0; i < 3; i++) assert.equal((await gw.call({}, { url: 'http://gw.test/api/status/500' })).status, 500);
      assert.equal((await gw.call()).status, 200);
      assert.equal((await gw.call()).status, 200);
      assert.equal((await gw.call({}, { url: 'http://gw.test/api/status/500' })).status, 403);
    });

    it('reserves calls in flight: concurrent calls on a slow backend never pass the limit', async () => {
      const gw = gateway({ api: inbound('<test-deferred-quota-by-key calls="2" renewal-period="300" counter-key="k" status-counts="200" />') });
      const statuses = await Promise.all(Array.from({ length: 6 }, () => gw.call({}, { url: 'http://gw.test/api/delay/100' })));
      assert.deepEqual(statuses.map((r) => r.status).sort(), [200, 200, 403, 403, 403, 403]);
    });

    it('gives back the reservations of calls whose condition turns out false', async () => {
      const gw = gateway({ api: inbound('<test-deferred-quota-by-key calls="2" renewal-period="300" counter-key="k" status-counts="200" />') });
      const failing = await Promise.all([1, 2].map(() => gw.call({}, { url: 'http://gw.test/api/status/500' })));
      assert.deepEqual(failing.map((r) => r.status), [500, 500]);
      assert.equal((await gw.call()).status, 200);
      assert.equal((await gw.call()).status, 200);
      assert.equal((await gw.call()).status, 403);
    });

    it('counts bandwidth only for calls that satisfy the condition', async () => {
      const gw = gateway({ api: inbound('<test-deferred-quota-by-key bandwidth="1" renewal-period="300" counter-key="k" status-counts="200" />') });
      for (let i = 0; i < 3; i++) await gw.call({}, { method: 'POST', url: 'http://gw.test/api/status/404', body: 'x'.repeat(2000) });
      assert.equal((await gw.call({}, { url: 'http://gw.test/api/bytes/1024' })).status, 200);
      assert.equal((await gw.call()).status, 403);
    });
  });

  describe('compile errors', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['missing counter-key', '<quota-by-key calls="5" renewal-period="300" />', /required attribute 'counter-key' is missing/],
      ['neither calls nor bandwidth', '<quota-by-key renewal-period="300" counter-key="k" />', /Either 'calls' or 'bandwidth'/],
      ['missing renewal-period', '<quota-by-key calls="5" counter-key="k" />', /required attribute 'renewal-period' is missing/],
      ['renewal-period under 300', '<quota-by-key calls="5" renewal-period="299" counter-key="k" />', /must be 0 \(never renew\) or at least 300/],
      ['negative renewal-period', '<quota-by-key calls="5" renewal-period="-300" counter-key="k" />', /must be at least 0/],
      ['negative bandwidth', '<quota-by-key bandwidth="-1" renewal-period="300" counter-key="k" />', /'bandwidth' must be at least 0/],
      ['bad first-period-start', '<quota-by-key calls="5" renewal-period="300" counter-key="k" first-period-start="yesterday" />', /'first-period-start' is not a date-time/],
      ['impossible first-period-start', '<quota-by-key calls="5" renewal-period="300" counter-key="k" first-period-start="2026-13-40T00:00:00Z" />', /is not a date-time/],
      ['expression in calls', '<quota-by-key calls="@(5)" renewal-period="300" counter-key="k" />', /does not accept policy expressions/],
      ['expression in renewal-period', '<quota-by-key calls="5" renewal-period="@(300)" counter-key="k" />', /does not accept policy expressions/],
      ['unknown attribute', '<quota-by-key calls="5" renewal-period="300" counter-key="k" retry-after-header-name="X" />', /'retry-after-header-name' attribute is not declared/],
    ];
    for (const [label, policy, expected] of cases) {
      it(`rejects ${label}`, () => assert.match(compileError(inbound(policy)).message, expected));
    }

    it('rejects sections other than inbound', () => {
      for (const section of ['outbound', 'backend', 'on-error']) {
        const err = compileError(`<policies><${section}><quota-by-key calls="5" renewal-period="300" counter-key="k" /></${section}></policies>`);
        assert.match(err.message, new RegExp(`not allowed in the '${section}' section`));
      }
    });

    it('accepts every scope, renewal-period 0 and 300, and offsets in first-period-start', () => {
      for (const scope of ['global', 'product', 'api', 'operation'] as const) {
        compileOnly(inbound('<quota-by-key calls="5" renewal-period="0" counter-key="k" /><quota-by-key bandwidth="5" renewal-period="300" counter-key="k" first-period-start="2026-01-01T08:00:00+02:00" />'), scope);
      }
    });

    it('takes expressions only in counter-key, increment-condition and increment-count', () => {
      const withExpressions = Object.entries(quotaByKey.attributes).filter(([, spec]) => spec.expression).map(([name]) => name).sort();
      assert.deepEqual(withExpressions, ['counter-key', 'increment-condition', 'increment-count']);
    });
  });
});
