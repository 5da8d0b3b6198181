/**
 * The CounterStore contract every implementation passes (DESIGN.md "Ports, not globals"): the
 * sliding window of rate limits (bucketed, exact Retry-After, releases, keys shared by windows)
 * and fixed-period quotas. memory-counter-store.test.ts and redis-counter-store.test.ts run it
 * against the in-process store and against Redis.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CounterStore } from '../../src/core/ports.js';

const t0 = Date.UTC(2026, 0, 1);

/** Defines the shared cases for one store; `open` gives a store with no counts. */
export function counterStoreConformance(name: string, open: () => CounterStore | Promise<CounterStore>, options: { skip?: string | undefined } = {}): void {
  describe(`${name} counters: rate limits (sliding window)`, { skip: options.skip }, () => {
    it('allows up to the limit, then refuses without counting and says when to retry', async () => {
      const store = await open();
      const results = [];
      for (let i = 0; i < 3; i++) results.push(await store.rateLimit('k', 3, 10_000, 1, t0));
      assert.deepEqual(
        results.map((r) => [r.allowed, r.remaining]),
        [
          [true, 2],
          [true, 1],
          [true, 0],
        ],
      );
      const refused = await store.rateLimit('k', 3, 10_000, 1, t0 + 4_000);
      assert.deepEqual(refused, { allowed: false, remaining: 0, retryAfterMs: 6_000 });
      // The refused call was not counted: exactly when the first calls leave, calls fit again.
      const again = await store.rateLimit('k', 3, 10_000, 1, t0 + 10_000);
      assert.deepEqual(again, { allowed: true, remaining: 2, retryAfterMs: 0 });
    });

    it('slides: old calls leave one by one and Retry-After waits for the oldest that frees room', async () => {
      const store = await open();
      await store.rateLimit('k', 3, 10_000, 2, t0);
      await store.rateLimit('k', 3, 10_000, 1, t0 + 4_000);
      assert.equal((await store.rateLimit('k', 3, 10_000, 1, t0 + 6_000)).retryAfterMs, 4_000);
      // Two calls need both the t0 calls gone (4 s) — and one more would need the t0+4 s call gone.
      assert.equal((await store.rateLimit('k', 3, 10_000, 3, t0 + 6_000)).retryAfterMs, 8_000);
      const at10 = await store.rateLimit('k', 3, 10_000, 1, t0 + 10_000);
      assert.deepEqual(at10, { allowed: true, remaining: 1, retryAfterMs: 0 });
      const at14 = await store.peekRateLimit('k', 3, 10_000, t0 + 14_000);
      assert.deepEqual(at14, { allowed: true, remaining: 2, retryAfterMs: 0 });
    });

    it('never lets a call leave the window early, even when calls share a time bucket', async () => {
      const store = await open();
      // 10 s window: buckets are 100 ms wide, so t0 and t0+50 share one.
      await store.rateLimit('k', 2, 10_000, 1, t0);
      await store.rateLimit('k', 2, 10_000, 1, t0 + 50);
      const early = await store.rateLimit('k', 2, 10_000, 1, t0 + 10_000);
      assert.equal(early.allowed, false);
      assert.equal(early.retryAfterMs, 50);
      assert.equal((await store.rateLimit('k', 2, 10_000, 1, t0 + 10_050)).allowed, true);
    });

    it('counts increments larger than one and refuses one that would overflow', async () => {
      const store = await open();
      assert.equal((await store.rateLimit('k', 5, 60_000, 3, t0)).remaining, 2);
      const over = await store.rateLimit('k', 5, 60_000, 3, t0 + 1_000);
      assert.equal(over.allowed, false);
      assert.equal(over.remaining, 2);
      assert.equal(over.retryAfterMs, 59_000);
      assert.equal((await store.rateLimit('k', 5, 60_000, 2, t0 + 1_000)).remaining, 0);
      // More than the limit in one go never fits: a full window is the answer.
      assert.equal((await store.rateLimit('other', 5, 60_000, 6, t0)).retryAfterMs, 60_000);
    });

    it('peeks without counting and reports the wait when full', async () => {
      const store = await open();
      assert.deepEqual(await store.peekRateLimit('k', 1, 5_000, t0), { allowed: true, remaining: 1, retryAfterMs: 0 });
      assert.deepEqual(await store.peekRateLimit('k', 1, 5_000, t0), { allowed: true, remaining: 1, retryAfterMs: 0 });
      await store.rateLimit('k', 1, 5_000, 1, t0);
      assert.deepEqual(await store.peekRateLimit('k', 1, 5_000, t0 + 2_000), { allowed: false, remaining: 0, retryAfterMs: 3_000 });
      // A limit of 0 admits nothing, ever: the wait is a full window, as for a key already full.
      assert.deepEqual(await store.peekRateLimit('zero', 0, 5_000, t0), { allowed: false, remaining: 0, retryAfterMs: 5_000 });
      // One place left: the next call fits.
      await store.rateLimit('two', 2, 5_000, 1, t0);
      assert.deepEqual(await store.peekRateLimit('two', 2, 5_000, t0 + 1_000), { allowed: true, remaining: 1, retryAfterMs: 0 });
    });

    it('checks without counting when the increment is 0, and never moves a counted call', async () => {
      const store = await open();
      await store.rateLimit('k', 1, 10_000, 1, t0);
      // t0 + 50 shares the t0 call's time bucket: counting nothing there must not renew that call.
      assert.deepEqual(await store.rateLimit('k', 1, 10_000, 0, t0 + 50), { allowed: true, remaining: 0, retryAfterMs: 0 });
      assert.deepEqual(await store.rateLimit('k', 1, 10_000, 1, t0 + 10_000), { allowed: true, remaining: 0, retryAfterMs: 0 });
    });

    it('keeps keys apart and lets one key serve windows of different lengths', async () => {
      const store = await open();
      await store.rateLimit('a', 1, 10_000, 1, t0);
      assert.equal((await store.rateLimit('b', 1, 10_000, 1, t0)).allowed, true);
      // The same key checked over 60 s still sees a call that left the 10 s window.
      await store.rateLimit('shared', 10, 60_000, 1, t0);
      await store.rateLimit('shared', 10, 10_000, 1, t0 + 20_000);
      assert.equal((await store.peekRateLimit('shared', 10, 10_000, t0 + 25_000)).remaining, 9);
      assert.equal((await store.peekRateLimit('shared', 10, 60_000, t0 + 25_000)).remaining, 8);
      // A call leaves a shorter window exactly one window after it, though the key keeps it longer.
      await store.rateLimit('edge', 10, 60_000, 1, t0);
      assert.equal((await store.peekRateLimit('edge', 10, 10_000, t0 + 10_000)).remaining, 10);
      assert.equal((await store.peekRateLimit('edge', 10, 60_000, t0 + 10_000)).remaining, 9);
    });

    it('on a key shared by windows, Retry-After waits only for calls inside the window asked', async () => {
      const store = await open();
      await store.rateLimit('k', 10, 60_000, 1, t0);
      assert.equal((await store.rateLimit('k', 2, 10_000, 1, t0 + 5_000)).allowed, true);
      // At t0 + 10 s the t0 call has just left the 10 s window (the 60 s one keeps it): the
      // t0 + 5 s call is the one to wait for.
      assert.deepEqual(await store.rateLimit('k', 1, 10_000, 1, t0 + 10_000), { allowed: false, remaining: 0, retryAfterMs: 5_000 });
    });

    it('counts without limit when the limit is Infinity', async () => {
      const store = await open();
      for (let i = 0; i < 5; i++) assert.equal((await store.rateLimit('k', Infinity, 1_000, 10, t0)).allowed, true);
      assert.equal((await store.peekRateLimit('k', 40, 1_000, t0)).allowed, false);
    });

    it('gives back a reservation: released calls free their place at once', async () => {
      const store = await open();
      await store.rateLimit('k', 3, 10_000, 1, t0);
      await store.rateLimit('k', 3, 10_000, 2, t0 + 1_000);
      assert.equal((await store.peekRateLimit('k', 3, 10_000, t0 + 1_500)).allowed, false);
      await store.releaseRateLimit('k', 2, t0 + 1_000);
      assert.deepEqual(await store.peekRateLimit('k', 3, 10_000, t0 + 1_500), { allowed: true, remaining: 2, retryAfterMs: 0 });
      // Only what was counted at that instant goes: the t0 call stays until it leaves the window.
      await store.releaseRateLimit('k', 5, t0 + 1_000);
      assert.equal((await store.peekRateLimit('k', 3, 10_000, t0 + 1_500)).remaining, 2);
      await store.releaseRateLimit('missing', 1, t0);
      assert.equal((await store.peekRateLimit('missing', 1, 10_000, t0)).allowed, true);
    });

    it('gives back a call counted between bucket edges, and no more calls than asked', async () => {
      const store = await open();
      // 10 s window: 100 ms buckets; t0 + 1 050 ms is inside the bucket that starts at t0 + 1 s.
      await store.rateLimit('k', 3, 10_000, 1, t0 + 1_050);
      await store.rateLimit('k', 3, 10_000, 1, t0 + 2_050);
      await store.releaseRateLimit('k', 1, t0 + 1_050);
      assert.equal((await store.peekRateLimit('k', 3, 10_000, t0 + 2_100)).remaining, 2);
      // The call given back was the first one: the second is still counted after the first
      // would have left.
      assert.equal((await store.peekRateLimit('k', 3, 10_000, t0 + 11_100)).remaining, 2);
    });

    it('takes nothing back for a release of zero or fewer calls', async () => {
      const store = await open();
      await store.rateLimit('k', 3, 10_000, 2, t0);
      await store.releaseRateLimit('k', 0, t0);
      await store.releaseRateLimit('k', -2, t0);
      assert.deepEqual(await store.peekRateLimit('k', 3, 10_000, t0), { allowed: true, remaining: 1, retryAfterMs: 0 });
    });

    it('finds a call counted while the clock stepped back in the later bucket it went to', async () => {
      const store = await open();
      await store.rateLimit('k', 2, 10_000, 1, t0 + 5_000);
      await store.rateLimit('k', 2, 10_000, 1, t0);
      await store.releaseRateLimit('k', 1, t0);
      assert.equal((await store.peekRateLimit('k', 2, 10_000, t0 + 5_000)).remaining, 1);
    });
  });

  describe(`${name} counters: quotas (fixed periods)`, { skip: options.skip }, () => {
    const hour = 3_600_000;

    it('counts to the limit, refuses after, and tells the time to the period end', async () => {
      const store = await open();
      assert.deepEqual(await store.quota('q', 2, 1, t0, t0 + hour, t0), { allowed: true, remaining: 1, resetInMs: hour });
      assert.deepEqual(await store.quota('q', 2, 1, t0, t0 + hour, t0 + 1_000), { allowed: true, remaining: 0, resetInMs: hour - 1_000 });
      assert.deepEqual(await store.quota('q', 2, 1, t0, t0 + hour, t0 + 2_000), { allowed: false, remaining: 0, resetInMs: hour - 2_000 });
    });

    it('starts a new period from zero', async () => {
      const store = await open();
      await store.quota('q', 1, 1, t0, t0 + hour, t0);
      assert.equal((await store.quota('q', 1, 1, t0, t0 + hour, t0 + 10)).allowed, false);
      assert.deepEqual(await store.quota('q', 1, 1, t0 + hour, t0 + 2 * hour, t0 + hour), { allowed: true, remaining: 0, resetInMs: hour });
    });

    it('checks without counting when the amount is 0 and adds unchecked with addToQuota', async () => {
      const store = await open();
      await store.addToQuota('bw', 5_000, t0, t0 + hour);
      assert.deepEqual(await store.quota('bw', 6_000, 0, t0, t0 + hour, t0), { allowed: true, remaining: 1_000, resetInMs: hour });
      await store.addToQuota('bw', 1_000, t0, t0 + hour);
      assert.equal((await store.quota('bw', 6_000, 0, t0, t0 + hour, t0)).allowed, false);
    });

    it('gives back a reservation with a negative addition, never below zero', async () => {
      const store = await open();
      await store.quota('q', 2, 1, t0, t0 + hour, t0);
      await store.quota('q', 2, 1, t0, t0 + hour, t0);
      assert.equal((await store.quota('q', 2, 1, t0, t0 + hour, t0)).allowed, false);
      await store.addToQuota('q', -1, t0, t0 + hour);
      assert.deepEqual(await store.quota('q', 2, 1, t0, t0 + hour, t0), { allowed: true, remaining: 0, resetInMs: hour });
      await store.addToQuota('q', -10, t0, t0 + hour);
      assert.deepEqual(await store.quota('q', 2, 0, t0, t0 + hour, t0), { allowed: true, remaining: 2, resetInMs: hour });
    });

    it('ignores late additions to a period that already ended', async () => {
      const store = await open();
      await store.quota('bw', 100, 10, t0 + hour, t0 + 2 * hour, t0 + hour);
      await store.addToQuota('bw', 1_000, t0, t0 + hour);
      assert.deepEqual(await store.quota('bw', 100, 0, t0 + hour, t0 + 2 * hour, t0 + hour), { allowed: true, remaining: 90, resetInMs: hour });
    });

    it('treats an endless period as never resetting', async () => {
      const store = await open();
      await store.quota('life', 1, 1, t0, Infinity, t0);
      assert.deepEqual(await store.quota('life', 1, 1, t0, Infinity, t0 + 1_000 * hour), { allowed: false, remaining: 0, resetInMs: Infinity });
    });
  });
}
