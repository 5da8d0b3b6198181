/**
 * Circuit breakers on real backend calls, through the real policy pipeline and forwarder
 * (policy harness) with a manual gateway clock: a Backend entity's breaker trips on the answers
 * it counts, the gateway then answers 503 without calling the backend and fills
 * `context.LastError`, the breaker closes after tripDuration, a pool fails over to its next
 * priority group, and a plain URL has no breaker.
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CircuitBreakers } from '../../src/gateway/circuit-breaker.js';
import type { Backend, CircuitBreakerRule } from '../../src/model/resources.js';
import { startCountingBackend, type CountingBackend } from '../helpers/counting-backend.js';
import { manualClock, runPolicies, type HarnessSetup } from '../helpers/policy-harness.js';

let primary: CountingBackend;
let standby: CountingBackend;
before(async () => {
  primary = await startCountingBackend('primary');
  standby = await startCountingBackend('standby');
});
after(async () => {
  await primary.close();
  await standby.close();
});
beforeEach(() => {
  for (const b of [primary, standby]) {
    b.calls = 0;
    b.status = 200;
    b.headers = {};
  }
});

const unreachable = 'http://127.0.0.1:1';
const rule: CircuitBreakerRule = {
  name: 'trip',
  failureCondition: { count: 2, intervalMs: 60_000, statusCodeRanges: [{ min: 500, max: 599 }], errorReasons: [] },
  tripDurationMs: 30_000,
  acceptRetryAfter: true,
};
const guarded = (name: string, url: string): Backend => ({ name, url, type: 'Single', circuitBreaker: { rules: [rule] } });

/** Runs requests against one gateway's breakers and clock. */
function gateway(setup: HarnessSetup) {
  const clock = manualClock();
  const circuits = new CircuitBreakers();
  const call = (headers: Record<string, string> = {}) => runPolicies({ ...setup, clock, circuits }, { url: 'http://gw.test/api/x', headers });
  return { clock, call };
}

describe('circuit breaker on backend calls', () => {
  it('trips on counted answers, then answers 503 without calling the backend, and closes after tripDuration', async () => {
    const gw = gateway({ backends: [guarded('b', primary.url)], api: '<policies><inbound><set-backend-service backend-id="b" /></inbound></policies>' });
    primary.status = 500;
    assert.equal((await gw.call()).status, 500);
    assert.equal((await gw.call()).status, 500);
    assert.equal(primary.calls, 2);

    const refused = await gw.call();
    assert.equal(refused.status, 503);
    const body = refused.json<{ statusCode: number; message: string; activityId: string }>();
    assert.equal(body.statusCode, 503);
    assert.equal(body.message, 'Service Unavailable');
    assert.equal(body.activityId, refused.gw.requestId);
    assert.equal(refused.gw.forwarded, false);
    assert.equal(primary.calls, 2, 'the open breaker does not call the backend');
    assert.deepEqual(
      { source: refused.gw.lastError?.source, reason: refused.gw.lastError?.reason, message: refused.gw.lastError?.message },
      { source: 'forward-request', reason: 'BackendCircuitOpen', message: "The circuit breaker of backend 'b' is open: the backend is not called." },
    );

    primary.status = 200;
    gw.clock.advance(29_999);
    assert.equal((await gw.call()).status, 503);
    gw.clock.advance(1);
    assert.equal((await gw.call()).status, 200);
    assert.equal(primary.calls, 3);
  });

  it('counts connection failures, and lets on-error answer for an open breaker', async () => {
    const onError = '<on-error><return-response><set-status code="299" reason="Seen" /><set-body>@(context.LastError.Source + "/" + context.LastError.Reason)</set-body></return-response></on-error>';
    const gw = gateway({ backends: [guarded('down', unreachable)], api: `<policies><inbound><set-backend-service backend-id="down" /></inbound>${onError}</policies>` });
    assert.equal((await gw.call()).body, 'forward-request/BackendConnectionFailure');
    assert.equal((await gw.call()).body, 'forward-request/BackendConnectionFailure');
    const open = await gw.call();
    assert.equal(open.status, 299);
    assert.equal(open.body, 'forward-request/BackendCircuitOpen');
  });

  it("takes the tripping answer's Retry-After when the rule accepts it", async () => {
    const gw = gateway({ backends: [guarded('b', primary.url)], api: '<policies><inbound><set-backend-service backend-id="b" /></inbound></policies>' });
    primary.status = 503;
    primary.headers = { 'retry-after': '5' };
    await gw.call();
    await gw.call();
    primary.status = 200;
    gw.clock.advance(4_999);
    assert.equal((await gw.call()).status, 503);
    gw.clock.advance(1);
    assert.equal((await gw.call()).status, 200);
  });

  it('fails a pool over to the next priority group while the first group is open, and back after the trip', async () => {
    const pool: Backend = { name: 'pool', type: 'Pool', pool: { services: [{ id: '/backends/first', priority: 1 }, { id: '/backends/second', priority: 2 }] } };
    const gw = gateway({ backends: [guarded('first', primary.url), guarded('second', standby.url), pool], api: '<policies><inbound><set-backend-service backend-id="pool" /></inbound></policies>' });
    primary.status = 500;
    await gw.call();
    await gw.call();
    const served = await gw.call();
    assert.equal(served.status, 200);
    assert.equal(served.body, 'standby');
    assert.equal(served.gw.backend?.name, 'second');
    assert.equal(served.gw.backendId, 'pool');
    assert.deepEqual([primary.calls, standby.calls], [2, 1]);

    // Both groups open: 503.
    standby.status = 502;
    await gw.call();
    assert.equal((await gw.call()).status, 502);
    const none = await gw.call();
    assert.equal(none.status, 503);
    assert.deepEqual([primary.calls, standby.calls], [2, 3]);

    primary.status = 200;
    gw.clock.advance(30_000);
    const back = await gw.call();
    assert.equal(back.status, 200);
    assert.equal(back.gw.backend?.name, 'first');
  });

  it('has no breaker for a plain URL, even one set after a Backend whose breaker is open', async () => {
    const gw = gateway({
      backends: [guarded('b', unreachable)],
      api: `<policies><inbound><set-backend-service backend-id="b" /><choose><when condition="@(context.Request.Headers.ContainsKey(&quot;x-plain&quot;))"><set-backend-service base-url="${standby.url}" /></when></choose></inbound></policies>`,
    });
    await gw.call();
    await gw.call();
    assert.equal((await gw.call()).status, 503);
    const plain = await gw.call({ 'x-plain': '1' });
    assert.equal(plain.status, 200);
    assert.equal(plain.gw.backend, undefined);
    assert.equal(standby.calls, 1);

    const serviceUrl = gateway({ backends: [guarded('b', unreachable)], serviceUrl: unreachable });
    for (let i = 0; i < 3; i++) assert.equal((await serviceUrl.call()).status, 500, 'an API serviceUrl failing is never refused by a breaker');
  });
});
