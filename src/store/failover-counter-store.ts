/**
 * Shared counters with a way to fail (`--redis-counter-fallback`, docs/scale-out.md): every call
 * goes to the remote store (Redis) while it answers. When it cannot (CounterStoreUnavailableError:
 * refused, timed out, disconnected), the gateway either counts on its own host's counters
 * (`local`: the memory store, or the host's cluster store under `--workers`) or refuses calls
 * that need a counter (`refuse`). Meanwhile one call at a time, at most once per `retryEveryMs`,
 * tries the remote store again; the first that succeeds switches back. Each switch is logged
 * once (warn when Redis goes, info when it returns) and reported to `onSwitch` (the metrics).
 * Calls counted locally during an outage are not copied to Redis when it returns.
 */
import type { Logger } from '../core/logger.js';
import { CounterStoreUnavailableError, type Clock, type CounterStore, type QuotaResult, type RateLimitResult } from '../core/ports.js';

/** What the gateway does while the remote counters cannot answer. */
export type CounterFallback = 'local' | 'refuse';

export interface FailoverCounterOptions {
  /** `local`: count on `local`; `refuse`: fail calls with CounterStoreUnavailableError. */
  fallback: CounterFallback;
  logger: Logger;
  /** Least time between two attempts to reach the remote store while it is down (default 1 s). */
  retryEveryMs?: number;
  /** Told of every switch: false when the remote store stopped answering, true when it answers again. */
  onSwitch?: (remoteAnswers: boolean) => void;
  clock?: Clock;
}

export class FailoverCounterStore implements CounterStore {
  private remoteAnswers = true;
  private probing = false;
  private lastProbeAt = -Infinity;
  private readonly retryEveryMs: number;
  private readonly clock: Clock;

  constructor(
    private readonly remote: CounterStore,
    /** This host's counters: used while the remote store is down when the fallback is `local`. */
    private readonly local: CounterStore,
    private readonly options: FailoverCounterOptions,
  ) {
    this.retryEveryMs = options.retryEveryMs ?? 1000;
    this.clock = options.clock ?? { now: () => Date.now() };
  }

  /** False while the gateway counts locally (or refuses) because the remote store does not answer. */
  get usingRemote(): boolean {
    return this.remoteAnswers;
  }

  rateLimit(key: string, limit: number, windowMs: number, increment: number, nowMs: number): Promise<RateLimitResult> {
    return this.call((store) => store.rateLimit(key, limit, windowMs, increment, nowMs));
  }

  peekRateLimit(key: string, limit: number, windowMs: number, nowMs: number): Promise<RateLimitResult> {
    return this.call((store) => store.peekRateLimit(key, limit, windowMs, nowMs));
  }

  releaseRateLimit(key: string, amount: number, countedAtMs: number): Promise<void> {
    return this.call((store) => store.releaseRateLimit(key, amount, countedAtMs));
  }

  quota(key: string, limit: number, amount: number, periodStartMs: number, periodEndMs: number, nowMs: number): Promise<QuotaResult> {
    return this.call((store) => store.quota(key, limit, amount, periodStartMs, periodEndMs, nowMs));
  }

  addToQuota(key: string, amount: number, periodStartMs: number, periodEndMs: number): Promise<void> {
    return this.call((store) => store.addToQuota(key, amount, periodStartMs, periodEndMs));
  }

  /** Marks the remote store as not answering (it did not connect at start) without waiting for a call to find out. */
  markUnavailable(reason: string): void {
    this.lost(reason);
  }

  private async call<T>(operation: (store: CounterStore) => Promise<T>): Promise<T> {
    const probe = !this.remoteAnswers && this.probeDue();
    if (this.remoteAnswers || probe) {
      try {
        const result = await operation(this.remote);
        if (!this.remoteAnswers) this.recovered();
        return result;
      } catch (err) {
        // Anything else (a NaN argument) is the caller's failure, not an outage.
        if (!(err instanceof CounterStoreUnavailableError)) throw err;
        this.lost(err.message);
      } finally {
        if (probe) this.probing = false;
      }
    }
    if (this.options.fallback === 'local') return operation(this.local);
    throw new CounterStoreUnavailableError('The shared counters (Redis) are unavailable and the gateway is set to refuse calls that need them (--redis-counter-fallback refuse).');
  }

  /** True (and the probe claimed) when no attempt is running and the last one is old enough. */
  private probeDue(): boolean {
    const now = this.clock.now();
    if (this.probing || now - this.lastProbeAt < this.retryEveryMs) return false;
    this.probing = true;
    this.lastProbeAt = now;
    return true;
  }

  private lost(reason: string): void {
    if (!this.remoteAnswers) return;
    this.remoteAnswers = false;
    this.lastProbeAt = this.clock.now();
    const doing = this.options.fallback === 'local' ? "counting on this host's counters" : 'refusing calls that need a counter (503)';
    this.options.logger.warn({ reason }, `the shared counters (Redis) do not answer; ${doing} until they do`);
    this.options.onSwitch?.(false);
  }

  private recovered(): void {
    this.remoteAnswers = true;
    this.options.logger.info('the shared counters (Redis) answer again; counting in Redis');
    this.options.onSwitch?.(true);
  }
}
