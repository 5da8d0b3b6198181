/**
 * In-memory counters for rate limits (sliding window) and quotas (fixed periods): the embedded
 * default of the CounterStore port. A rate-limit key keeps a log of time buckets (a hundredth
 * of its window wide), so memory per key is bounded whatever the limit. Each bucket remembers
 * its latest call and leaves the window only when that call does: a window never holds more
 * than `limit` calls, and Retry-After is exact for calls made at the same instant.
 */
import type { CounterStore, QuotaResult, RateLimitResult } from '../core/ports.js';

interface Bucket {
  /** Aligned start of the bucket's time slice. */
  start: number;
  /** Time of the latest call counted in the bucket. */
  last: number;
  count: number;
}

interface CallLog {
  buckets: Bucket[];
  /** Bucket width, fixed when the key is first used. */
  width: number;
  /** The longest window asked of this key: how long buckets are kept. */
  retainMs: number;
}

interface QuotaCounter {
  periodStart: number;
  periodEnd: number;
  count: number;
}

const bucketsPerWindow = 100;
/** Every this many counting operations (rate-limit counts, quota calls), idle keys are dropped. */
export const sweepEvery = 10_000;

export class MemoryCounterStore implements CounterStore {
  private readonly logs = new Map<string, CallLog>();
  private readonly quotas = new Map<string, QuotaCounter>();
  private operations = 0;

  async rateLimit(key: string, limit: number, windowMs: number, increment: number, nowMs: number): Promise<RateLimitResult> {
    return this.rateLimitSync(key, limit, windowMs, increment, nowMs);
  }

  async peekRateLimit(key: string, limit: number, windowMs: number, nowMs: number): Promise<RateLimitResult> {
    const log = this.logs.get(key);
    if (!log) return { allowed: limit >= 1, remaining: Math.max(0, limit), retryAfterMs: limit >= 1 ? 0 : windowMs };
    prune(log, nowMs);
    const total = countWithin(log, windowMs, nowMs);
    const allowed = total + 1 <= limit;
    return {
      allowed,
      remaining: Math.max(0, limit - total),
      retryAfterMs: allowed ? 0 : retryAfter(log, limit, windowMs, total, 1, nowMs),
    };
  }

  async releaseRateLimit(key: string, amount: number, countedAtMs: number): Promise<void> {
    const log = this.logs.get(key);
    if (log) unrecord(log, amount, countedAtMs);
  }

  /** Synchronous core of `rateLimit` (the memory store never waits). */
  rateLimitSync(key: string, limit: number, windowMs: number, increment: number, nowMs: number): RateLimitResult {
    let log = this.logs.get(key);
    if (!log) {
      log = { buckets: [], width: Math.max(1, Math.floor(windowMs / bucketsPerWindow)), retainMs: windowMs };
      this.logs.set(key, log);
    }
    // One key may be shared by policies with different windows (rate-limit-by-key): keep calls
    // for the longest and count each check over its own window.
    log.retainMs = Math.max(log.retainMs, windowMs);
    prune(log, nowMs);
    const total = countWithin(log, windowMs, nowMs);
    if (total + increment > limit) {
      return { allowed: false, remaining: Math.max(0, limit - total), retryAfterMs: retryAfter(log, limit, windowMs, total, increment, nowMs) };
    }
    if (increment > 0) record(log, increment, nowMs);
    this.maybeSweep(nowMs);
    return { allowed: true, remaining: Math.max(0, limit - total - increment), retryAfterMs: 0 };
  }

  async quota(key: string, limit: number, amount: number, periodStartMs: number, periodEndMs: number, nowMs: number): Promise<QuotaResult> {
    const counter = this.quotaCounter(key, periodStartMs, periodEndMs);
    // An endless period (periodEnd Infinity) gives Infinity: it never resets.
    const resetInMs = Math.max(0, counter.periodEnd - nowMs);
    this.maybeSweep(nowMs);
    if (counter.count >= limit) return { allowed: false, remaining: 0, resetInMs };
    counter.count += amount;
    return { allowed: true, remaining: Math.max(0, limit - counter.count), resetInMs };
  }

