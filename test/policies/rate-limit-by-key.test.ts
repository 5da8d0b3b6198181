import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startEchoBackend, type EchoBackend } from '../../src/main/sample/echo-backend.js';
import type { Subscription } from '../../src/model/resources.js';
import type { Scope } from '../../src/pipeline/gateway-context.js';
import { PolicyCompileError, type PolicyModule } from '../../src/pipeline/policy-module.js';
import { computedValue } from '../../src/pipeline/value.js';
import { policyRegistry } from '../../src/policies/index.js';
import { rateLimitByKey, rateLimitByKeyStep } from '../../src/policies/rate-limit-by-key.js';
import { readRateLimitReporting } from '../../src/policies/rate-limit.js';
import { compileOnly, type HarnessSetup, expectCompileError, sharedCounterGateway } from '../helpers/policy-harness.js';

let backend: EchoBackend;

/**
 * Until policy expressions land, a test-only element builds the real step with per-request
 * values (what an `@(...)` increment-condition/-count compiles to): `status-counts="200"` counts
 * a call only when the backend answered 200; `count="n"` makes increment-count per-request.
 */
const deferredProbe: PolicyModule = {
  name: 'test-deferred-rate-limit-by-key',
  sections: ['inbound'],
  attributes: {
    ...rateLimitByKey.attributes,
    'status-counts': { type: 'integer' },
    count: { type: 'integer' },
  },
  compile(element, ctx) {
    const status = ctx.integer(element, 'status-counts')?.constant;
    const count = ctx.integer(element, 'count')?.constant;
    return rateLimitByKeyStep({
      calls: ctx.integer(element, 'calls')!,
      renewalPeriod: ctx.integer(element, 'renewal-period')!,
      counterKey: ctx.string(element, 'counter-key')!,
      ...(status === undefined ? {} : { incrementCondition: computedValue((gw) => gw.response.statusCode === status) }),
      incrementCount: count === undefined ? ctx.integer(element, 'increment-count')! : computedValue(() => count),
      reporting: readRateLimitReporting(element, ctx),
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

const subA: Subscription = { name: 'sub-a', displayName: 'A', scope: '/apis', primaryKey: 'ka1', secondaryKey: 'ka2', state: 'active' };

const inbound = (policy: string) => `<policies><inbound>${policy}</inbound><backend><forward-request /></backend></policies>`;

function gateway(base: Partial<HarnessSetup> = {}) {
  return sharedCounterGateway({ serviceUrl: backend.url, ...base });
}

const compileError = (xml: string, scope: Scope = 'api'): PolicyCompileError => expectCompileError(xml, scope);

describe('rate-limit-by-key', () => {
  it('limits calls per key value with the 429 body, Retry-After and LastError', async () => {
    const gw = gateway({ api: inbound('<rate-limit-by-key calls="2" renewal-period="60" counter-key="client-1" />') });
    assert.equal((await gw.call()).status, 200);
    assert.equal((await gw.call()).status, 200);
    gw.clock.advance(12_000);
    const r = await gw.call();
    assert.equal(r.status, 429);
    assert.equal(r.body, JSON.stringify({ statusCode: 429, message: 'Rate limit is exceeded. Try again in 48 seconds.' }));
    assert.equal(r.headers.get('Retry-After'), '48');
    assert.equal(r.gw.forwarded, false);
    assert.equal(r.gw.lastError?.source, 'rate-limit-by-key');
    assert.equal(r.gw.lastError?.reason, 'RateLimitExceeded');
    assert.equal(r.gw.lastError?.message, 'Rate limit is exceeded');
    assert.equal(r.gw.lastError?.section, 'inbound');
    assert.equal(r.gw.lastError?.scope, 'api');
  });

  it('applies with or without a subscription', async () => {
    const gw = gateway({ api: inbound('<rate-limit-by-key calls="1" renewal-period="60" counter-key="k" />') });
    assert.equal((await gw.call({ subscription: null })).status, 200);
    assert.equal((await gw.call({ subscription: subA })).status, 429);
  });

  it('keeps one counter per key value, shared by every scope and API that uses it', async () => {
    const doc = (key: string) => inbound(`<rate-limit-by-key calls="2" renewal-period="60" counter-key="${key}" />`);
    const gw = gateway();
    assert.equal((await gw.call({ global: doc('shared') })).status, 200);
    assert.equal((await gw.call({ api: doc('shared'), apiModel: { name: 'other-api' } })).status, 200);
    const third = await gw.call({ operation: doc('shared') });
    assert.equal(third.status, 429);
    assert.equal(third.gw.lastError?.scope, 'operation');
    assert.equal((await gw.call({ api: doc('another-key') })).status, 200);
  });

  it('slides the window and reports exact Retry-After values', async () => {
    const gw = gateway({ api: inbound('<rate-limit-by-key calls="2" renewal-period="20" counter-key="k" />') });
    await gw.call(); // t=0
    gw.clock.advance(5_000);
    await gw.call(); // t=5
    gw.clock.advance(1_000);
    assert.equal((await gw.call()).headers.get('Retry-After'), '14');
    gw.clock.advance(14_000); // t=20: the t=0 call left
    assert.equal((await gw.call()).status, 200);
    assert.equal((await gw.call()).headers.get('Retry-After'), '5');
  });

  it('counts increment-count per call and refuses a call that would overflow', async () => {
    const gw = gateway({ api: inbound('<rate-limit-by-key calls="5" renewal-period="60" counter-key="k" increment-count="2" remaining-calls-header-name="X-Left" />') });
    assert.equal((await gw.call()).headers.get('X-Left'), '3');
    assert.equal((await gw.call()).headers.get('X-Left'), '1');
    const r = await gw.call();
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('X-Left'), '0');
  });

  it('does not count when increment-condition is false, yet refuses while the window is full', async () => {
    const gw = gateway();
    const free = inbound('<rate-limit-by-key calls="1" renewal-period="60" counter-key="k" increment-condition="false" />');
    for (let i = 0; i < 3; i++) assert.equal((await gw.call({ api: free })).status, 200);
    assert.equal((await gw.call({ api: inbound('<rate-limit-by-key calls="1" renewal-period="60" counter-key="k" increment-condition="true" />') })).status, 200);
    gw.clock.advance(30_000);
    const refused = await gw.call({ api: free });
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('Retry-After'), '30');
  });

  it('does not count increment-count="0"', async () => {
    const gw = gateway({ api: inbound('<rate-limit-by-key calls="1" renewal-period="60" counter-key="k" increment-count="0" />') });
    for (let i = 0; i < 3; i++) assert.equal((await gw.call()).status, 200);
  });

  it('reports with custom retry header, retry variable, remaining header/variable and total header', async () => {
    const gw = gateway({
      api: inbound(
        '<rate-limit-by-key calls="2" renewal-period="10" counter-key="k" retry-after-header-name="X-Retry" retry-after-variable-name="retry" ' +
          'remaining-calls-header-name="X-Remaining" remaining-calls-variable-name="remaining" total-calls-header-name="X-Total" />',
      ),
    });
    const one = await gw.call();
    assert.equal(one.headers.get('X-Remaining'), '1');
    assert.equal(one.headers.get('X-Total'), '2');
    assert.equal(one.gw.variables.get('remaining'), 1);
    await gw.call();
    gw.clock.advance(2_000);
    const refused = await gw.call();
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('X-Retry'), '8');
    assert.equal(refused.headers.has('Retry-After'), false);
    assert.equal(refused.gw.variables.get('retry'), 8);
    assert.equal(refused.gw.variables.get('remaining'), 0);
    assert.equal(refused.headers.get('X-Remaining'), '0');
    assert.equal(refused.headers.get('X-Total'), '2');
  });

  it('compiles the VS Code snippet from the corpus (with a literal key until expressions land)', async () => {
    const snippets = JSON.parse(readFileSync(new URL('../fixtures/corpus/policy-snippets/vscode-snippets-xml.json', import.meta.url), 'utf8')) as Record<string, { body: string[] }>;
    const body = snippets['rate-limit-by-key']!.body.join('\n').replace('"@($3)"', '"caller"').replace('${1:number}', '1').replace('${2:seconds}', '60');
    const gw = gateway({ global: inbound(body) });
    assert.equal((await gw.call()).status, 200);
    assert.equal((await gw.call()).status, 429);
  });

  describe('deferred counting (expression increment-condition / increment-count)', () => {
    it('counts only when the condition holds after the response', async () => {
      const gw = gateway({ api: inbound('<test-deferred-rate-limit-by-key calls="2" renewal-period="60" counter-key="k" status-counts="200" />') });
      for (let i = 0; i < 3; i++) assert.equal((await gw.call({}, 'http://gw.test/api/status/500')).status, 500);
      assert.equal((await gw.call()).status, 200);
      assert.equal((await gw.call()).status, 200);
      const r = await gw.call({}, 'http://gw.test/api/status/500');
      assert.equal(r.status, 429);
      assert.equal(r.headers.get('Retry-After'), '60');
    });

    it('reserves calls in flight: concurrent calls on a slow backend never pass the limit', async () => {
      const gw = gateway({ api: inbound('<test-deferred-rate-limit-by-key calls="2" renewal-period="60" counter-key="k" status-counts="200" />') });
      const statuses = await Promise.all(Array.from({ length: 6 }, () => gw.call({}, 'http://gw.test/api/delay/100')));
      assert.deepEqual(statuses.map((r) => r.status).sort(), [200, 200, 429, 429, 429, 429]);
    });

    it('gives back the reservations of calls whose condition turns out false', async () => {
      const gw = gateway({ api: inbound('<test-deferred-rate-limit-by-key calls="2" renewal-period="60" counter-key="k" status-counts="200" />') });
      const failing = await Promise.all([1, 2].map(() => gw.call({}, 'http://gw.test/api/status/500')));
      assert.deepEqual(failing.map((r) => r.status), [500, 500]);
      assert.equal((await gw.call()).status, 200);
      assert.equal((await gw.call()).status, 200);
      assert.equal((await gw.call()).status, 429);
    });

    it('refuses one call later than immediate counting would', async () => {
      const deferred = gateway({ api: inbound('<test-deferred-rate-limit-by-key calls="3" renewal-period="60" counter-key="k" count="2" />') });
      assert.equal((await deferred.call()).status, 200);
      assert.equal((await deferred.call()).status, 200, 'checked before counting: 2 of 3 used');
      assert.equal((await deferred.call()).status, 429);
      const immediate = gateway({ api: inbound('<rate-limit-by-key calls="3" renewal-period="60" counter-key="k" increment-count="2" />') });
      assert.equal((await immediate.call()).status, 200);
      assert.equal((await immediate.call()).status, 429);
    });

    it('writes headers counted after the call and the variable as known at inbound (this call reserved)', async () => {
      const gw = gateway({
        api: inbound(
          '<test-deferred-rate-limit-by-key calls="5" renewal-period="60" counter-key="k" count="2" remaining-calls-header-name="X-Left" remaining-calls-variable-name="left" />',
        ),
      });
      const r = await gw.call();
      assert.equal(r.headers.get('X-Left'), '3');
      assert.equal(r.gw.variables.get('left'), 4, 'the call holds a reservation of 1 while its count is unknown');
    });
  });

  describe('compile errors', () => {
    const cases: Array<[string, string, RegExp, string?]> = [
      ['missing counter-key', '<rate-limit-by-key calls="5" renewal-period="60" />', /required attribute 'counter-key' is missing/],
      ['missing calls', '<rate-limit-by-key renewal-period="60" counter-key="k" />', /required attribute 'calls' is missing/],
      ['missing renewal-period', '<rate-limit-by-key calls="5" counter-key="k" />', /required attribute 'renewal-period' is missing/],
      ['renewal-period over 300', '<rate-limit-by-key calls="5" renewal-period="301" counter-key="k" />', /must be at most 300/],
      ['renewal-period 0', '<rate-limit-by-key calls="5" renewal-period="0" counter-key="k" />', /must be at least 1/],
      ['negative increment-count', '<rate-limit-by-key calls="5" renewal-period="60" counter-key="k" increment-count="-1" />', /'increment-count' must be at least 0/],
      ['increment-condition not boolean', '<rate-limit-by-key calls="5" renewal-period="60" counter-key="k" increment-condition="yes" />', /not a valid boolean/],
      ['bad total header', '<rate-limit-by-key calls="5" renewal-period="60" counter-key="k" total-calls-header-name="a:b" />', /not a valid header name/],
      ['expression in a header name', '<rate-limit-by-key calls="5" renewal-period="60" counter-key="k" retry-after-header-name="@(&quot;x&quot;)" />', /does not accept policy expressions/],
      ['unknown attribute', '<rate-limit-by-key calls="5" renewal-period="60" counter-key="k" bandwidth="1" />', /'bandwidth' attribute is not declared/],
    ];
    for (const [label, policy, expected] of cases) {
      it(`rejects ${label}`, () => assert.match(compileError(inbound(policy)).message, expected));
    }

    it('rejects sections other than inbound', () => {
      for (const section of ['outbound', 'backend', 'on-error']) {
        const err = compileError(`<policies><${section}><rate-limit-by-key calls="5" renewal-period="60" counter-key="k" /></${section}></policies>`);
        assert.match(err.message, new RegExp(`not allowed in the '${section}' section`));
      }
    });

    it('takes expressions where Azure allows them (the expression compiler answers for itself)', () => {
      for (const attr of ['calls', 'renewal-period', 'counter-key', 'increment-condition', 'increment-count']) {
        assert.equal(rateLimitByKey.attributes[attr]?.expression, true, attr);
      }
      for (const attr of ['retry-after-header-name', 'retry-after-variable-name', 'remaining-calls-header-name', 'remaining-calls-variable-name', 'total-calls-header-name']) {
        assert.notEqual(rateLimitByKey.attributes[attr]?.expression, true, attr);
      }
      // Compiles (throws otherwise) with an expression in every attribute that takes one.
      compileOnly(
        inbound(
          '<rate-limit-by-key calls="@(5)" renewal-period="@(60)" counter-key="@(context.Request.IpAddress)" increment-condition="@(true)" increment-count="@(1)" />',
        ),
      );
      const err = compileError(inbound('<rate-limit-by-key calls="5" renewal-period="60" counter-key="k" retry-after-header-name="@(&quot;x&quot;)" />'));
      assert.match(err.message, /does not accept policy expressions/);
    });

    it('is allowed at every scope, several times in a section', () => {
      for (const scope of ['global', 'product', 'api', 'operation'] as const) {
        compileOnly(inbound('<rate-limit-by-key calls="5" renewal-period="60" counter-key="a" /><rate-limit-by-key calls="50" renewal-period="300" counter-key="b" />'), scope);
      }
    });
  });
});
