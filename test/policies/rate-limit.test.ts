import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Subscription } from '../../src/model/resources.js';
import { PolicyCompileError } from '../../src/pipeline/policy-module.js';
import type { Scope } from '../../src/pipeline/gateway-context.js';
import { compileOnly, type HarnessSetup, expectCompileError, useEchoBackend, sharedCounterGateway } from '../helpers/policy-harness.js';

const backend = useEchoBackend();

const subA: Subscription = { name: 'sub-a', displayName: 'A', scope: '/apis', primaryKey: 'ka1', secondaryKey: 'ka2', state: 'active' };
const subB: Subscription = { name: 'sub-b', displayName: 'B', scope: '/apis', primaryKey: 'kb1', secondaryKey: 'kb2', state: 'active' };

const inbound = (policy: string) => `<policies><inbound>${policy}</inbound><backend><forward-request /></backend></policies>`;

/** A gateway of shared counters and clock: several calls see one another's counts. */
function gateway(base: Partial<HarnessSetup> = {}) {
  return sharedCounterGateway({ serviceUrl: backend.url, subscription: subA, ...base });
}

const compileError = (xml: string, scope: Scope = 'api'): PolicyCompileError => expectCompileError(xml, scope);

describe('rate-limit', () => {
  it('lets `calls` calls through per renewal period, then answers 429 with Azure body and Retry-After', async () => {
    const gw = gateway({ api: inbound('<rate-limit calls="3" renewal-period="60" />') });
    for (let i = 0; i < 3; i++) {
      const ok = await gw.call();
      assert.equal(ok.status, 200);
      assert.equal(ok.gw.forwarded, true);
    }
    gw.clock.advance(3_000);
    const r = await gw.call();
    assert.equal(r.status, 429);
    assert.equal(r.body, JSON.stringify({ statusCode: 429, message: 'Rate limit is exceeded. Try again in 57 seconds.' }));
    assert.equal(r.headers.get('Retry-After'), '57');
    assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(r.gw.forwarded, false, 'a refused call never reaches the backend');
    assert.deepEqual(
      { ...r.gw.lastError },
      {
        source: 'rate-limit',
        reason: 'RateLimitExceeded',
        message: 'Rate limit is exceeded',
        scope: 'api',
        section: 'inbound',
        path: 'rate-limit[1]',
        policyId: undefined,
      },
    );
  });

  it('slides the window: each call frees its slot renewal-period seconds after it was made', async () => {
    const gw = gateway({ api: inbound('<rate-limit calls="2" renewal-period="10" />') });
    assert.equal((await gw.call()).status, 200); // t=0
    gw.clock.advance(4_000);
    assert.equal((await gw.call()).status, 200); // t=4
    gw.clock.advance(2_500);
    const full = await gw.call(); // t=6.5: the t=0 call leaves at 10 → 3.5 s → 4
    assert.equal(full.status, 429);
    assert.equal(full.headers.get('Retry-After'), '4');
    gw.clock.advance(3_500);
    assert.equal((await gw.call()).status, 200); // t=10
    const next = await gw.call(); // t=10: the t=4 call leaves at 14
    assert.equal(next.status, 429);
    assert.equal(next.json<{ message: string }>().message, 'Rate limit is exceeded. Try again in 4 seconds.');
    gw.clock.advance(4_000);
    assert.equal((await gw.call()).status, 200);
  });

  it('does not count refused calls', async () => {
    const gw = gateway({ api: inbound('<rate-limit calls="1" renewal-period="5" />') });
    await gw.call();
    for (let i = 0; i < 3; i++) {
      gw.clock.advance(1_000);
      assert.equal((await gw.call()).status, 429);
    }
    gw.clock.advance(2_000); // t=5: only the first call ever counted
    assert.equal((await gw.call()).status, 200);
  });

  it('passes calls without a subscription (reference §1.4)', async () => {
    const gw = gateway({ api: inbound('<rate-limit calls="1" renewal-period="60" />'), subscription: null });
    for (let i = 0; i < 3; i++) assert.equal((await gw.call()).status, 200);
  });

  it('counts each subscription separately', async () => {
    const gw = gateway({ api: inbound('<rate-limit calls="1" renewal-period="60" />') });
    assert.equal((await gw.call({ subscription: subA })).status, 200);
    assert.equal((await gw.call({ subscription: subA })).status, 429);
    assert.equal((await gw.call({ subscription: subB })).status, 200);
  });

  it('counts each policy definition separately: other APIs, products and operations do not share', async () => {
    const doc = inbound('<rate-limit calls="1" renewal-period="60" />');
    const gw = gateway();
    assert.equal((await gw.call({ api: doc, apiModel: { name: 'api-one' } })).status, 200);
    assert.equal((await gw.call({ api: doc, apiModel: { name: 'api-one' } })).status, 429);
    assert.equal((await gw.call({ api: doc, apiModel: { name: 'api-two' } })).status, 200);
    const product = (name: string) => ({ name, displayName: name, subscriptionRequired: true, state: 'published' as const, apis: [], groups: [] });
    assert.equal((await gw.call({ product: doc, productModel: product('gold') })).status, 200);
    assert.equal((await gw.call({ product: doc, productModel: product('gold') })).status, 429);
    assert.equal((await gw.call({ product: doc, productModel: product('silver') })).status, 200);
    const op = (name: string) => ({ name, displayName: name, method: 'GET', urlTemplate: '/*' });
    assert.equal((await gw.call({ operation: doc, operationModel: op('get-a') })).status, 200);
    assert.equal((await gw.call({ operation: doc, operationModel: op('get-a') })).status, 429);
    assert.equal((await gw.call({ operation: doc, operationModel: op('get-b') })).status, 200);
    // The same API with the same limit at product and API scope: two definitions, two counters.
    const both = gateway({ product: doc.replace('<inbound>', '<inbound><base />'), api: doc.replace('<inbound>', '<inbound><base />'), productModel: product('gold') });
    assert.equal((await both.call()).status, 200);
    const second = await both.call();
    assert.equal(second.status, 429);
    assert.equal(second.gw.lastError?.scope, 'product');
  });

  it('uses retry-after-header-name instead of Retry-After and sets retry-after-variable-name', async () => {
    const gw = gateway({
      api: inbound('<rate-limit calls="1" renewal-period="30" retry-after-header-name="X-Wait" retry-after-variable-name="wait" />'),
    });
    const first = await gw.call();
    assert.equal(first.gw.variables.has('wait'), false);
    gw.clock.advance(10_500);
    const r = await gw.call();
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('X-Wait'), '20');
    assert.equal(r.headers.has('Retry-After'), false);
    assert.equal(r.gw.variables.get('wait'), 20);
  });

  it('reports remaining and total calls in headers and a variable, on success and on 429', async () => {
    const gw = gateway({
      api: inbound(
        '<rate-limit calls="2" renewal-period="60" remaining-calls-header-name="X-Remaining" remaining-calls-variable-name="left" total-calls-header-name="X-Total" />',
      ),
    });
    const one = await gw.call();
    assert.equal(one.headers.get('X-Remaining'), '1');
    assert.equal(one.headers.get('X-Total'), '2');
    assert.equal(one.gw.variables.get('left'), 1);
    const two = await gw.call();
    assert.equal(two.headers.get('X-Remaining'), '0');
    assert.equal(two.gw.variables.get('left'), 0);
    const three = await gw.call();
    assert.equal(three.status, 429);
    assert.equal(three.headers.get('X-Remaining'), '0');
    assert.equal(three.headers.get('X-Total'), '2');
    assert.equal(three.gw.variables.get('left'), 0);
  });

  describe('api and operation children', () => {
    const doc = inbound(
      '<rate-limit calls="4" renewal-period="60" remaining-calls-header-name="X-Remaining" total-calls-header-name="X-Total">' +
        '<api name="Orders API" calls="2" renewal-period="30">' +
        '<operation name="List orders" calls="1" renewal-period="10" />' +
        '</api></rate-limit>',
    );
    const orders = { name: 'orders', displayName: 'Orders API' };
    const list = { name: 'list', displayName: 'List orders', method: 'GET', urlTemplate: '/*' };
    const get = { name: 'get', displayName: 'Get order', method: 'GET', urlTemplate: '/*' };

    it('applies an operation limit, its API limit and the policy limit independently', async () => {
      const gw = gateway({ product: doc });
      const first = await gw.call({ apiModel: orders, operationModel: list });
      assert.equal(first.status, 200);
      // The tightest limit is reported: the operation's 1 call, none left.
      assert.equal(first.headers.get('X-Remaining'), '0');
      assert.equal(first.headers.get('X-Total'), '1');
      gw.clock.advance(1_000);
      const opFull = await gw.call({ apiModel: orders, operationModel: list });
      assert.equal(opFull.status, 429);
      assert.equal(opFull.headers.get('Retry-After'), '9');
      // Another operation of the API is held only by the API limit (2 per 30 s).
      const other = await gw.call({ apiModel: orders, operationModel: get });
      assert.equal(other.status, 200);
      const apiFull = await gw.call({ apiModel: orders, operationModel: get });
      assert.equal(apiFull.status, 429);
      assert.equal(apiFull.headers.get('Retry-After'), '29');
      // Other APIs only see the policy limit: 4 per 60 s, of which 2 were used.
      assert.equal((await gw.call({ apiModel: { name: 'billing', displayName: 'Billing' } })).status, 200);
      assert.equal((await gw.call({ apiModel: { name: 'billing', displayName: 'Billing' } })).status, 200);
      const topFull = await gw.call({ apiModel: { name: 'billing', displayName: 'Billing' } });
      assert.equal(topFull.status, 429);
      assert.equal(topFull.headers.get('Retry-After'), '59');
    });

    it('counts a call refused by one limit against none of them', async () => {
      const gw = gateway({ product: doc });
      await gw.call({ apiModel: orders, operationModel: list });
      for (let i = 0; i < 3; i++) assert.equal((await gw.call({ apiModel: orders, operationModel: list })).status, 429);
      // Still one API slot free: the refused operation calls did not take it.
      assert.equal((await gw.call({ apiModel: orders, operationModel: get })).status, 200);
    });

    it('matches by id, and id wins over name', async () => {
      const byId = inbound(
        '<rate-limit calls="10" renewal-period="60"><api id="orders" name="Not the name" calls="1" renewal-period="60">' +
          '<operation id="list" name="Nope" calls="1" renewal-period="60" /></api></rate-limit>',
      );
      const gw = gateway({ api: byId });
      assert.equal((await gw.call({ apiModel: { name: 'orders;rev=3', displayName: 'Orders API' }, operationModel: list })).status, 200);
      assert.equal((await gw.call({ apiModel: { name: 'orders;rev=3', displayName: 'Orders API' }, operationModel: get })).status, 429);
      const nameOnlyMismatch = inbound(
        '<rate-limit calls="10" renewal-period="60"><api id="billing" name="Orders API" calls="1" renewal-period="60" /></rate-limit>',
      );
      const gw2 = gateway({ api: nameOnlyMismatch });
      for (let i = 0; i < 3; i++) assert.equal((await gw2.call({ apiModel: orders })).status, 200);
    });

    it('lets a child inherit the renewal period (the VS Code snippet leaves it out)', async () => {
      const snippets = JSON.parse(readFileSync(new URL('../fixtures/corpus/policy-snippets/vscode-snippets-xml.json', import.meta.url), 'utf8')) as Record<string, { body: string[] }>;
      const filled = fillSnippet(snippets['rate-limit']!.body.join('\n'), { 1: '5', 2: '20', 3: 'Orders API', 4: '2', 5: 'List orders', 6: '1' });
      const gw = gateway({ api: inbound(filled) });
      await gw.call({ apiModel: orders, operationModel: list });
      gw.clock.advance(5_000);
      const r = await gw.call({ apiModel: orders, operationModel: list });
      assert.equal(r.status, 429);
      assert.equal(r.headers.get('Retry-After'), '15');
    });
  });

  describe('compile errors', () => {
    const cases: Array<[string, string, RegExp, Scope?]> = [
      ['missing calls', '<rate-limit renewal-period="60" />', /required attribute 'calls' is missing/],
      ['missing renewal-period', '<rate-limit calls="5" />', /required attribute 'renewal-period' is missing/],
      ['renewal-period over 300', '<rate-limit calls="5" renewal-period="301" />', /'renewal-period' must be at most 300/],
      ['renewal-period 0', '<rate-limit calls="5" renewal-period="0" />', /'renewal-period' must be at least 1/],
      ['negative calls', '<rate-limit calls="-1" renewal-period="60" />', /'calls' must be at least 0/],
      ['calls not a number', '<rate-limit calls="many" renewal-period="60" />', /'many' of attribute 'calls' is not a valid integer/],
      ['expression in calls', '<rate-limit calls="@(5)" renewal-period="60" />', /'calls' attribute does not accept policy expressions/],
      ['unknown attribute', '<rate-limit calls="5" renewal-period="60" counter-key="x" />', /'counter-key' attribute is not declared/],
      ['bad header name', '<rate-limit calls="5" renewal-period="60" remaining-calls-header-name="X Remaining" />', /not a valid header name/],
      ['bad retry header name', '<rate-limit calls="5" renewal-period="60" retry-after-header-name="" />', /not a valid header name/],
      ['unknown child', '<rate-limit calls="5" renewal-period="60"><product name="x" calls="1" /></rate-limit>', /'product' is not allowed in 'rate-limit'/],
      ['operation outside api', '<rate-limit calls="5" renewal-period="60"><operation name="x" calls="1" /></rate-limit>', /'operation' is not allowed/],
      ['api without name or id', '<rate-limit calls="5" renewal-period="60"><api calls="1" /></rate-limit>', /needs a 'name' or an 'id'/],
      ['api without calls', '<rate-limit calls="5" renewal-period="60"><api name="a" /></rate-limit>', /required attribute 'calls' is missing on 'api'/],
      ['api renewal-period over 300', '<rate-limit calls="5" renewal-period="60"><api name="a" calls="1" renewal-period="900" /></rate-limit>', /must be at most 300/],
      ['unknown api attribute', '<rate-limit calls="5" renewal-period="60"><api name="a" calls="1" bandwidth="4" /></rate-limit>', /'bandwidth' attribute is not declared on 'api'/],
      ['nested under operation', '<rate-limit calls="5" renewal-period="60"><api name="a" calls="1"><operation name="o" calls="1"><api name="b" calls="1" /></operation></api></rate-limit>', /no child elements/],
      ['twice in a section', '<rate-limit calls="5" renewal-period="60" /><rate-limit calls="1" renewal-period="1" />', /only once/],
      ['global scope', '<rate-limit calls="5" renewal-period="60" />', /not allowed at the 'global' scope/, 'global'],
    ];
    for (const [label, policy, expected, scope] of cases) {
      it(`rejects ${label}`, () => {
        const err = compileError(inbound(policy), scope ?? 'api');
        assert.match(err.message, expected);
        assert.match(err.message, /^Error in element '(rate-limit|api|operation|product)' on line \d+, column \d+: /);
      });
    }

    it('rejects the outbound, backend and on-error sections', () => {
      for (const section of ['outbound', 'backend', 'on-error']) {
        const err = compileError(`<policies><${section}><rate-limit calls="5" renewal-period="60" /></${section}></policies>`);
        assert.match(err.message, new RegExp(`not allowed in the '${section}' section`));
      }
    });

    it('accepts product, API and operation scopes and named values', () => {
      for (const scope of ['product', 'api', 'operation'] as const) compileOnly(inbound('<rate-limit calls="5" renewal-period="60" />'), scope);
      compileOnly(inbound('<rate-limit calls="{{limit}}" renewal-period="60" />'), 'api', { namedValues: { limit: '7' } });
    });
  });
});

/** Fills VS Code snippet placeholders (`${1:hint}`, `$1`) with values by number. */
function fillSnippet(body: string, values: Record<number, string>): string {
  return body.replace(/\$\{(\d+)(?::[^}]*)?\}|\$(\d+)/g, (_m, a: string | undefined, b: string | undefined) => values[Number(a ?? b)] ?? '');
}
