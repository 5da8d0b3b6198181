import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expectCompileError, runPolicies } from '../helpers/policy-harness.js';
import { retryDelaySeconds } from '../../src/policies/retry.js';

/** A backend that fails the first `failures` calls of each test with 500, recording the bodies it got. */
let server: Server;
let url = '';
let failures = 0;
const bodies: string[] = [];
before(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      const status = bodies.length <= failures ? 500 : 200;
      res.writeHead(status, { 'content-type': 'text/plain' });
      // `/big`: an answer larger than what arrives with the headers, so it is still streaming when the condition runs.
      res.end(`attempt ${bodies.length}` + (req.url === '/big' ? ' '.repeat(400 * 1024) : ''));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
const reset = (failing: number) => {
  failures = failing;
  bodies.length = 0;
};

const backendRetry = (attrs: string) =>
  `<policies><inbound /><backend><retry ${attrs}><forward-request /></retry></backend><outbound /><on-error /></policies>`;

describe('retry', () => {
  it('re-runs forward-request while the condition holds, replaying the caller\'s body each time', async () => {
    reset(2);
    const r = await runPolicies(
      { api: backendRetry('condition="@(context.Response.StatusCode == 500)" count="5" interval="0"'), serviceUrl: url },
      { method: 'POST', body: 'the same body' },
    );
    assert.equal(r.status, 200);
    assert.equal(r.body, 'attempt 3');
    assert.deepEqual(bodies, ['the same body', 'the same body', 'the same body']);
  });

  it('stops after count retries, answering with the last attempt', async () => {
    reset(100);
    const r = await runPolicies({ api: backendRetry('condition="@(context.Response.StatusCode >= 500)" count="3" interval="0" first-fast-retry="true"'), serviceUrl: url });
    assert.equal(r.status, 500);
    assert.equal(r.body, 'attempt 4');
    assert.equal(bodies.length, 4, 'one run and three retries');
  });

  it('a condition may read the body of each attempt\'s answer', async () => {
    reset(2);
    const r = await runPolicies(
      { api: backendRetry('condition="@(context.Response.Body.As&lt;string&gt;(preserveContent: true).Trim() != &quot;attempt 2&quot;)" count="5" interval="0"'), serviceUrl: url },
      { url: 'http://gateway.test/api/big' },
    );
    assert.equal(r.status, 500);
    assert.equal(r.body.trim(), 'attempt 2');
    assert.equal(bodies.length, 2);
  });

  it('runs once when the condition is false', async () => {
    reset(0);
    const r = await runPolicies({ api: backendRetry('condition="@(context.Response.StatusCode != 200)" count="5" interval="0"'), serviceUrl: url });
    assert.equal(r.status, 200);
    assert.equal(bodies.length, 1);
  });

  it('retries send-request with ignore-error, as Microsoft\'s example does', async () => {
    reset(1);
    const r = await runPolicies({
      api: `<policies><inbound><retry condition="@(context.Variables[&quot;response&quot;] == null || ((IResponse)context.Variables[&quot;response&quot;]).StatusCode &gt;= 500)" count="3" interval="0" first-fast-retry="true">
          <send-request mode="new" response-variable-name="response" timeout="10" ignore-error="true"><set-url>${url}/products/5</set-url><set-method>GET</set-method></send-request>
        </retry><return-response response-variable-name="response" /></inbound><backend /><outbound /><on-error /></policies>`,
    });
    assert.equal(r.status, 200);
    assert.equal(r.body, 'attempt 2');
  });

  it('computes fixed, linear and exponential waits as Microsoft documents them', () => {
    const fixed = { interval: 10, maxInterval: undefined, delta: undefined, firstFastRetry: false };
    assert.deepEqual([1, 2, 3].map((n) => retryDelaySeconds(fixed, n)), [10, 10, 10]);
    const linear = { ...fixed, delta: 5 };
    assert.deepEqual([1, 2, 3].map((n) => retryDelaySeconds(linear, n)), [10, 15, 20]);
    // The doc's example: interval and delta 10, max-interval 100 → about 10, 20, 40, 80, then 100.
    const exponential = { ...fixed, delta: 10, maxInterval: 100 };
    const middle = () => 0.5;
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => retryDelaySeconds(exponential, n, middle)), [10, 20, 40, 80, 100, 100]);
    // random(delta * 0.8, delta * 1.2): the jitter's bounds.
    assert.equal(retryDelaySeconds(exponential, 2, () => 0), 18);
    assert.ok(Math.abs(retryDelaySeconds(exponential, 2, () => 0.999999) - 22) < 1e-4);
    assert.equal(retryDelaySeconds({ ...exponential, firstFastRetry: true }, 1), 0);
    assert.equal(retryDelaySeconds({ ...exponential, firstFastRetry: true }, 2, middle), 20);
  });

  it('checks its attributes', () => {
    const cases: Array<[string, RegExp]> = [
      ['count="3" interval="1"', /required attribute 'condition'/],
      ['condition="true" interval="1"', /required attribute 'count'/],
      ['condition="true" count="3"', /required attribute 'interval'/],
      ['condition="true" count="0" interval="1"', /at least 1/],
      ['condition="true" count="51" interval="1"', /at most 50/],
      ['condition="maybe" count="3" interval="1"', /not a valid boolean/],
      ['condition="true" count="3" interval="1" backoff="2"', /'backoff' attribute is not declared/],
    ];
    for (const [attrs, reason] of cases) assert.match(expectCompileError(backendRetry(attrs)).reason, reason, attrs);
  });
});
