/**
 * In-memory counters for rate limits (sliding window) and quotas (fixed periods): the embedded
 * default of the CounterStore port. Windows are kept as up to 100 time buckets per key, so memory
 * per key is bounded whatever the limit.
 */
import type { CounterStore, QuotaResult, RateLimitResult } from '../core/ports.js';

interface Bucket {
  start: number;
  count: number;
}

interface SlidingWindow {
  buckets: Bucket[];
  total: number;
  windowMs: number;
}

interface QuotaCounter {
  periodStart: number;
  periodEnd: number;
  count: number;
}

const bucketsPerWindow = 100;

export class MemoryCounterStore implements CounterStore {
  private readonly windows = new Map<string, SlidingWindow>();
  private readonly quotas = new Map<string, QuotaCounter>();
  private sweeps = 0;

  async rateLimit(key: string, limit: number, windowMs: number, increment: number, nowMs: number): Promise<RateLimitResult> {
    return this.rateLimitSync(key, limit, windowMs, increment, nowMs);
  }

  async peekRateLimit(key: string, limit: number, windowMs: number, nowMs: number): Promise<RateLimitResult> {
    const window = this.windows.get(key);
    if (!window) return { allowed: true, remaining: limit, retryAfterMs: 0 };
    prune(window, nowMs);
    return { allowed: window.total < limit, remaining: Math.max(0, limit - window.total), retryAfterMs: 0 };
  }

  /** Synchronous core of `rateLimit` (the memory store never waits). */
  rateLimitSync(key: string, limit: number, windowMs: number, increment: number, nowMs: number): RateLimitResult {
    let window = this.windows.get(key);
    if (!window || window.windowMs !== windowMs) {
      window = { buckets: [], total: 0, windowMs };
      this.windows.set(key, window);
    }
    prune(window, nowMs);
    if (window.total + increment > limit) {
      return { allowed: false, remaining: Math.max(0, limit - window.total), retryAfterMs: retryAfter(window, limit, increment, nowMs) };
    }
    if (increment > 0) {
      const width = Math.max(1, Math.floor(windowMs / bucketsPerWindow));
      const start = nowMs - (nowMs % width);
      const last = window.buckets[window.buckets.length - 1];
      if (last && last.start === start) last.count += increment;
      else window.buckets.push({ start, count: increment });
      window.total += increment;
    }
    this.maybeSweep(nowMs);
    return { allowed: true, remaining: Math.max(0, limit - window.total), retryAfterMs: 0 };
  }

  async quota(key: string, limit: number, amount: number, periodStartMs: number, periodEndMs: number, nowMs: number): Promise<QuotaResult> {
    const counter = this.quotaCounter(key, periodStartMs, periodEndMs);
    const resetInMs = periodEndMs === Infinity ? Infinity : Math.max(0, periodEndMs - nowMs);
    if (counter.count >= limit) return { allowed: false, remaining: 0, resetInMs };
    counter.count += amount;
    return { allowed: true, remaining: Math.max(0, limit - counter.count), resetInMs };
  }

  async addToQuota(key: string, amount: number, periodStartMs: number, periodEndMs: number): Promise<void> {
    this.quotaCounter(key, periodStartMs, periodEndMs).count += amount;
  }

  private quotaCounter(key: string, periodStartMs: number, periodEndMs: number): QuotaCounter {
    let counter = this.quotas.get(key);
    if (!counter || counter.periodStart !== periodStartMs) {
      counter = { periodStart: periodStartMs, periodEnd: periodEndMs, count: 0 };
      this.quotas.set(key, counter);
    }
    return counter;
  }

  /** Drops idle windows and ended quota periods now and then, so memory follows live keys. */
  private maybeSweep(nowMs: number): void {
    if (++this.sweeps % 10_000 !== 0) return;
    for (const [key, window] of this.windows) {
      prune(window, nowMs);
      if (window.total === 0) this.windows.delete(key);
    }
    for (const [key, counter] of this.quotas) if (counter.periodEnd <= nowMs) this.quotas.delete(key);
  }
}

function prune(window: SlidingWindow, nowMs: number): void {
  const horizon = nowMs - window.windowMs;
  let drop = 0;
  while (drop < window.buckets.length && window.buckets[drop]!.start <= horizon) {
    window.total -= window.buckets[drop]!.count;
    drop++;
  }
  if (drop > 0) window.buckets.splice(0, drop);
}

/** Milliseconds until enough old calls leave the window for `increment` more to fit. */
function retryAfter(window: SlidingWindow, limit: number, increment: number, nowMs: number): number {
  let total = window.total;
  for (const bucket of window.buckets) {
    total -= bucket.count;
    if (total + increment <= limit) return Math.max(1, bucket.start + window.windowMs - nowMs);
  }
  return window.windowMs;
}
