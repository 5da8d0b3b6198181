import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryCounterStore, sweepEvery } from '../../src/store/memory-counter-store.js';
import { counterStoreConformance } from './counter-store-conformance.js';

const t0 = Date.UTC(2026, 0, 1);

counterStoreConformance('Memory', () => new MemoryCounterStore());

describe('MemoryCounterStore memory (the sweep)', () => {
  const hour = 3_600_000;

  it(`drops idle keys and ended quota periods at every ${sweepEvery}th counting operation, and keeps live ones with their counts`, async () => {
    const store = new MemoryCounterStore();
    const sweepAt = t0 + 1_000;
    // Idle by sweepAt: its one call leaves its 1 s window exactly then; the period ends exactly then.
    await store.rateLimit('idle', 5, 1_000, 1, t0);
    await store.quota('ended', 5, 1, t0 - hour, sweepAt, t0);
    // Live at sweepAt.
    await store.rateLimit('live', 5, 60_000, 2, t0);
    await store.quota('current', 5, 3, t0, t0 + hour, t0);
    // Counting operations (every rate-limit count and quota call) up to one before the sweep,
    // at the sweep's time; quota checks of 0 change no count.
    for (let done = 4; done < sweepEvery - 1; done++) await store.quota('current', 5, 0, t0, t0 + hour, sweepAt);
    // Peeks and releases are no counting operations.
    await store.peekRateLimit('live', 5, 60_000, sweepAt);
    await store.releaseRateLimit('live', 0, t0);
    assert.deepEqual(store.heldKeys(), { rateLimit: 2, quota: 2 });
    await store.quota('current', 5, 0, t0, t0 + hour, sweepAt);
    assert.deepEqual(store.heldKeys(), { rateLimit: 1, quota: 1 });
    assert.deepEqual(await store.peekRateLimit('live', 5, 60_000, sweepAt), { allowed: true, remaining: 3, retryAfterMs: 0 });
    assert.deepEqual(await store.quota('current', 5, 0, t0, t0 + hour, sweepAt), { allowed: true, remaining: 2, resetInMs: hour - 1_000 });
    // The next sweep comes another sweepEvery operations later (the quota check above was the first).
    await store.rateLimit('idle', 5, 1_000, 1, sweepAt);
    for (let done = 3; done < sweepEvery; done++) await store.quota('current', 5, 0, t0, t0 + hour, sweepAt + 1_000);
    assert.deepEqual(store.heldKeys(), { rateLimit: 2, quota: 1 });
    await store.quota('current', 5, 0, t0, t0 + hour, sweepAt + 1_000);
    assert.deepEqual(store.heldKeys(), { rateLimit: 1, quota: 1 });
  });
});
