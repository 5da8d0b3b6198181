/** The admin console's sign-in limit: a sliding window per client address. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSignInLimiter } from '../../src/portal/sign-in-limiter.js';

describe('sign-in limiter', () => {
  it('allows the set number of attempts in the window, then says how long to wait', () => {
    let t = 0;
    const limiter = createSignInLimiter({ attempts: 3, windowMs: 60_000 }, () => t);
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(limiter.attempt('10.0.0.1'), { allowed: true });
      t += 10_000;
    }
    // The first attempt was at 0 s; it is now 30 s: the window frees a place at 60 s.
    assert.deepEqual(limiter.attempt('10.0.0.1'), { allowed: false, retryAfterSeconds: 30 });
    t += 29_000;
    assert.equal(limiter.attempt('10.0.0.1').allowed, false);
    t += 1_000;
    assert.deepEqual(limiter.attempt('10.0.0.1'), { allowed: true }, 'the oldest attempt left the window');
    assert.equal(limiter.attempt('10.0.0.1').allowed, false, 'refused attempts do not extend the window, but allowed ones fill it');
  });

  it('forgives attempts that signed in, but not the failures before them', () => {
    const limiter = createSignInLimiter({ attempts: 2, windowMs: 60_000 }, () => 0);
    for (let i = 0; i < 5; i++) {
      assert.equal(limiter.attempt('a').allowed, true);
      limiter.succeeded('a');
    }
    assert.equal(limiter.attempt('a').allowed, true, 'a failure');
    assert.equal(limiter.attempt('a').allowed, true);
    limiter.succeeded('a');
    assert.equal(limiter.attempt('a').allowed, true, 'the second failure');
    assert.equal(limiter.attempt('a').allowed, false);
  });

  it('counts each address apart', () => {
    const limiter = createSignInLimiter({ attempts: 1, windowMs: 60_000 }, () => 0);
    assert.equal(limiter.attempt('10.0.0.1').allowed, true);
    assert.equal(limiter.attempt('10.0.0.1').allowed, false);
    assert.equal(limiter.attempt('10.0.0.2').allowed, true);
  });

  it('never answers a wait under one second', () => {
    let t = 0;
    const limiter = createSignInLimiter({ attempts: 1, windowMs: 1000 }, () => t);
    limiter.attempt('a');
    t = 999.5;
    assert.deepEqual(limiter.attempt('a'), { allowed: false, retryAfterSeconds: 1 });
  });
});
