/**
 * `quota-by-key`: a renewable or lifetime call-volume and/or bandwidth quota per key value, in
 * fixed periods counted from `first-period-start` (reference §3 Throttling). One counter per
 * key value for every scope; when several policies would count the same key value, it is
 * counted once per request. An expression `increment-condition` (or `increment-count`) is
 * evaluated at the end of the pipeline so it can look at the response; the call is reserved
 * when it is admitted and the reservation kept or given back then.
 */
import type { GatewayContext } from '../pipeline/gateway-context.js';
import type { PolicyModule, PolicyStep } from '../pipeline/policy-module.js';
import type { Value } from '../pipeline/value.js';
import { RequestSlot } from '../pipeline/request-slot.js';
import { attribute } from '../pipeline/xml.js';
import { BandwidthMeter, quotaExceeded, quotaPeriod } from './quota.js';

/** A compiled quota-by-key element. */
export interface QuotaByKeyConfig {
  calls?: number;
  /** Kilobytes. */
  bandwidth?: number;
  counterKey: Value<string>;
  /** Absent means every call counts. */
  incrementCondition?: Value<boolean>;
  incrementCount: Value<number>;
  /** Seconds; 0 = one period that never ends. */
  renewalPeriod: number;
  /** Epoch milliseconds periods are counted from. */
  firstPeriodStart: number;
}

/** What one request counted so far against each counter (the "once per request" rule). */
const claimsSlot = new RequestSlot<Map<string, { added: number }>>('quota claims');

/**
 * How much this request already added to `counter`, and, when `take` and no policy before
 * this one claimed it, the claim to count it (the caller records what it adds there).
 */
function claim(gw: GatewayContext, counter: string, take: boolean): { claim?: { added: number }; alreadyAdded: number } {
  const claims = gw.slot(claimsSlot) ?? gw.setSlot(claimsSlot, new Map());
  const existing = claims.get(counter);
  if (existing) return { alreadyAdded: existing.added };
  if (!take) return { alreadyAdded: 0 };
  const fresh = { added: 0 };
  claims.set(counter, fresh);
  return { claim: fresh, alreadyAdded: 0 };
}

const isoDateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Builds the step for a compiled element (split out so deferred counting can be tested). */
export function quotaByKeyStep(config: QuotaByKeyConfig): PolicyStep {
  const { calls, bandwidth, counterKey, incrementCondition, incrementCount, renewalPeriod, firstPeriodStart } = config;
  const deferred = (incrementCondition !== undefined && !incrementCondition.isConstant) || !incrementCount.isConstant;
  return async (gw: GatewayContext) => {
    const keyValue = counterKey.get(gw);
    const callsKey = `quota-by-key|calls|${keyValue}`;
    const bandwidthKey = `quota-by-key|bandwidth|${keyValue}`;
    const counters = gw.services.counters;
    const now = gw.services.clock.now();
    const { start, end } = quotaPeriod(firstPeriodStart, renewalPeriod, now);

    // A policy whose condition is the constant false never counts, so it claims nothing.
    const mayCount = deferred || incrementCondition?.constant !== false;
    const callsClaim = calls === undefined ? undefined : claim(gw, callsKey, mayCount);
    const bandwidthClaim = bandwidth === undefined ? undefined : claim(gw, bandwidthKey, mayCount);
    const callsCount = callsClaim?.claim;
    // The calls this request counts are reserved as it is admitted, in the same store step as
    // the check, so calls in flight hold their place and concurrency never passes the limit. A
    // deferred count reserves its constant increment-count, or 1 while the count is unknown.
    const reserved = callsCount ? Math.max(0, incrementCount.constant ?? 1) : 0;
    // What this request already counted is not held against it by a second policy.
    if (calls !== undefined) {
      const result = await counters.quota(callsKey, calls + callsClaim!.alreadyAdded, reserved, start, end, now);
      if (gw.requestTrace) gw.traceStep('quota-by-key', { message: result.allowed ? 'Call quota was not exceeded.' : 'Call quota was exceeded.', remainingCalls: result.remaining, totalCalls: calls });
      if (!result.allowed) throw quotaExceeded('quota-by-key', 'calls', result.resetInMs);
      if (callsCount) callsCount.added = reserved;
    }
    if (bandwidth !== undefined) {
      // Bytes are only known after the response: bandwidth is checked here and counted then.
      const result = await counters.quota(bandwidthKey, bandwidth * 1024 + bandwidthClaim!.alreadyAdded, 0, start, end, now);
      if (!result.allowed) {
        // A refused call is counted nowhere: give back the calls it reserved.
        if (callsCount && reserved > 0) {
          callsCount.added = 0;
          await counters.addToQuota(callsKey, -reserved, start, end);
        }
        throw quotaExceeded('quota-by-key', 'bandwidth', result.resetInMs);
      }
    }

    const bandwidthCount = bandwidthClaim?.claim;
    if (!callsCount && !bandwidthCount) return;
    const meter = bandwidthCount ? new BandwidthMeter(gw) : undefined;
    const addBandwidth = (g: GatewayContext): void | Promise<void> =>
      meter?.finish(g, async (bytes) => {
        bandwidthCount!.added += bytes;
        await counters.addToQuota(bandwidthKey, bytes, start, end);
      });
    if (!deferred) {
      if (meter) gw.afterPipeline.push(addBandwidth);
      return;
    }
    gw.afterPipeline.push(async (g) => {
      const counts = incrementCondition ? incrementCondition.get(g) : true;
      const increment = counts ? Math.max(0, incrementCount.get(g)) : 0;
      // Settle the reservation: keep it, give it back, or add what the count asked beyond it.
      if (callsCount && increment !== reserved) {
        callsCount.added = increment;
        await counters.addToQuota(callsKey, increment - reserved, start, end);
      }
      if (counts) await addBandwidth(g);
    });
  };
}

