/**
 * Limits failed password sign-ins (docs/user-access.md): at most `limit` failures per window for
 * one account (the e-mail, lower case) and, separately, for one client address; past that,
 * attempts are refused with 429 and `Retry-After` until the oldest failure leaves the window.
 * An attempt counts as a failure from the moment it starts (so a burst of parallel guesses
 * cannot all slip in before the first one fails) and is forgiven when it succeeds. Kept in
 * memory by each management process; bounded in size, oldest keys dropped first.
 */

export interface SignInLimiterOptions {
  /** Failures allowed per key in one window (default 5). */
  limit?: number;
  /** The window, in milliseconds (default one minute). */
  windowMs?: number;
  /** Keys remembered at most (default 10 000). */
  maxKeys?: number;
  now?: () => number;
}

export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(options: SignInLimiterOptions = {}) {
    this.limit = options.limit ?? 5;
    this.windowMs = options.windowMs ?? 60_000;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** The failures of `key` still inside the window. */
  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((at) => at > since);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }

  /** Seconds until any of `keys` may try again, or 0 when none is limited. */
  retryAfterSeconds(keys: readonly string[]): number {
    let wait = 0;
    for (const key of keys) {
      const recent = this.recent(key);
      if (recent.length >= this.limit) wait = Math.max(wait, recent[recent.length - this.limit]! + this.windowMs - this.now());
    }
    return wait > 0 ? Math.max(1, Math.ceil(wait / 1000)) : 0;
  }

  /** Counts an attempt against every one of `keys`, as a failure until `succeeded` says otherwise. */
  attempt(keys: readonly string[]): void {
    for (const key of keys) {
      const recent = this.recent(key);
      this.failures.delete(key);
      this.failures.set(key, [...recent, this.now()].slice(-this.limit));
      // Maps iterate in insertion order: the first key is the one that failed longest ago.
      while (this.failures.size > this.maxKeys) this.failures.delete(this.failures.keys().next().value!);
    }
  }

  /** The attempt succeeded: the account's failures are forgotten, the address's attempt is taken back. */
  succeeded(account: string, address: string): void {
    this.failures.delete(account);
    const recent = this.failures.get(address);
    if (recent && recent.length > 0) recent.pop();
  }
}
