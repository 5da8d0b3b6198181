import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Product, Subscription } from '../../src/model/resources.js';
import type { Scope } from '../../src/pipeline/gateway-context.js';
import { PolicyCompileError } from '../../src/pipeline/policy-module.js';
import { Readable } from 'node:stream';
import { MessageBody } from '../../src/pipeline/message-body.js';
import { BandwidthMeter, formatReplenishTime, quotaPeriod } from '../../src/policies/quota.js';
import { compileOnly, type HarnessSetup, expectCompileError, useEchoBackend, sharedCounterGateway } from '../helpers/policy-harness.js';

const backend = useEchoBackend();

const t0 = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();
const subscription = (name: string, extra: Partial<Subscription> = {}): Subscription => ({
  name,
  displayName: name,
  scope: '/products/gold',
  primaryKey: `${name}-1`,
  secondaryKey: `${name}-2`,
  state: 'active',
  ...extra,
});
/** Started 1000 s before the test clock: a 3600 s period has 2600 s left. */
const subA = subscription('sub-a', { startDate: iso(t0 - 1_000_000) });
const gold: Product = { name: 'gold', displayName: 'Gold', subscriptionRequired: true, state: 'published', apis: ['test-api'], groups: [] };

const inbound = (policy: string) => `<policies><inbound>${policy}</inbound><backend><forward-request /></backend></policies>`;

function gateway(base: Partial<HarnessSetup> = {}) {
  return sharedCounterGateway({ serviceUrl: backend.url, subscription: subA, productModel: gold, ...base }, t0);
}

const compileError = (xml: string, scope: Scope = 'product'): PolicyCompileError => expectCompileError(xml, scope);