export const quotaByKey: PolicyModule = {
  name: 'quota-by-key',
  sections: ['inbound'],
  attributes: {
    calls: { type: 'integer', min: 0 },
    bandwidth: { type: 'integer', min: 0 },
    'counter-key': { type: 'string', required: true, expression: true },
    'increment-condition': { type: 'boolean', expression: true },
    'increment-count': { type: 'integer', default: 1, min: 0, expression: true },
    'renewal-period': { type: 'integer', required: true, min: 0 },
    'first-period-start': { type: 'string', default: '0001-01-01T00:00:00Z' },
  },
  compile(element, ctx) {
    const calls = ctx.integer(element, 'calls')?.constant;
    const bandwidth = ctx.integer(element, 'bandwidth')?.constant;
    if (calls === undefined && bandwidth === undefined) {
      ctx.fail(element, `Either 'calls' or 'bandwidth' (or both) must be specified on 'quota-by-key'.`);
    }
    const renewalPeriod = ctx.integer(element, 'renewal-period')!.constant!;
    if (renewalPeriod > 0 && renewalPeriod < 300) {
      ctx.fail(attribute(element, 'renewal-period')!, `The value of attribute 'renewal-period' must be 0 (never renew) or at least 300.`);
    }
    const startText = ctx.string(element, 'first-period-start')!.constant!;
    const firstPeriodStart = isoDateTime.test(startText.trim()) ? Date.parse(startText.trim()) : NaN;
    if (!Number.isFinite(firstPeriodStart)) {
      ctx.fail(
        attribute(element, 'first-period-start') ?? element,
        `The value '${startText}' of attribute 'first-period-start' is not a date-time in the format yyyy-MM-ddTHH:mm:ssZ.`,
      );
    }
    const config: QuotaByKeyConfig = {
      counterKey: ctx.string(element, 'counter-key')!,
      incrementCount: ctx.integer(element, 'increment-count')!,
      renewalPeriod,
      firstPeriodStart,
    };
    if (calls !== undefined) config.calls = calls;
    if (bandwidth !== undefined) config.bandwidth = bandwidth;
    const condition = ctx.boolean(element, 'increment-condition');
    if (condition) config.incrementCondition = condition;
    return quotaByKeyStep(config);
  },
};
