/**
 * `rate-limit-by-key`: limits the call rate per key value in a sliding window; one counter per
 * key value, shared by every scope that uses the key (reference §3 Throttling). When
 * `increment-condition` or `increment-count` is an expression, evaluating waits for the end of
 * the pipeline (so it can look at the response): the call is reserved when it is admitted and
 * the reservation kept or given back then, so calls in flight never pass the limit.
 */
import type { RateLimitResult } from '../core/ports.js';
import type { GatewayContext } from '../pipeline/gateway-context.js';
import type { PolicyModule, PolicyStep } from '../pipeline/policy-module.js';
import type { Value } from '../pipeline/value.js';
import { rateLimitExceeded, rateLimitReportingAttributes, readRateLimitReporting, reportCalls, type RateLimitReporting } from './rate-limit.js';

/** A compiled rate-limit-by-key element. */
export interface RateLimitByKeyConfig {
  calls: Value<number>;
  renewalPeriod: Value<number>;
  counterKey: Value<string>;
  /** Absent means every call counts. */
  incrementCondition?: Value<boolean>;
  incrementCount: Value<number>;
  reporting: RateLimitReporting;
}

/** The counter key in the store: the key value alone, so all scopes share it. */
export function rateLimitByKeyCounter(keyValue: string): string {
  return `rate-limit-by-key|${keyValue}`;
}

/** Builds the step for a compiled element (split out so deferred counting can be tested). */
export function rateLimitByKeyStep(config: RateLimitByKeyConfig): PolicyStep {
  const { calls, renewalPeriod, counterKey, incrementCondition, incrementCount, reporting } = config;
  const deferred = (incrementCondition !== undefined && !incrementCondition.isConstant) || !incrementCount.isConstant;
  const settle = (gw: GatewayContext, result: RateLimitResult, limit: number): void => {
    if (!result.allowed) throw rateLimitExceeded(gw, 'rate-limit-by-key', reporting, result.retryAfterMs, limit);
    reportCalls(gw, reporting, result.remaining, limit);
    if (gw.requestTrace) gw.traceStep('rate-limit-by-key', { message: 'Rate limit was not exceeded.', remainingCalls: result.remaining, totalCalls: limit });
  };
  const counts = incrementCondition?.constant ?? true;
  const increment = incrementCount.constant ?? 1;
  if (!deferred) {
    // Not async: with a store that answers synchronously (memory) the step returns no promise.
    return (gw: GatewayContext) => {
      const limit = calls.get(gw);
      const windowMs = renewalPeriod.get(gw) * 1000;
      const key = rateLimitByKeyCounter(counterKey.get(gw));
      const counters = gw.services.counters;
      const now = gw.services.clock.now();
      // A call that does not count is still refused while the window is full.
      if (!(counts && increment > 0)) return counters.peekRateLimit(key, limit, windowMs, now).then((r) => settle(gw, r, limit));
      if (counters.rateLimitSync) return settle(gw, counters.rateLimitSync(key, limit, windowMs, increment, now), limit);
      return counters.rateLimit(key, limit, windowMs, increment, now).then((r) => settle(gw, r, limit));
    };
  }
  // The call is reserved as it is admitted (counted in the same store step as the check), so
  // calls in flight hold their place: its constant increment-count, or 1 while the count is
  // unknown. A condition that is the constant false reserves nothing.
  const reserved = counts ? Math.max(0, incrementCount.constant ?? 1) : 0;
  return async (gw: GatewayContext) => {
    const limit = calls.get(gw);
    const windowMs = renewalPeriod.get(gw) * 1000;
    const key = rateLimitByKeyCounter(counterKey.get(gw));
    const counters = gw.services.counters;
    const now = gw.services.clock.now();
    const seen = reserved > 0
      ? await counters.rateLimit(key, limit, windowMs, reserved, now)
      : await counters.peekRateLimit(key, limit, windowMs, now);
    if (!seen.allowed) throw rateLimitExceeded(gw, 'rate-limit-by-key', reporting, seen.retryAfterMs, limit);
    // The variable can only tell what is known now; the headers, written after the deferred
    // count settles, tell the count as settled.
    const report = reportCalls(gw, reporting, seen.remaining, limit);
    if (gw.requestTrace) gw.traceStep('rate-limit-by-key', { message: 'Rate limit was not exceeded; the call is counted after the response.', remainingCalls: seen.remaining, totalCalls: limit });
    gw.afterPipeline.push(async (g) => {
      const counts = incrementCondition ? incrementCondition.get(g) : true;
      const increment = counts ? Math.max(0, incrementCount.get(g)) : 0;
      if (increment === reserved) return;
      // Settle: give back what was reserved and does not count, or count the rest of a larger
      // increment unconditionally (the call already happened; the limit bites on the next one).
      if (increment < reserved) await counters.releaseRateLimit(key, reserved - increment, now);
      else await counters.rateLimit(key, Infinity, windowMs, increment - reserved, g.services.clock.now());
      report.remaining = (await counters.peekRateLimit(key, limit, windowMs, g.services.clock.now())).remaining;
    });
  };
}

export const rateLimitByKey: PolicyModule = {
  name: 'rate-limit-by-key',
  sections: ['inbound'],
  attributes: {
    calls: { type: 'integer', required: true, min: 0, expression: true },
    'renewal-period': { type: 'integer', required: true, min: 1, max: 300, expression: true },
    'counter-key': { type: 'string', required: true, expression: true },
    'increment-condition': { type: 'boolean', expression: true },
    'increment-count': { type: 'integer', default: 1, min: 0, expression: true },
    ...rateLimitReportingAttributes,
  },
  compile(element, ctx) {
    const config: RateLimitByKeyConfig = {
      calls: ctx.integer(element, 'calls')!,
      renewalPeriod: ctx.integer(element, 'renewal-period')!,
      counterKey: ctx.string(element, 'counter-key')!,
      incrementCount: ctx.integer(element, 'increment-count')!,
      reporting: readRateLimitReporting(element, ctx),
    };
    const condition = ctx.boolean(element, 'increment-condition');
    if (condition) config.incrementCondition = condition;
    return rateLimitByKeyStep(config);
  },
};