  async addToQuota(key: string, amount: number, periodStartMs: number, periodEndMs: number): Promise<void> {
    const current = this.quotas.get(key);
    // Bandwidth is added after the response; if a newer period began meanwhile, the old one
    // is over and its late bytes must not wipe the new period's count.
    if (current && current.periodStart > periodStartMs) return;
    const counter = this.quotaCounter(key, periodStartMs, periodEndMs);
    counter.count = Math.max(0, counter.count + amount);
  }

  /** The counter of `key` for the given period; a newer period starts from zero. */
  private quotaCounter(key: string, periodStartMs: number, periodEndMs: number): QuotaCounter {
    let counter = this.quotas.get(key);
    if (!counter || counter.periodStart < periodStartMs) {
      counter = { periodStart: periodStartMs, periodEnd: periodEndMs, count: 0 };
      this.quotas.set(key, counter);
    }
    return counter;
  }

  /** How many rate-limit keys and quota counters the store holds (what the sweep bounds). */
  heldKeys(): { rateLimit: number; quota: number } {
    return { rateLimit: this.logs.size, quota: this.quotas.size };
  }

  /** Drops idle logs and ended quota periods now and then, so memory follows live keys. */
  private maybeSweep(nowMs: number): void {
    if (++this.operations < sweepEvery) return;
    this.operations = 0;
    for (const [key, log] of this.logs) {
      prune(log, nowMs);
      if (log.buckets.length === 0) this.logs.delete(key);
    }
    for (const [key, counter] of this.quotas) if (counter.periodEnd <= nowMs) this.quotas.delete(key);
  }
}

/** Adds calls at `nowMs` to the newest bucket or a new one. */
function record(log: CallLog, increment: number, nowMs: number): void {
  const start = nowMs - (((nowMs % log.width) + log.width) % log.width);
  const newest = log.buckets[log.buckets.length - 1];
  // A clock that steps back (another node's time, a test) still lands in the newest bucket,
  // keeping buckets in time order.
  if (newest && newest.start >= start) {
    newest.count += increment;
    newest.last = Math.max(newest.last, nowMs);
  } else {
    log.buckets.push({ start, last: nowMs, count: increment });
  }
}

/**
 * Removes up to `amount` calls recorded at `countedAtMs`. `record` put them in the bucket of
 * that instant, or in a later one when the clock had stepped back: the first bucket not older.
 */
function unrecord(log: CallLog, amount: number, countedAtMs: number): void {
  const start = countedAtMs - (((countedAtMs % log.width) + log.width) % log.width);
  // A release of zero or fewer calls takes nothing back (never adds calls).
  let left = Math.max(0, amount);
  for (const bucket of log.buckets) {
    if (bucket.start < start) continue;
    const taken = Math.min(left, bucket.count);
    bucket.count -= taken;
    left -= taken;
  }
}

/** Forgets buckets older than the longest window this key is checked over. */
function prune(log: CallLog, nowMs: number): void {
  let drop = 0;
  while (drop < log.buckets.length && log.buckets[drop]!.last + log.retainMs <= nowMs) drop++;
  log.buckets.splice(0, drop);
}

/** Calls still inside the window of `windowMs` ending at `nowMs`. */
function countWithin(log: CallLog, windowMs: number, nowMs: number): number {
  let total = 0;
  for (const bucket of log.buckets) if (bucket.last + windowMs > nowMs) total += bucket.count;
  return total;
}

/**
 * Milliseconds until enough calls leave the window for `increment` more to fit, `total` being
 * the calls now inside it (countWithin). Buckets are in time order, oldest first.
 */
function retryAfter(log: CallLog, limit: number, windowMs: number, total: number, increment: number, nowMs: number): number {
  let left = total;
  for (const bucket of log.buckets) {
    // Already out of this window (kept for a longer one): not in `total`.
    if (bucket.last + windowMs <= nowMs) continue;
    left -= bucket.count;
    if (left + increment <= limit) return Math.max(1, bucket.last + windowMs - nowMs);
  }
  // More than the limit in one call can never fit; a full window is the honest best guess.
  return windowMs;
}
