/**
 * The sign-in limiter (sign-in-limiter.ts), on its own clock: five failures a minute per key,
 * then a wait until the oldest leaves the window; success forgives; keys are independent; the
 * memory it keeps is bounded.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SignInLimiter } from '../../../src/management/arm/sign-in-limiter.js';

function limiter(options: { maxKeys?: number } = {}) {
  let now = 1_000_000;
  return { limiter: new SignInLimiter({ now: () => now, ...options }), advance: (ms: number) => (now += ms) };
}

describe('sign-in limiter', () => {
  it('allows five failures a minute per key, then says how long to wait', () => {
    const { limiter: l, advance } = limiter();
    for (let i = 0; i < 5; i++) {
      assert.equal(l.retryAfterSeconds(['account:a']), 0, `attempt ${i + 1}`);
      l.attempt(['account:a']);
      advance(1_000);
    }
    // The first failure was 5 s ago: it leaves the window in 55 s.
    assert.equal(l.retryAfterSeconds(['account:a']), 55);
    assert.equal(l.retryAfterSeconds(['account:b']), 0);
    advance(54_500);
    assert.equal(l.retryAfterSeconds(['account:a']), 1);
    advance(500);
    assert.equal(l.retryAfterSeconds(['account:a']), 0);
  });

  it('limits when any of the keys is limited', () => {
    const { limiter: l } = limiter();
    for (let i = 0; i < 5; i++) l.attempt([`account:${i}`, 'address:10.0.0.1']);
    assert.ok(l.retryAfterSeconds(['account:new', 'address:10.0.0.1']) > 0);
    assert.equal(l.retryAfterSeconds(['account:new', 'address:10.0.0.2']), 0);
  });

  it("forgives the account's failures and the address's attempt on success", () => {
    const { limiter: l } = limiter();
    for (let i = 0; i < 4; i++) l.attempt(['account:a', 'address:x']);
    l.attempt(['account:a', 'address:x']);
    l.succeeded('account:a', 'address:x');
    assert.equal(l.retryAfterSeconds(['account:a']), 0);
    assert.equal(l.retryAfterSeconds(['address:x']), 0, 'four failures left on the address');
    l.attempt(['address:x']);
    assert.ok(l.retryAfterSeconds(['address:x']) > 0);
  });

  it('remembers at most maxKeys keys, dropping the oldest', () => {
    const { limiter: l } = limiter({ maxKeys: 3 });
    for (let i = 0; i < 5; i++) l.attempt(['account:old']);
    for (const k of ['a', 'b', 'c']) l.attempt([`account:${k}`]);
    assert.equal(l.retryAfterSeconds(['account:old']), 0, 'dropped');
  });
});
