/**
 * `rate-limit-by-key`: limits the call rate per key value in a sliding window; one counter per
 * key value, shared by every scope that uses the key (reference §3 Throttling). When
 * `increment-condition` or `increment-count` is an expression, evaluating and counting wait for
 * the end of the pipeline (so they can look at the response), and a 429 may come one call late.
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
  return async (gw: GatewayContext) => {
    const limit = calls.get(gw);
    const windowMs = renewalPeriod.get(gw) * 1000;
    const key = rateLimitByKeyCounter(counterKey.get(gw));
    const counters = gw.services.counters;
    const now = gw.services.clock.now();
    const seen = await counters.peekRateLimit(key, limit, windowMs, now);
    if (!seen.allowed) throw rateLimitExceeded(gw, 'rate-limit-by-key', reporting, seen.retryAfterMs, limit);
    // The variable can only tell what is known now; the headers, written after the deferred
    // count, tell the count including this call.
    const report = reportCalls(gw, reporting, seen.remaining, limit);
    gw.afterPipeline.push(async (g) => {
      const counts = incrementCondition ? incrementCondition.get(g) : true;
      const increment = incrementCount.get(g);
      if (!counts || increment <= 0) return;
      const at = g.services.clock.now();
      // Counted unconditionally: the call already happened; the limit bites on the next one.
      await counters.rateLimit(key, Infinity, windowMs, increment, at);
      report.remaining = (await counters.peekRateLimit(key, limit, windowMs, at)).remaining;
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
