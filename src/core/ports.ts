/**
 * The ports: interfaces the gateway sees its stateful collaborators through. Each has an
 * in-memory (or SQLite) implementation for the embedded default and a Redis (or PostgreSQL)
 * one for scale-out, chosen in `src/main`.
 */

/** Result of counting a call against a sliding-window rate limit. */
export interface RateLimitResult {
  allowed: boolean;
  /** Calls still allowed in the current window after this one. */
  remaining: number;
  /** When refused: milliseconds until a call would be allowed again. */
  retryAfterMs: number;
}

/** Result of counting against a fixed-period quota. */
export interface QuotaResult {
  allowed: boolean;
  /** Calls (or kilobytes) still allowed in the current period. */
  remaining: number;
  /** Milliseconds until the current period ends (Infinity for a period of 0 = never). */
  resetInMs: number;
}

/** Shared counters for rate limits and quotas. Keys are opaque strings built by the policies. */
export interface CounterStore {
  /**
   * Counts `increment` calls in a sliding window of `windowMs` ending at `nowMs`, refusing (and
   * not counting) when the total would exceed `limit`.
   */
  rateLimit(key: string, limit: number, windowMs: number, increment: number, nowMs: number): Promise<RateLimitResult>;
  /**
   * Optional synchronous form of `rateLimit`, offered by stores that never wait (the in-memory
   * one), so a policy can finish without a promise on the hot path. Same contract as `rateLimit`.
   */
  rateLimitSync?(key: string, limit: number, windowMs: number, increment: number, nowMs: number): RateLimitResult;
  /**
   * Reads a rate-limit window without counting: `allowed` when one more call fits, and when not,
   * `retryAfterMs` until it would.
   */
  peekRateLimit(key: string, limit: number, windowMs: number, nowMs: number): Promise<RateLimitResult>;
  /**
   * Takes back up to `amount` calls that `rateLimit` counted at `countedAtMs`: a reservation
   * whose call turned out not to count (`increment-condition` false). Calls that already left
   * every window are gone and stay gone.
   */
  releaseRateLimit(key: string, amount: number, countedAtMs: number): Promise<void>;
  /**
   * Adds `amount` to the fixed-period counter `key` for the period [periodStartMs, periodEndMs),
   * refusing when the counter already reached `limit`. `limit` Infinity means only count.
   * Check and add are one step, so an admitted call's `amount` is reserved before any other
   * call is checked: concurrent calls never pass a limit between a check and a count.
   */
  quota(key: string, limit: number, amount: number, periodStartMs: number, periodEndMs: number, nowMs: number): Promise<QuotaResult>;
  /**
   * Adds to a fixed-period counter without checking (bandwidth counted after the response). A
   * negative `amount` gives back a reservation made by `quota`; the counter never goes below 0.
   */
  addToQuota(key: string, amount: number, periodStartMs: number, periodEndMs: number): Promise<void>;
}

/**
 * A CounterStore that cannot answer now (Redis unreachable or too slow, and the gateway set to
 * refuse rather than count locally). A policy that needs a counter fails with 503
 * `CounterStoreUnavailable` (docs/scale-out.md).
 */
export class CounterStoreUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CounterStoreUnavailableError';
  }
}

/** Time, injectable so counters and tokens can be tested without waiting. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * A cache of byte values that expire: the caching policies' store (reference §3 Caching). Keys
 * are opaque strings built by the policies. A store that cannot answer (Redis down) treats a
 * read as a miss and drops a write; it never throws and never waits past its own short bound.
 */
export interface CacheStore {
  /** The value under `key`, or undefined when there is none (missing, expired, unreachable). */
  get(key: string): Promise<Buffer | undefined>;
  /** Keeps `value` under `key` for `ttlMs` milliseconds (more than 0). */
  set(key: string, value: Buffer, ttlMs: number): Promise<void>;
  /** Removes the value under `key`, if any. */
  delete(key: string): Promise<void>;
}

/** The caches a gateway's policies choose from with `caching-type` (Azure: built-in and external). */
export interface GatewayCaches {
  /** The built-in cache: per gateway process, bounded, volatile. */
  readonly internal: CacheStore;
  /** The external (Redis) cache when one is configured now (`--redis` or a `caches` entity). */
  external(): CacheStore | undefined;
}