describe('quota', () => {
  it('allows `calls` calls per period, then answers 403 with the replenish time and Retry-After', async () => {
    const gw = gateway({ product: inbound('<quota calls="2" renewal-period="3600" />') });
    assert.equal((await gw.call()).status, 200);
    assert.equal((await gw.call()).status, 200);
    const r = await gw.call();
    assert.equal(r.status, 403);
    const message = 'Out of call volume quota. Quota will be replenished in 00:43:20.';
    assert.equal(r.body, JSON.stringify({ statusCode: 403, message }));
    assert.equal(r.headers.get('Retry-After'), '2600');
    assert.match(r.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(r.gw.forwarded, false);
    assert.equal(r.gw.lastError?.source, 'quota');
    assert.equal(r.gw.lastError?.reason, 'QuotaExceeded');
    assert.equal(r.gw.lastError?.message, message);
    assert.equal(r.gw.lastError?.scope, 'product');
    assert.equal(r.gw.lastError?.section, 'inbound');
  });

  it('counts each admitted call as it is checked: concurrent calls never pass the limit', async () => {
    const gw = gateway({ product: inbound('<quota calls="2" renewal-period="3600" />') });
    const statuses = await Promise.all(Array.from({ length: 5 }, () => gw.call()));
    assert.deepEqual(statuses.map((r) => r.status).sort(), [200, 200, 403, 403, 403]);
  });

  it('renews at the end of each fixed period counted from the subscription start', async () => {
    const gw = gateway({ product: inbound('<quota calls="1" renewal-period="3600" />') });
    await gw.call();
    gw.clock.advance(2_599_000);
    const late = await gw.call();
    assert.equal(late.status, 403);
    assert.equal(late.headers.get('Retry-After'), '1');
    assert.equal(late.json<{ message: string }>().message, 'Out of call volume quota. Quota will be replenished in 00:00:01.');
    gw.clock.advance(1_000); // the period boundary
    assert.equal((await gw.call()).status, 200);
    assert.equal((await gw.call()).headers.get('Retry-After'), '3600');
  });

  it('prints days as .NET does (d.hh:mm:ss) and rounds partial seconds up', async () => {
    const gw = gateway({ product: inbound('<quota calls="1" renewal-period="259200" />'), subscription: subscription('s', { startDate: iso(t0) }) });
    await gw.call();
    const r = await gw.call();
    assert.equal(r.json<{ message: string }>().message, 'Out of call volume quota. Quota will be replenished in 3.00:00:00.');
    assert.equal(r.headers.get('Retry-After'), '259200');
    gw.clock.advance(1_500);
    const later = await gw.call();
    assert.equal(later.json<{ message: string }>().message, 'Out of call volume quota. Quota will be replenished in 2.23:59:59.');
    assert.equal(later.headers.get('Retry-After'), '259199');
  });

  it('never renews with renewal-period 0 and promises no replenish time', async () => {
    const gw = gateway({ product: inbound('<quota calls="1" renewal-period="0" />') });
    await gw.call();
    gw.clock.advance(400 * 24 * 3_600_000);
    const r = await gw.call();
    assert.equal(r.status, 403);
    assert.equal(r.body, JSON.stringify({ statusCode: 403, message: 'Out of call volume quota.' }));
    assert.equal(r.headers.has('Retry-After'), false);
  });

  it('anchors periods at createdDate without startDate, and at 0001-01-01 without either', async () => {
    const created = gateway({ product: inbound('<quota calls="1" renewal-period="600" />'), subscription: subscription('c', { createdDate: iso(t0 - 60_000) }) });
    await created.call();
    assert.equal((await created.call()).headers.get('Retry-After'), '540');
    const bare = gateway({ product: inbound('<quota calls="1" renewal-period="7" />'), subscription: subscription('b') });
    await bare.call();
    const expected = quotaPeriod(Date.parse('0001-01-01T00:00:00Z'), 7, t0).end - t0;
    assert.equal((await bare.call()).headers.get('Retry-After'), String(Math.ceil(expected / 1000)));
  });

  it('passes calls without a subscription and counts each subscription separately', async () => {
    const gw = gateway({ product: inbound('<quota calls="1" renewal-period="3600" />') });
    for (let i = 0; i < 3; i++) assert.equal((await gw.call({ subscription: null })).status, 200);
    assert.equal((await gw.call()).status, 200);
    assert.equal((await gw.call()).status, 403);
    assert.equal((await gw.call({ subscription: subscription('sub-b', { startDate: iso(t0) }) })).status, 200);
  });

  it('keeps products apart', async () => {
    const gw = gateway({ product: inbound('<quota calls="1" renewal-period="3600" />') });
    assert.equal((await gw.call()).status, 200);
    assert.equal((await gw.call({ productModel: { ...gold, name: 'silver' } })).status, 200);
    assert.equal((await gw.call()).status, 403);
  });

  describe('bandwidth', () => {
    it('counts response kilobytes after the response and refuses once the quota is used', async () => {
      const gw = gateway({ product: inbound('<quota bandwidth="2" renewal-period="3600" />') });
      const first = await gw.call({}, { url: 'http://gw.test/api/bytes/1500' });
      assert.equal(first.status, 200);
      assert.equal(first.body.length, 1500, 'the counted body still reaches the client whole');
      assert.equal((await gw.call({}, { url: 'http://gw.test/api/bytes/1000' })).status, 200, '1500 of 2048 bytes used');
      const r = await gw.call({}, { url: 'http://gw.test/api/bytes/10' });
      assert.equal(r.status, 403);
      const message = 'Out of bandwidth quota. Quota will be replenished in 00:43:20.';
      assert.equal(r.body, JSON.stringify({ statusCode: 403, message }));
      assert.equal(r.headers.get('Retry-After'), '2600');
      assert.equal(r.gw.lastError?.message, message);
      assert.equal(r.gw.lastError?.reason, 'QuotaExceeded');
    });

    it('counts the request body too', async () => {
      const gw = gateway({ product: inbound('<quota bandwidth="2" renewal-period="3600" />') });
      // 2040 request bytes + 14 response bytes (`{"status":200}`) pass 2048 together only.
      const post = await gw.call({}, { method: 'POST', url: 'http://gw.test/api/status/200', body: 'x'.repeat(2040) });
      assert.equal(post.body, '{"status":200}');
      assert.equal((await gw.call()).status, 403);
    });

    it('meters streamed request and response bodies as they flow, reporting once', async () => {
      const { gw } = await gateway().call({ subscription: null });
      gw.request.body = new MessageBody(Readable.from([Buffer.alloc(700), Buffer.alloc(300)]));
      const meter = new BandwidthMeter(gw);
      assert.equal((await gw.request.body.read(true)).length, 1000, 'the request body passes through whole');
      gw.response.body = new MessageBody(Readable.from([Buffer.alloc(2000), Buffer.alloc(48)]));
      const recorded: number[] = [];
      await meter.finish(gw, (bytes) => {
        recorded.push(bytes);
      });
      assert.deepEqual(recorded, [], 'nothing is known before the response body is sent');
      assert.equal((await gw.response.body.read(true)).length, 2048);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(recorded, [3048]);
    });

    it('checks calls before bandwidth when both are set', async () => {
      const gw = gateway({ product: inbound('<quota calls="1" bandwidth="1" renewal-period="3600" />') });
      await gw.call({}, { url: 'http://gw.test/api/bytes/5000' });
      assert.match((await gw.call()).json<{ message: string }>().message, /^Out of call volume quota\./);
      const bw = gateway({ product: inbound('<quota calls="5" bandwidth="1" renewal-period="3600" />') });
      await bw.call({}, { url: 'http://gw.test/api/bytes/5000' });
      assert.match((await bw.call()).json<{ message: string }>().message, /^Out of bandwidth quota\./);
    });
  });

  describe('api and operation children', () => {
    const orders = { name: 'orders', displayName: 'Orders API' };
    const list = { name: 'list', displayName: 'List orders', method: 'GET', urlTemplate: '/*' };
    const get = { name: 'get', displayName: 'Get order', method: 'GET', urlTemplate: '/*' };

    it('applies API and operation quotas independently of the product quota', async () => {
      const gw = gateway({
        product: inbound('<quota calls="4" renewal-period="3600"><api name="Orders API" calls="2"><operation id="list" calls="1" renewal-period="600" /></api></quota>'),
        subscription: subscription('s', { startDate: iso(t0) }),
      });
      assert.equal((await gw.call({ apiModel: orders, operationModel: list })).status, 200);
      const opFull = await gw.call({ apiModel: orders, operationModel: list });
      assert.equal(opFull.status, 403);
      assert.equal(opFull.headers.get('Retry-After'), '600', 'the operation has its own renewal period');
      assert.equal((await gw.call({ apiModel: orders, operationModel: get })).status, 200);
      const apiFull = await gw.call({ apiModel: orders, operationModel: get });
      assert.equal(apiFull.status, 403);
      assert.equal(apiFull.headers.get('Retry-After'), '3600', 'the API inherits the policy period');
      assert.equal((await gw.call()).status, 200);
      assert.equal((await gw.call()).status, 200);
      assert.equal((await gw.call()).status, 403, 'refused calls never counted: 4 product calls went through');
    });

    it('compiles and applies the VS Code snippet from the corpus (bandwidth per operation)', async () => {
      const snippets = JSON.parse(readFileSync(new URL('../fixtures/corpus/policy-snippets/vscode-snippets-xml.json', import.meta.url), 'utf8')) as Record<string, { body: string[] }>;
      const values: Record<number, string> = { 1: '100', 2: '1000', 3: '3600', 4: 'Orders API', 5: '50', 6: '500', 7: 'List orders', 8: '10', 9: '1' };
      const xml = snippets.quota!.body.join('\n').replace(/\$\{(\d+)(?::[^}]*)?\}|\$(\d+)/g, (_m, a: string | undefined, b: string | undefined) => values[Number(a ?? b)] ?? '');
      const gw = gateway({ product: inbound(xml) });
      await gw.call({ apiModel: orders, operationModel: list }, { url: 'http://gw.test/api/bytes/1024' });
      const r = await gw.call({ apiModel: orders, operationModel: list });
      assert.equal(r.status, 403);
      assert.match(r.json<{ message: string }>().message, /^Out of bandwidth quota\./);
      assert.equal((await gw.call({ apiModel: orders, operationModel: get })).status, 200);
    });
  });

  describe('compile errors', () => {
    const cases: Array<[string, string, RegExp]> = [
      ['neither calls nor bandwidth', '<quota renewal-period="3600" />', /Either 'calls' or 'bandwidth'/],
      ['missing renewal-period', '<quota calls="5" />', /required attribute 'renewal-period' is missing/],
      ['negative calls', '<quota calls="-5" renewal-period="3600" />', /'calls' must be at least 0/],
      ['negative renewal-period', '<quota calls="5" renewal-period="-1" />', /'renewal-period' must be at least 0/],
      ['bandwidth not a number', '<quota bandwidth="1MB" renewal-period="3600" />', /not a valid integer/],
      ['expression in calls', '<quota calls="@(5)" renewal-period="3600" />', /does not accept policy expressions/],
      ['unknown attribute', '<quota calls="5" renewal-period="3600" counter-key="k" />', /'counter-key' attribute is not declared/],
      ['child without limits', '<quota calls="5" renewal-period="3600"><api name="a" /></quota>', /Either 'calls' or 'bandwidth'/],
      ['child without name or id', '<quota calls="5" renewal-period="3600"><api calls="1" /></quota>', /needs a 'name' or an 'id'/],
      ['unknown child', '<quota calls="5" renewal-period="3600"><operation name="o" calls="1" /></quota>', /'operation' is not allowed in 'quota'/],
      ['twice in a section', '<quota calls="5" renewal-period="3600" /><quota calls="1" renewal-period="60" />', /only once/],
    ];
    for (const [label, policy, expected] of cases) {
      it(`rejects ${label}`, () => assert.match(compileError(inbound(policy)).message, expected));
    }

    it('is allowed at product scope only', () => {
      compileOnly(inbound('<quota calls="5" renewal-period="3600" />'), 'product');
      for (const scope of ['global', 'api', 'operation'] as const) {
        assert.match(compileError(inbound('<quota calls="5" renewal-period="3600" />'), scope).message, new RegExp(`not allowed at the '${scope}' scope`));
      }
    });

    it('is allowed in inbound only', () => {
      for (const section of ['outbound', 'backend', 'on-error']) {
        const err = compileError(`<policies><${section}><quota calls="5" renewal-period="3600" /></${section}></policies>`);
        assert.match(err.message, new RegExp(`not allowed in the '${section}' section`));
      }
    });
  });

  it('formats replenish times', () => {
    assert.equal(formatReplenishTime(0), '00:00:00');
    assert.equal(formatReplenishTime(1), '00:00:01');
    assert.equal(formatReplenishTime(59_999), '00:01:00');
    assert.equal(formatReplenishTime(3_600_000 * 25 + 61_000), '1.01:01:01');
    assert.equal(formatReplenishTime(86_400_000 * 12), '12.00:00:00');
  });
});
