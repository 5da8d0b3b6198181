/**
 * The circuit breaker's rule logic with an injected clock (src/gateway/circuit-breaker.ts):
 * failures counted within the sliding interval, status ranges, calls without an answer,
 * `count` and `percentage`, `tripDuration`, `acceptRetryAfter` (seconds and HTTP-date), closing
 * with a clean window after the trip, and state kept by backend name and rule.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CircuitBreaker, CircuitBreakers, retryAfterMs } from '../../src/gateway/circuit-breaker.js';
import type { Backend, CircuitBreakerRule } from '../../src/model/resources.js';

const start = Date.UTC(2026, 0, 1);

function rule(over: Partial<CircuitBreakerRule['failureCondition']> = {}, rest: Partial<CircuitBreakerRule> = {}): CircuitBreakerRule {
  return {
    name: 'r',
    failureCondition: { count: 3, intervalMs: 10_000, statusCodeRanges: [{ min: 500, max: 599 }], errorReasons: [], ...over },
    tripDurationMs: 5_000,
    acceptRetryAfter: false,
    ...rest,
  };
}

function backend(name: string, r: CircuitBreakerRule | null = rule()): Backend {
  return { name, url: 'http://127.0.0.1:1', type: 'Single', circuitBreaker: r ? { rules: [r] } : undefined };
}

describe('circuit breaker', () => {
  it('trips when count failures fall within the interval, and not one failure earlier', () => {
    const b = new CircuitBreaker(rule());
    b.answered(500, undefined, start);
    b.answered(503, undefined, start + 1000);
    assert.equal(b.isOpen(start + 1000), false);
    b.answered(599, undefined, start + 2000);
    assert.equal(b.isOpen(start + 2000), true);
  });

  it('counts only statuses within the ranges, both ends included', () => {
    const b = new CircuitBreaker(rule({ count: 2, statusCodeRanges: [{ min: 429, max: 429 }, { min: 502, max: 504 }] }));
    for (const status of [200, 400, 428, 430, 500, 501, 505, 599]) b.answered(status, undefined, start);
    assert.equal(b.isOpen(start), false);
    b.answered(429, undefined, start);
    b.answered(504, undefined, start);
    assert.equal(b.isOpen(start), true);
  });

  it('counts calls without an answer (connect failures, timeouts) as failures, even with no ranges', () => {
    const b = new CircuitBreaker(rule({ count: 2, statusCodeRanges: [] }));
    b.answered(500, undefined, start);
    b.failed(start);
    assert.equal(b.isOpen(start), false);
    b.failed(start + 1);
    assert.equal(b.isOpen(start + 1), true);
  });

  it('slides the window: failures older than the interval no longer count', () => {
    const b = new CircuitBreaker(rule());
    b.answered(500, undefined, start);
    b.answered(500, undefined, start + 1000);
    // The first failure left the window; the second is still in it.
    b.answered(500, undefined, start + 10_000);
    assert.equal(b.isOpen(start + 10_000), false);
    b.answered(500, undefined, start + 10_500);
    assert.equal(b.isOpen(start + 10_500), true);
  });

  it('stays open for tripDuration, then closes with an empty window', () => {
    const b = new CircuitBreaker(rule());
    for (let i = 0; i < 3; i++) b.answered(500, undefined, start);
    assert.equal(b.isOpen(start + 4_999), true);
    assert.equal(b.isOpen(start + 5_000), false);
    // The failures before the trip are forgotten: two new ones are not enough.
    b.answered(500, undefined, start + 5_001);
    b.answered(500, undefined, start + 5_002);
    assert.equal(b.isOpen(start + 5_002), false);
    b.answered(500, undefined, start + 5_003);
    assert.equal(b.isOpen(start + 5_003), true);
  });

  it('does not extend the trip for answers of calls let through before it', () => {
    const b = new CircuitBreaker(rule({ count: 1 }));
    b.answered(500, undefined, start);
    b.answered(500, undefined, start + 4_000);
    b.failed(start + 4_500);
    assert.equal(b.isOpen(start + 5_000), false);
  });

  it('with percentage alone, trips when that share of the interval calls failed', () => {
    const b = new CircuitBreaker(rule({ count: undefined, percentage: 50 }));
    b.answered(200, undefined, start);
    b.answered(200, undefined, start);
    b.answered(200, undefined, start);
    b.answered(500, undefined, start);
    assert.equal(b.isOpen(start), false, '1 of 4');
    b.answered(500, undefined, start);
    assert.equal(b.isOpen(start), false, '2 of 5');
    b.answered(500, undefined, start);
    assert.equal(b.isOpen(start), true, '3 of 6');
  });

  it('with count and percentage, needs both', () => {
    const b = new CircuitBreaker(rule({ count: 3, percentage: 50 }));
    b.answered(500, undefined, start);
    b.answered(500, undefined, start);
    assert.equal(b.isOpen(start), false, '2 failures of 2: count not reached');
    for (let i = 0; i < 4; i++) b.answered(200, undefined, start);
    b.answered(500, undefined, start);
    assert.equal(b.isOpen(start), false, '3 failures of 7: share not reached');
    b.answered(500, undefined, start);
    assert.equal(b.isOpen(start), true, '4 failures of 8');
  });

  it('with acceptRetryAfter, stays open for the tripping answer Retry-After in seconds', () => {
    const b = new CircuitBreaker(rule({ count: 1 }, { acceptRetryAfter: true }));
    b.answered(503, '20', start);
    assert.equal(b.isOpen(start + 19_999), true);
    assert.equal(b.isOpen(start + 20_000), false);
  });

  it('with acceptRetryAfter, takes an HTTP-date Retry-After against the gateway clock', () => {
    const b = new CircuitBreaker(rule({ count: 1 }, { acceptRetryAfter: true }));
    b.answered(503, new Date(start + 30_000).toUTCString(), start);
    assert.equal(b.isOpen(start + 29_999), true);
    assert.equal(b.isOpen(start + 30_000), false);
  });

  it('without acceptRetryAfter, or with an unreadable Retry-After, uses tripDuration', () => {
    const ignoring = new CircuitBreaker(rule({ count: 1 }));
    ignoring.answered(503, '60', start);
    assert.equal(ignoring.isOpen(start + 5_000), false);
    const unreadable = new CircuitBreaker(rule({ count: 1 }, { acceptRetryAfter: true }));
    unreadable.answered(503, 'soon', start);
    assert.equal(unreadable.isOpen(start + 4_999), true);
    assert.equal(unreadable.isOpen(start + 5_000), false);
  });

  it('reads Retry-After as delay-seconds or one of the three HTTP-date forms', () => {
    assert.equal(retryAfterMs('120', start), 120_000);
    assert.equal(retryAfterMs(' 7 ', start), 7_000);
    assert.equal(retryAfterMs('Thu, 01 Jan 2026 00:01:00 GMT', start), 60_000);
    assert.equal(retryAfterMs('Thursday, 01-Jan-26 00:01:00 GMT', start), 60_000);
    assert.equal(retryAfterMs('Thu Jan  1 00:01:00 2026', start), 60_000);
    assert.equal(retryAfterMs('Wed, 31 Dec 2025 00:00:00 GMT', start), 0, 'a date in the past');
    for (const bad of ['', '-5', '1.5', '9'.repeat(400), '2026-01-01T00:01:00Z', 'Thu, 01 Jan 2026 00:01:00 CET', 'tomorrow']) {
      assert.equal(retryAfterMs(bad, start), undefined, bad);
    }
  });
});

describe('circuit breakers of a gateway', () => {
  it('keeps one breaker per backend name and rule, across new Backend objects', () => {
    const breakers = new CircuitBreakers();
    const first = breakers.of(backend('a'))!;
    assert.equal(breakers.of(backend('a')), first, 'a rebuilt snapshot sees the same breaker');
    assert.notEqual(breakers.of(backend('a', rule({ count: 4 }))), first, 'a changed rule starts afresh');
    assert.notEqual(breakers.of(backend('b')), first);
    assert.equal(breakers.of(backend('c', null)), undefined, 'no rule, no breaker');
  });

  it('forgets the breakers of backends and rules no longer configured', () => {
    const breakers = new CircuitBreakers();
    const kept = breakers.of(backend('a'))!;
    breakers.of(backend('b'));
    breakers.of(backend('a', rule({ count: 9 })));
    assert.equal(breakers.size, 3);
    breakers.retain([backend('a'), backend('c', null)]);
    assert.equal(breakers.size, 1);
    assert.equal(breakers.of(backend('a')), kept);
  });
});
